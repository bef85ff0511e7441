"""Fault flags: switches that make the emulator drift from the documents in one way each, as a
real API might (wrong status, wrong code, an ignored rule, broken paging, leaked data, ...).

The contract suites must catch every one of them; ``expected`` names the documented rule the
suites report as broken. Flags are set through the control plane (``PUT /__emulator/flags``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FaultFlag:
    description: str
    #: The rule the contract suites must report as broken.
    expected: str
    #: For flags that simply stop enforcing a rule: that rule's id.
    ignores: str | None = None


def _ignore(rule: str, description: str) -> FaultFlag:
    return FaultFlag(description, rule, rule)


FAULT_FLAGS: dict[str, FaultFlag] = {
    # Accepted out-of-range or malformed values (schema rules ignored).
    "accept-percentage-out-of-range": _ignore(
        "UPD-PERCENT-RANGE", "value_per_trip_percentage outside [5, 99] is accepted"
    ),
    "accept-max-trips-over-999": _ignore("UPD-MAX-TRIPS-MAX", "value_per_period_max_trips above 999 is accepted"),
    "accept-small-radius": _ignore("UPD-LOCATION-RADIUS-MIN", "a location radius under 20 m is accepted"),
    "accept-unknown-vehicle": _ignore("UPD-VEHICLE-ENUM", "unknown vehicle categories are accepted"),
    "accept-count-over-30000": _ignore(
        "GEN-COUNT-MAX", "more than 30,000 codes in one request are accepted (none are generated)"
    ),
    "accept-count-as-string": _ignore("GEN-COUNT-INTEGER", "number_of_codes given as a string is accepted"),
    "accept-create-without-contact": _ignore(
        "CRT-CONTACT-REQUIRED", "a create request without email or mobile number is accepted"
    ),
    "accept-bad-mobile": _ignore("CRT-MOBILE-FORMAT", "mobile numbers without a country code are accepted"),
    "accept-bad-time-zone": _ignore("UPD-TIMEZONE-IANA", "time zone names outside the tz database are accepted"),
    # Ignored conditional rules.
    "ignore-pickup-only-needs-pickups": _ignore(
        "UPD-TRIP-PICKUP-ONLY", "PICKUP_ONLY without pickup locations is accepted"
    ),
    "ignore-locations-need-type": _ignore(
        "UPD-LOCATIONS-NEED-TRIP-TYPE", "locations without a trip_restriction_type are accepted"
    ),
    # Ignored time, reference and state rules.
    "ignore-starts-too-early": _ignore("CRT-STARTS-NOT-TOO-EARLY", "a start more than 24 hours ago is accepted"),
    "ignore-ends-too-late": _ignore("CRT-ENDS-NOT-TOO-LATE", "an end more than a year ahead is accepted"),
    "ignore-ends-after-starts": _ignore("CRT-ENDS-AFTER-STARTS", "an end before the start is accepted on create"),
    "ignore-template-name": _ignore("CRT-NAME-MATCHES-TEMPLATE", "a name other than the template's is accepted"),
    "accept-inactive-template": _ignore("CRT-TEMPLATE-ACTIVE", "an inactive template is accepted"),
    "update-canceled-programs": _ignore("UPD-CANCELED-IMMUTABLE", "canceled programs can be updated"),
    "move-start-after-start": _ignore("UPD-STARTS-BEFORE-START-ONLY", "starts_at changes after the program started"),
    "lower-percentage-after-start": _ignore(
        "UPD-PERCENT-INCREASE-ONLY", "value_per_trip_percentage may drop after the start"
    ),
    "reduce-ends-after-start": _ignore("UPD-ENDS-NOT-REDUCED", "ends_at may move earlier after the start"),
    "set-absent-deductible": _ignore("UPD-DEDUCTIBLE-IF-PRESENT", "a deductible can be set on a program without one"),
    "redemptions-on-multi-code": _ignore(
        "UPD-REDEMPTIONS-SINGLE-CODE-ONLY", "redemptions_per_code changes on multi-code programs"
    ),
    "generate-on-single-code": _ignore("GEN-MULTI-CODE-ONLY", "single-code programs get more codes"),
    "ignore-generation-in-progress": _ignore("GEN-IN-PROGRESS", "no 409 while codes are being generated"),
    # Wrong statuses, codes and bodies.
    "invalid-request-as-422": FaultFlag("refusals of invalid requests answer 422 instead of 400", "UPD-PERCENT-RANGE"),
    "invalid-request-code-renamed": FaultFlag(
        "400 bodies say bad_request instead of invalid_request", "UPD-PERCENT-RANGE"
    ),
    "not-found-as-400": FaultFlag("unknown programs get 400 invalid_request instead of 404", "ERR-PROGRAM-NOT-FOUND"),
    "error-body-without-code": FaultFlag("error bodies carry only a message", "ERR-BODY-SHAPE"),
    "missing-token-as-403": FaultFlag("requests without a token get 403 instead of 401", "AUTH-TOKEN-REQUIRED"),
    "rate-limit-without-retry-after": FaultFlag("429 responses lack Retry-After", "ERR-BODY-SHAPE"),
    "server-error-as-text": FaultFlag("500 responses are plain text", "ERR-BODY-SHAPE"),
    # Access control.
    "no-token-required": FaultFlag("requests without a token are served", "AUTH-TOKEN-REQUIRED"),
    "delegated-may-create": FaultFlag(
        "delegated tokens may create individual programs", "AUTH-CREATE-CLIENT-CREDENTIALS-ONLY"
    ),
    "scopes-not-checked": FaultFlag("tokens without the voucher scopes are served", "AUTH-NO-API-ACCESS"),
    "unapproved-third-party-served": FaultFlag(
        "third-party apps the organization did not authorize are served",
        "AUTH-THIRD-PARTY-NOT-AUTHORIZED",
    ),
    "leak-other-organizations": FaultFlag("another organization's programs are served", "AUTH-ORGANIZATION-ISOLATION"),
    # Paging.
    "paging-ignores-limit": FaultFlag("pages hold one guest more than limit", "GST-LIMIT-HONOURED"),
    "paging-overlaps": FaultFlag("each page repeats the previous page's last guest", "GST-PAGES-COMPLETE"),
    "paging-skips-a-guest": FaultFlag("each page skips one guest", "GST-PAGES-COMPLETE"),
    "paging-token-on-last-page": FaultFlag("the last page still carries a next_token", "GST-NEXT-TOKEN-WHEN-MORE"),
    "paging-accepts-forged-tokens": FaultFlag("unknown page tokens restart the list", "GST-PAGE-TOKEN-VALID"),
    # Responses and persistence.
    "voucher-status-lowercase": FaultFlag("voucher statuses come back in lower case", "GST-VOUCHER-STATUS-ENUM"),
    "canceled-at-on-live-vouchers": FaultFlag(
        "canceled_at is set on vouchers that are not canceled", "GST-CANCELED-AT-ONLY-CANCELED"
    ),
    "create-response-without-campaign": FaultFlag("the create response lacks campaign_uuid", "CRT-REQUIRED-FIELDS"),
    "updates-not-kept": FaultFlag("updates answer 204 but change nothing", "UPD-MAX-AMOUNT-INCREASE-ONLY"),
}
