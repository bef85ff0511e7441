"""The schemas say what the documents say: each documented rule, checked against an
independent statement of it, over generated inputs."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from u4b_vouchers.spec import SchemaValidator, Spec

SCHEMAS = "#/components/schemas/"
UPDATE = SCHEMAS + "UpdateVoucherProgramRequest"
CREATE = SCHEMAS + "CreateIndividualVoucherProgramRequest"
GENERATE = SCHEMAS + "GenerateVoucherCodesRequest"
GUESTS = SCHEMAS + "GuestList"

RESTRICTIONS = ["PICKUP_OR_DROPOFF", "PICKUP_AND_DROPOFF", "PICKUP_ONLY", "DROPOFF_ONLY"]
LOCATION = {"latitude": 37.77, "longitude": -122.41, "radius": 25, "address": "1455 Market St"}

locations = st.one_of(st.none(), st.just([]), st.lists(st.just(LOCATION), min_size=1, max_size=3))


def _with(**fields: Any) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None}


def documented_trip_rules_hold(restriction: str | None, pickup: list[Any] | None, dropoff: list[Any] | None) -> bool:
    """003, row trip_restriction_type, as DECISIONS.md D-029 reads it."""
    has_pickup, has_dropoff = bool(pickup), bool(dropoff)
    if restriction in ("PICKUP_OR_DROPOFF", "PICKUP_AND_DROPOFF"):
        return has_pickup and has_dropoff
    if restriction == "PICKUP_ONLY":
        return has_pickup
    if restriction == "DROPOFF_ONLY":
        return has_dropoff
    return not (has_pickup or has_dropoff)


@given(st.one_of(st.none(), st.sampled_from(RESTRICTIONS)), locations, locations)
def test_trip_restriction_requirements(
    validator: SchemaValidator,
    restriction: str | None,
    pickup: list[Any] | None,
    dropoff: list[Any] | None,
) -> None:
    body = _with(trip_restriction_type=restriction, pickup_locations=pickup, dropoff_locations=dropoff)
    assert validator.is_valid(UPDATE, body) is documented_trip_rules_hold(restriction, pickup, dropoff)


def test_the_vendor_example_pickup_only_with_dropoffs_is_valid(validator: SchemaValidator) -> None:
    body = {
        "trip_restriction_type": "PICKUP_ONLY",
        "pickup_locations": [LOCATION],
        "dropoff_locations": [LOCATION],
    }
    assert validator.is_valid(UPDATE, body)


def test_an_unknown_restriction_type_is_invalid(validator: SchemaValidator) -> None:
    assert not validator.is_valid(UPDATE, {"trip_restriction_type": "ANYWHERE"})


@given(st.integers(min_value=-5, max_value=2000), st.booleans())
def test_location_radius_and_address(validator: SchemaValidator, radius: int, with_address: bool) -> None:
    location: dict[str, Any] = {"latitude": 1.0, "longitude": 2.0, "radius": radius}
    if with_address:
        location["address"] = "somewhere"
    body = {"trip_restriction_type": "PICKUP_ONLY", "pickup_locations": [location]}
    assert validator.is_valid(UPDATE, body) is (radius >= 20 and with_address)


@given(st.integers(min_value=-10, max_value=200))
def test_percentage_range(validator: SchemaValidator, value: int) -> None:
    assert validator.is_valid(UPDATE, {"value_per_trip_percentage": value}) is (5 <= value <= 99)


@given(st.integers(min_value=-10, max_value=5000))
def test_max_trips_at_most_999(validator: SchemaValidator, value: int) -> None:
    assert validator.is_valid(UPDATE, {"value_per_period_max_trips": value}) is (value <= 999)


@pytest.mark.parametrize("period", ["SINGLE", "DAILY", "MONTHLY"])
def test_recurrence_periods(validator: SchemaValidator, period: str) -> None:
    assert validator.is_valid(UPDATE, {"value_recurrence_period": period})
    assert not validator.is_valid(UPDATE, {"value_recurrence_period": period.lower()})


@given(st.lists(st.sampled_from(["PREMIUM", "ECONOMY", "SHARED_RIDES", "BOAT"]), max_size=4))
def test_vehicle_categories(validator: SchemaValidator, categories: list[str]) -> None:
    assert validator.is_valid(UPDATE, {"vehicle_category_types": categories}) is ("BOAT" not in categories)


def test_update_accepts_undocumented_fields_and_empty_bodies(validator: SchemaValidator) -> None:
    """D-024 (the vendor example sends value_per_period_max_amount) and D-050."""
    assert validator.is_valid(UPDATE, {"value_per_period_max_amount": 20.23})
    assert validator.is_valid(UPDATE, {})


def test_update_schema_carries_no_default_keyword(spec: Spec) -> None:
    """D-026: a default would make clients reset timezone/recurrence on every update."""
    text = repr(spec.resolve(UPDATE))
    assert "'default'" not in text


def _create(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "template_uuid": "66e129f6-7020-4ac5-9166-b71d68fb82af",
        "program_uuid": "5b1b4b8e-3f0a-4c44-9d0e-2f6f7f0f2a11",
        "owner_uuid": "a283a599-989f-4e5f-860d-d2d3af36b692",
        "owner_type": "ORGANIZATION",
        "name": "Voucher Template",
        "starts_at": 1798761600000,
        "ends_at": 1801440000000,
        "display_name": "Jane Doe",
        "email_address": "rider@example.com",
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


@given(st.booleans(), st.booleans())
def test_email_or_mobile_is_required(validator: SchemaValidator, email: bool, mobile: bool) -> None:
    body = _create(
        email_address="rider@example.com" if email else None,
        mobile_number="+14155550123" if mobile else None,
    )
    assert validator.is_valid(CREATE, body) is (email or mobile)


@pytest.mark.parametrize(
    "field",
    [
        "template_uuid",
        "program_uuid",
        "owner_uuid",
        "owner_type",
        "name",
        "starts_at",
        "ends_at",
        "display_name",
    ],
)
def test_create_required_fields(validator: SchemaValidator, field: str) -> None:
    assert validator.is_valid(CREATE, _create())
    assert not validator.is_valid(CREATE, _create(**{field: None}))


@pytest.mark.parametrize(
    ("changes", "valid"),
    [
        ({"owner_type": "USER"}, True),
        ({"owner_type": "PERSONAL"}, False),
        ({"mobile_number": "+14155550123"}, True),
        ({"mobile_number": "4155550123"}, False),
        ({"mobile_number": "+<country code><mobile number>"}, False),
        ({"email_address": "not-an-email"}, False),
        ({"template_uuid": "<template_uuid>"}, False),
        ({"starts_at": "1610371813000"}, False),
        ({"starts_at": 1610371813000.5}, False),
        ({"description": "internal", "memo": "m", "display_timezone": "Europe/Paris"}, True),
        ({"surprise": "undocumented fields are allowed (D-024)"}, True),
    ],
)
def test_create_field_types_and_formats(validator: SchemaValidator, changes: dict[str, Any], valid: bool) -> None:
    assert validator.is_valid(CREATE, _create(**changes)) is valid


@given(st.integers(min_value=-100, max_value=40000))
def test_number_of_codes(validator: SchemaValidator, count: int) -> None:
    """At most 30,000 (related-facts.md); no lower bound in the schema (D-004)."""
    assert validator.is_valid(GENERATE, {"number_of_codes": count}) is (count <= 30000)


@pytest.mark.parametrize("body", [{}, {"number_of_codes": "10"}, {"number_of_codes": 1.5}])
def test_number_of_codes_must_be_an_integer_and_present(validator: SchemaValidator, body: dict[str, Any]) -> None:
    assert not validator.is_valid(GENERATE, body)


@pytest.mark.parametrize(
    "page",
    [
        {},
        {"guests": []},
        {
            "guests": [
                {
                    "email": "a@example.com",
                    "code": {"code_id": "c", "code_text": "T"},
                    "voucher": {},
                }
            ]
        },
        {"guests": [{"voucher": {"voucher_status": "VOUCHER_SENT"}}], "next_token": "t"},
        {"guests": [{"voucher": {"usage_amount": "200", "usage_count": 20, "canceled_at": 0}}]},
        {"guests": [{"voucher": {"usage_amount": 12.5}}]},
    ],
)
def test_documented_guest_list_shapes_are_accepted(validator: SchemaValidator, page: dict[str, Any]) -> None:
    assert validator.is_valid(GUESTS, page)


@pytest.mark.parametrize(
    "voucher",
    [
        {"usage_amount": "two hundred"},
        {"usage_count": "20"},
        {"voucher_status": "VOUCHER_LOST"},
        {"canceled_at": "yesterday"},
    ],
)
def test_malformed_guest_vouchers_are_rejected(validator: SchemaValidator, voucher: dict[str, Any]) -> None:
    assert not validator.is_valid(GUESTS, {"guests": [{"voucher": voucher}]})


def test_the_six_voucher_statuses(spec: Spec) -> None:
    assert set(spec.resolve(SCHEMAS + "VoucherStatus/enum")) == {
        "VOUCHER_SENT",
        "VOUCHER_CLAIMED",
        "VOUCHER_COMPLETED",
        "VOUCHER_CANCELED",
        "VOUCHER_SCHEDULED",
        "VOUCHER_PENDING",
    }


def test_security_per_operation(spec: Spec) -> None:
    create = spec.operation("createIndividualVoucherProgram")
    assert create.raw["deprecated"] is True
    assert {name for requirement in create.raw["security"] for name in requirement} == {"ClientCredentials"}
    flows = spec.data["components"]["securitySchemes"]
    assert set(flows["ClientCredentials"]["flows"]) == {"clientCredentials"}
    assert set(flows["AuthorizationCode"]["flows"]) == {"authorizationCode"}
    assert [s["url"] for s in spec.data["servers"]] == [
        "https://api.uber.com",
        "https://sandbox-api.uber.com",
    ]


def test_links_feed_the_created_program_into_the_other_operations(spec: Spec) -> None:
    links = spec.operation("createIndividualVoucherProgram").raw["responses"]["200"]["links"]
    targets = {link["operationId"] for link in links.values()}
    assert targets == {"generateVoucherCodes", "getVoucherProgramGuestInfo", "updateVoucherProgram"}
    assert all(link["parameters"]["voucher_program_id"] == "$response.body#/campaign_uuid" for link in links.values())
    next_page = spec.operation("getVoucherProgramGuestInfo").raw["responses"]["200"]["links"]["NextPage"]
    assert next_page["parameters"]["page_token"] == "$response.body#/next_token"


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        (120, True),
        ("120", True),  # a validator that keeps header values as text
        ("0", True),
        ("Wed, 21 Oct 2015 07:28:00 GMT", True),
        (-1, False),
        ("-1", False),
        ("soon", False),
        ("2015-10-21T07:28:00Z", False),
        ("Wed, 21 Oct 2015 07:28:00 +0000", False),
        (1.5, False),
    ],
)
def test_retry_after_is_seconds_or_an_http_date_and_optional(spec: Spec, value: object, valid: bool) -> None:
    """RFC 9110, 10.2.3: delay-seconds or an HTTP-date (IMF-fixdate when sent); D-019."""
    pointer = "#/components/responses/TooManyRequests/headers/Retry-After"
    assert spec.resolve(pointer)["required"] is False
    assert SchemaValidator(spec).validator(pointer + "/schema").is_valid(value) is valid
