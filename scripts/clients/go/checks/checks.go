// Run by scripts/generate-clients against the openapi-generator `go` client (no target needed;
// usage.go calls one): what its models keep of the description and what they drop, so that a
// generator upgrade that changes either fails here and the list in the notes gets updated.
package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"

	client "u4bvouchers"
)

var failed = false

func check(ok bool, what string) {
	if !ok {
		fmt.Fprintf(os.Stderr, "go client: check failed: %s\n", what)
		failed = true
	}
}

func decodes(into interface{}, body string) bool { return json.Unmarshal([]byte(body), into) == nil }

func encodes(value interface{}) bool {
	_, err := json.Marshal(value)
	return err == nil
}

func main() {
	// Kept: a guest page with a decimal-string usage amount and its next_token.
	var page client.GuestList
	check(decodes(&page, `{"guests": [{"email": "jane.doe@uber.com", "voucher": {"voucher_status": "VOUCHER_SENT",
		"usage_amount": "200"}}], "next_token": "t"}`), "a guest page decodes")
	check(page.GetNextToken() == "t" && len(page.GetGuests()) == 1, "the page's next_token and guest")
	// Kept: enums are checked when decoding, required properties too.
	var change client.UpdateVoucherProgramRequest
	check(!decodes(&change, `{"trip_restriction_type": "ANYWHERE"}`), "an unknown enum value is refused")
	var location client.Location
	check(!decodes(&location, `{"radius": 25}`), "a location without its required address is refused")
	// Changed: a model with required properties refuses fields the description does not define.
	check(!decodes(&location, `{"address": "1455 Market St", "note": "x"}`), "an undefined field is refused")
	check(decodes(&page, `{"next_token": "t", "note": "x"}`), "a model without required properties ignores one")

	// Dropped: no bounds, patterns or anyOf are checked before sending.
	check(encodes(client.NewGenerateVoucherCodesRequest(math.MaxInt32)), "number_of_codes is not bounded")
	create := client.NewCreateIndividualVoucherProgramRequestWithDefaults()
	check(encodes(create), "the email-or-mobile rule is not checked")
	create.SetMobileNumber("not a number")
	check(encodes(create), "the mobile number's pattern is not checked")
	// Dropped: enums and required properties are not checked when encoding, only when decoding.
	change.SetTripRestrictionType(client.TripRestrictionType("ANYWHERE"))
	check(encodes(change), "an unknown enum value is sent")
	body, _ := json.Marshal(client.Location{})
	check(string(body) == `{"address":""}`, "a location left without its address is sent with an empty one")
	// Dropped: the decimal pattern of the string branch of usage_amount ([number, string]).
	var amount client.GuestVoucherUsageAmount
	check(decodes(&amount, `"two hundred"`), "a usage amount that is no decimal decodes")
	// Dropped: `type: [integer, string]` without a format becomes int32 or string, so epoch
	// milliseconds (the create response's starts_at) do not decode.
	var created client.CreateIndividualVoucherProgramResponseStartsAt
	check(!decodes(&created, `1610371813000`), "epoch milliseconds do not fit the int32 branch")
	check(decodes(&created, `"2021-01-11 13:30"`) && created.String != nil, "the string branch decodes")
	if failed {
		os.Exit(1)
	}
	fmt.Println("go client: built and checked")
}
