// The openapi-generator `go` client against a target, named by the environment:
//
//	U4B_BASE_URL         the API, e.g. the address `u4b-vouchers serve` prints
//	U4B_TOKEN_URL        the token endpoint (default: U4B_BASE_URL + /oauth/v2/token, as served)
//	U4B_ACCESS_TOKEN     a token to use as it is; otherwise a client-credentials token is fetched
//	U4B_CLIENT_ID, U4B_CLIENT_SECRET, U4B_SCOPE (default organizations.voucher_programs)
//	U4B_ORGANIZATION_ID  the organization
//	U4B_PROGRAM_ID       a multi-code program of it (the example updates it and adds codes)
//
// It reads every page of the program's guests (following next_token), updates the program
// (pickup only, one location) and generates 5 codes, printing each answer.
// scripts/generate-clients builds it with the client into build/clients/go/bin/usage.
// Exit 0 when every call answered as documented, 1 on any other answer, 2 when a variable is unset.
package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	client "u4bvouchers"
)

// pageSize is small so that the demo seed's programs take several pages.
const pageSize = 2

// exampleError is a problem reported in one line before the example exits with code.
type exampleError struct {
	message string
	code    int
}

func (e *exampleError) Error() string { return e.message }

func fail(code int, format string, args ...interface{}) error {
	return &exampleError{message: fmt.Sprintf(format, args...), code: code}
}

func setting(name string) (string, error) {
	value := os.Getenv(name)
	if value == "" {
		return "", fail(2, "%s is not set", name)
	}
	return value, nil
}

func settingOr(name, otherwise string) string {
	if value := os.Getenv(name); value != "" {
		return value
	}
	return otherwise
}

// tokenSource is U4B_ACCESS_TOKEN, or a client-credentials token from the target's token
// endpoint, fetched once here (so the example can say so) and again by the client when it expires.
func tokenSource(ctx context.Context, baseURL string) (oauth2.TokenSource, error) {
	if given := os.Getenv("U4B_ACCESS_TOKEN"); given != "" {
		fmt.Println("token: U4B_ACCESS_TOKEN")
		return oauth2.StaticTokenSource(&oauth2.Token{AccessToken: given, TokenType: "Bearer"}), nil
	}
	id, err := setting("U4B_CLIENT_ID")
	if err != nil {
		return nil, err
	}
	secret, err := setting("U4B_CLIENT_SECRET")
	if err != nil {
		return nil, err
	}
	credentials := clientcredentials.Config{
		ClientID:     id,
		ClientSecret: secret,
		TokenURL:     settingOr("U4B_TOKEN_URL", baseURL+"/oauth/v2/token"),
		Scopes:       []string{settingOr("U4B_SCOPE", "organizations.voucher_programs")},
		// In the form, as the vendor's token endpoint expects (not probed with Basic first).
		AuthStyle: oauth2.AuthStyleInParams,
	}
	token, err := credentials.Token(ctx)
	if err != nil {
		var refused *oauth2.RetrieveError
		if errors.As(err, &refused) {
			return nil, fail(1, "token: %d from %s: %s", refused.Response.StatusCode, credentials.TokenURL, refused.Body)
		}
		return nil, fail(1, "token: %v", err)
	}
	fmt.Printf("token: 200 from %s (%s)\n", credentials.TokenURL, token.TokenType)
	return oauth2.ReuseTokenSource(token, credentials.TokenSource(ctx)), nil
}

// expect checks that a call answered with the expected status; an error answer, or no answer,
// becomes an exampleError naming the call.
func expect(what string, expected int, answer *http.Response, err error) error {
	if answer == nil {
		if err == nil {
			err = errors.New("no answer")
		}
		return fail(1, "%s: %v", what, err)
	}
	if answer.StatusCode != expected {
		var body []byte
		var problem *client.GenericOpenAPIError
		if errors.As(err, &problem) {
			body = problem.Body()
		}
		return fail(1, "%s: %d (expected %d): %s", what, answer.StatusCode, expected, body)
	}
	if err != nil { // the status was right but the body did not decode
		return fail(1, "%s: %d but %v", what, answer.StatusCode, err)
	}
	return nil
}

