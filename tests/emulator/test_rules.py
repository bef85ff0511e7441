"""Every documented rule the emulator enforces, broken once on a fixture it applies to.

Each case breaks one rule of ``x-u4b-rules`` and expects that rule's documented outcome, with
the rule's id in the ``X-U4B-Rule`` header. A meta-test fails when the spec gains an
enforceable rule without a case here.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.emulator.conftest import FIXTURES, Api, assert_error, create_body, program_path
from u4b_vouchers.spec import load_spec, parse_rules

DAY = 86_400_000
LOCATION = {"latitude": 37.77, "longitude": -122.41, "radius": 25, "address": "1455 Market St"}
NOT_STARTED_SINGLE = FIXTURES["program_not_started_single_code"]
STARTED_SINGLE = FIXTURES["program_started_single_code"]
NOT_STARTED_MULTI = FIXTURES["program_not_started_multi_code"]
STARTED_MULTI = FIXTURES["program_started_multi_code"]
CANCELED = FIXTURES["program_canceled"]
BARE = FIXTURES["program_without_optional_values"]

Case = Callable[[Api], httpx.Response]


def _in_progress(api: Api) -> httpx.Response:
    api.http.post("/__emulator/clock/freeze")
    api.http.patch("/__emulator/settings", json={"code_generation_ms_per_code": 10})
    assert api.generate(STARTED_MULTI, {"number_of_codes": 10}).status_code == 200
    return api.generate(STARTED_MULTI, {"number_of_codes": 1})


def _inactive_template(api: Api) -> httpx.Response:
    return api.create(
        create_body(
            api,
            template_uuid=FIXTURES["template_inactive"],
            program_uuid="8e7d6c5b-4a39-4281-b0f9-e8d7c6b5a493",
            name="Retired Template",
        )
    )


def _reduce(field: str, program: str, by: float) -> Case:
    def case(api: Api) -> httpx.Response:
        return api.update(program, {field: api.program(program)[field] - by})

    return case


CASES: dict[str, Case] = {
    "ERR-PROGRAM-NOT-FOUND": lambda api: api.update("a1000000-0000-4000-8000-0000000000ff", {"name": "x"}),
    # Generate Voucher Codes
    "GEN-COUNT-REQUIRED": lambda api: api.generate(STARTED_MULTI, {}),
    "GEN-COUNT-INTEGER": lambda api: api.generate(STARTED_MULTI, {"number_of_codes": "5"}),
    "GEN-COUNT-MAX": lambda api: api.generate(STARTED_MULTI, {"number_of_codes": 30001}),
    "GEN-COUNT-POSITIVE": lambda api: api.generate(STARTED_MULTI, {"number_of_codes": 0}),
    "GEN-TOTAL-CODES-MAX": lambda api: api.generate(STARTED_MULTI, {"number_of_codes": 30000 - 50 + 1}),
    "GEN-MULTI-CODE-ONLY": lambda api: api.generate(STARTED_SINGLE, {"number_of_codes": 1}),
    "GEN-IN-PROGRESS": _in_progress,
    # Create Individual Voucher Program
    "CRT-REQUIRED-FIELDS": lambda api: api.create(create_body(api, display_name=None)),
    "CRT-CONTACT-REQUIRED": lambda api: api.create(create_body(api, email_address=None)),
    "CRT-OWNER-TYPE-ENUM": lambda api: api.create(create_body(api, owner_type="PERSONAL")),
    "CRT-EMAIL-FORMAT": lambda api: api.create(create_body(api, email_address="not-an-email")),
    "CRT-MOBILE-FORMAT": lambda api: api.create(create_body(api, mobile_number="4155550123")),
    "CRT-TEMPLATE-EXISTS": lambda api: api.create(
        create_body(api, template_uuid="0f0e0d0c-0b0a-4909-8807-060504030201")
    ),
    "CRT-TEMPLATE-ACTIVE": _inactive_template,
    "CRT-PROGRAM-MATCHES-TEMPLATE": lambda api: api.create(
        create_body(api, program_uuid="0f0e0d0c-0b0a-4909-8807-060504030201")
    ),
    "CRT-NAME-MATCHES-TEMPLATE": lambda api: api.create(create_body(api, name="voucher template")),
    "CRT-STARTS-NOT-TOO-EARLY": lambda api: api.create(create_body(api, starts_at=api.now() - DAY - 3_600_000)),
    "CRT-STARTS-NOT-TOO-LATE": lambda api: api.create(
        create_body(api, starts_at=api.now() + 368 * DAY, ends_at=api.now() + 369 * DAY)
    ),
    "CRT-ENDS-NOT-TOO-LATE": lambda api: api.create(create_body(api, ends_at=api.now() + 369 * DAY)),
    "CRT-ENDS-AFTER-STARTS": lambda api: api.create(create_body(api, ends_at=create_body(api)["starts_at"])),
    "CRT-DISPLAY-TIMEZONE-IANA": lambda api: api.create(create_body(api, display_timezone="Mars/Olympus_Mons")),
    # Get Voucher Program Guest Info
    "GST-PAGE-TOKEN-VALID": lambda api: api.guests(STARTED_MULTI, page_token="eyJmb3JnZWQiOnRydWV9.0000"),
    "GST-LIMIT-POSITIVE": lambda api: api.guests(STARTED_MULTI, limit=0),
    # Update Voucher Program
    "REQ-SCHEMA": lambda api: api.update(STARTED_MULTI, {"expense_memo": 123}),
    "UPD-CANCELED-IMMUTABLE": lambda api: api.update(CANCELED, {"name": "Renamed"}),
    "UPD-LOCATION-ADDRESS-REQUIRED": lambda api: api.update(
        NOT_STARTED_MULTI,
        {"trip_restriction_type": "PICKUP_ONLY", "pickup_locations": [{"radius": 50}]},
    ),
    "UPD-LOCATION-RADIUS-MIN": lambda api: api.update(
        NOT_STARTED_MULTI,
        {"trip_restriction_type": "PICKUP_ONLY", "pickup_locations": [{**LOCATION, "radius": 19}]},
    ),
    "UPD-TRIP-RESTRICTION-ENUM": lambda api: api.update(NOT_STARTED_MULTI, {"trip_restriction_type": "ANYWHERE"}),
    "UPD-TRIP-BOTH-LOCATIONS": lambda api: api.update(
        NOT_STARTED_MULTI,
        {"trip_restriction_type": "PICKUP_AND_DROPOFF", "pickup_locations": [LOCATION]},
    ),
    "UPD-TRIP-PICKUP-ONLY": lambda api: api.update(
        NOT_STARTED_MULTI, {"trip_restriction_type": "PICKUP_ONLY", "dropoff_locations": [LOCATION]}
    ),
    "UPD-TRIP-DROPOFF-ONLY": lambda api: api.update(
        NOT_STARTED_MULTI, {"trip_restriction_type": "DROPOFF_ONLY", "pickup_locations": [LOCATION]}
    ),
    "UPD-LOCATIONS-NEED-TRIP-TYPE": lambda api: api.update(NOT_STARTED_MULTI, {"pickup_locations": [LOCATION]}),
    "UPD-STARTS-BEFORE-START-ONLY": lambda api: api.update(
        STARTED_MULTI, {"starts_at": api.program(STARTED_MULTI)["starts_at"] + DAY}
    ),
    "UPD-ENDS-NOT-REDUCED": _reduce("ends_at", STARTED_MULTI, DAY),
    "UPD-ENDS-AFTER-STARTS": lambda api: api.update(
        NOT_STARTED_MULTI, {"ends_at": api.program(NOT_STARTED_MULTI)["starts_at"] - 1}
    ),
    "UPD-TIMEZONE-IANA": lambda api: api.update(NOT_STARTED_MULTI, {"timezone": "America/Springfield"}),
    "UPD-REDEMPTIONS-SINGLE-CODE-ONLY": lambda api: api.update(NOT_STARTED_MULTI, {"redemptions_per_code": 5}),
    "UPD-REDEMPTIONS-INCREASE-ONLY": _reduce("redemptions_per_code", STARTED_SINGLE, 1),
    "UPD-RECURRENCE-ENUM": lambda api: api.update(NOT_STARTED_MULTI, {"value_recurrence_period": "WEEKLY"}),
    "UPD-MAX-AMOUNT-INCREASE-ONLY": _reduce("value_per_trip_max_amount", STARTED_MULTI, 0.5),
    "UPD-DEDUCTIBLE-INCREASE-ONLY": _reduce("value_per_trip_deductible", STARTED_MULTI, 0.5),
    "UPD-DEDUCTIBLE-IF-PRESENT": lambda api: api.update(BARE, {"value_per_trip_deductible": 3.0}),
    "UPD-PERCENT-RANGE": lambda api: api.update(NOT_STARTED_MULTI, {"value_per_trip_percentage": 100}),
    "UPD-PERCENT-INCREASE-ONLY": _reduce("value_per_trip_percentage", STARTED_MULTI, 1),
    "UPD-PERCENT-IF-PRESENT": lambda api: api.update(BARE, {"value_per_trip_percentage": 50}),
    "UPD-MAX-TRIPS-MAX": lambda api: api.update(NOT_STARTED_MULTI, {"value_per_period_max_trips": 1000}),
    "UPD-MAX-TRIPS-INCREASE-ONLY": _reduce("value_per_period_max_trips", STARTED_MULTI, 1),
    "UPD-MAX-TRIPS-IF-PRESENT": lambda api: api.update(BARE, {"value_per_period_max_trips": 3}),
    "UPD-MAX-CREDIT-INCREASE-ONLY": _reduce("value_per_period_max_credit", STARTED_MULTI, 1),
    "UPD-MAX-CREDIT-IF-PRESENT": lambda api: api.update(BARE, {"value_per_period_max_credit": 50.0}),
    "UPD-VEHICLE-ENUM": lambda api: api.update(NOT_STARTED_MULTI, {"vehicle_category_types": ["BOAT"]}),
    "UPD-VEHICLE-BEFORE-START-ONLY": lambda api: api.update(STARTED_MULTI, {"vehicle_category_types": ["PREMIUM"]}),
}

#: Kinds checked elsewhere (auth matrix, paging properties) or not refusable (behaviour, ...).
NOT_REQUEST_RULES = {
    "auth",
    "paging",
    "response",
    "behaviour",
    "default",
    "acceptance",
    "deprecation",
}
RULES = {rule.id: rule for rule in parse_rules(load_spec().data)}


def test_every_enforceable_rule_has_a_case() -> None:
    enforceable = {
        rule.id
        for rule in RULES.values()
        if rule.violation and (rule.kind not in NOT_REQUEST_RULES or rule.id == "GST-PAGE-TOKEN-VALID")
    }
    assert enforceable - set(CASES) == set()
    assert set(CASES) - set(RULES) == set()


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_breaking_the_rule_gets_its_documented_outcome(api: Api, rule_id: str) -> None:
    rule = RULES[rule_id]
    response = CASES[rule_id](api)
    expected = next(o for o in rule.violation if isinstance(o.status, int))
    broken = {rule_id}
    if rule_id == "CRT-STARTS-NOT-TOO-LATE":
        broken.add("CRT-ENDS-NOT-TOO-LATE")  # a start beyond a year drags the end with it
    assert response.headers.get("x-u4b-rule") in broken, response.text
    assert_error(response, expected.status, expected.code or "")


def test_a_refused_update_changes_nothing(api: Api) -> None:
    before = api.program(STARTED_MULTI)
    response = api.update(
        STARTED_MULTI,
        {"name": "Renamed", "value_per_trip_percentage": before["value_per_trip_percentage"] - 1},
    )
    assert response.status_code == 400
    assert api.program(STARTED_MULTI) == before


def test_one_rule_disabled_lets_that_request_through(api: Api) -> None:
    """The control plane's flags really switch a rule off (the contract suites' fault flags)."""
    assert api.http.put("/__emulator/flags", json={"disabled_rules": ["UPD-PERCENT-INCREASE-ONLY"]}).status_code == 200
    assert CASES["UPD-PERCENT-INCREASE-ONLY"](api).status_code == 204
    assert CASES["UPD-MAX-TRIPS-INCREASE-ONLY"](api).status_code == 400
    assert api.http.get(f"{program_path(STARTED_MULTI)}").status_code == 405