func contact(guest client.Guest) string {
	if guest.Email != nil {
		return *guest.Email
	}
	if guest.Phone != nil {
		return *guest.Phone
	}
	return "(no contact)"
}

// allGuests reads the program's guests page by page until a page comes without next_token.
func allGuests(ctx context.Context, api *client.APIClient, organization, program string) error {
	total, pages := 0, 0
	seen := map[string]bool{}
	var pageToken *string
	for {
		request := api.GuestsAPI.GetVoucherProgramGuestInfo(ctx, organization, program).Limit(pageSize)
		if pageToken != nil {
			request = request.PageToken(*pageToken)
		}
		page, answer, err := request.Execute()
		if err := expect("guests", 200, answer, err); err != nil {
			return err
		}
		pages++
		contacts := []string{}
		for _, guest := range page.GetGuests() {
			contacts = append(contacts, contact(guest))
		}
		total += len(contacts)
		next, more := page.GetNextTokenOk()
		more = more && *next != ""
		fmt.Printf("guests: 200, %d on the page: %s; next page: %s\n",
			len(contacts), strings.Join(contacts, ", "), map[bool]string{true: "yes", false: "no"}[more])
		if !more {
			break
		}
		if seen[*next] {
			return fail(1, "guests: page %d repeats the next_token of an earlier page", pages)
		}
		seen[*next] = true
		pageToken = next
	}
	fmt.Printf("guests: %d in %d pages\n", total, pages)
	return nil
}

func run() error {
	baseURL, err := setting("U4B_BASE_URL")
	if err != nil {
		return err
	}
	baseURL = strings.TrimRight(baseURL, "/")
	organization, err := setting("U4B_ORGANIZATION_ID")
	if err != nil {
		return err
	}
	program, err := setting("U4B_PROGRAM_ID")
	if err != nil {
		return err
	}
	tokens, err := tokenSource(context.Background(), baseURL)
	if err != nil {
		return err
	}
	// The client asks this token source for a token on every call and sends it as
	// `Authorization: Bearer <token>`; it does not fetch one itself.
	ctx := context.WithValue(context.Background(), client.ContextOAuth2, tokens)
	config := client.NewConfiguration()
	config.Servers = client.ServerConfigurations{{URL: baseURL}}
	api := client.NewAPIClient(config)

	if err := allGuests(ctx, api, organization, program); err != nil {
		return err
	}

	change := client.UpdateVoucherProgramRequest{PickupLocations: []client.Location{*client.NewLocation("1455 Market St")}}
	change.PickupLocations[0].SetRadius(25)
	change.SetTripRestrictionType(client.PICKUP_ONLY)
	answer, err := api.VoucherProgramsAPI.UpdateVoucherProgram(ctx, organization, program).UpdateVoucherProgramRequest(change).Execute()
	if err := expect("update", 204, answer, err); err != nil {
		return err
	}
	fmt.Println("update: 204 (pickup only, 1455 Market St)")

	answer, err = api.VoucherCodesAPI.GenerateVoucherCodes(ctx, organization, program).
		GenerateVoucherCodesRequest(*client.NewGenerateVoucherCodesRequest(5)).Execute()
	if err := expect("generate codes", 200, answer, err); err != nil {
		return err
	}
	fmt.Println("generate codes: 200 (5 codes)")
	return nil
}

func main() {
	if err := run(); err != nil {
		code := 1
		var problem *exampleError
		if errors.As(err, &problem) {
			code = problem.code
		}
		fmt.Fprintf(os.Stderr, "example: error: %v\n", err)
		os.Exit(code)
	}
}
