"""What succeeds, and what it changes: codes, created programs, persisted updates."""

from __future__ import annotations

import threading
from typing import Any

from tests.emulator.conftest import FIXTURES, Api, create_body
from u4b_vouchers.spec import SchemaValidator, load_spec

SPEC = load_spec()
VALIDATOR = SchemaValidator(SPEC)
DAY = 86_400_000


def response_schema(operation_id: str, status: str) -> str:
    op = SPEC.operation(operation_id)
    return f"{op.pointer}/responses/{status}/content/application~1json/schema"


def codes(api: Api, program: str) -> list[dict[str, Any]]:
    return list(api.http.get(f"/__emulator/programs/{program}/codes", params={"limit": 100000}).json()["codes"])


def test_generate_creates_unique_codes(api: Api) -> None:
    program = FIXTURES["program_started_multi_code"]
    before = len(codes(api, program))
    response = api.generate(program, {"number_of_codes": 500})
    assert response.status_code == 200
    assert response.content == b""  # D-003: no body is documented
    texts = [c["code_text"] for c in codes(api, program)]
    assert len(texts) == before + 500 == len(set(texts))


def test_generate_up_to_the_documented_maximum(api: Api) -> None:
    program = FIXTURES["program_not_started_multi_code"]
    existing = len(codes(api, program))
    assert api.generate(program, {"number_of_codes": 30000 - existing}).status_code == 200
    texts = {c["code_text"] for c in codes(api, program)}
    assert len(texts) == 30000
    assert api.generate(program, {"number_of_codes": 1}).status_code == 400


def test_concurrent_generation_never_repeats_a_code(api: Api) -> None:
    program = FIXTURES["program_started_multi_code"]
    results: list[int] = []

    def worker() -> None:
        results.extend(api.generate(program, {"number_of_codes": 200}).status_code for _ in range(3))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [200] * 12
    texts = [c["code_text"] for c in codes(api, program)]
    assert len(texts) == len(set(texts)) == 50 + 12 * 200


def test_concurrent_updates_of_one_program_are_all_kept(api: Api) -> None:
    program = FIXTURES["program_not_started_multi_code"]
    changes = [
        {"name": "A"},
        {"expense_memo": "B"},
        {"timezone": "Europe/Paris"},
        {"value_per_trip_max_amount": 99.0},
        {"value_recurrence_period": "DAILY"},
        {"vehicle_category_types": ["PREMIUM"]},
    ]
    statuses: list[int] = []
    threads = [
        threading.Thread(target=lambda c=c: statuses.append(api.update(program, c).status_code)) for c in changes
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [204] * len(changes)
    stored = api.program(program)
    for change in changes:
        for key, value in change.items():
            assert stored[key] == value


def test_create_returns_the_documented_shape_and_a_usable_program(api: Api) -> None:
    body = create_body(api, memo="Some memo", mobile_number="+14155550123", display_timezone="America/Los_Angeles")
    response = api.create(body)
    assert response.status_code == 200, response.text
    created = response.json()
    assert VALIDATOR.is_valid(response_schema("createIndividualVoucherProgram", "200"), created)
    assert created["name"] == FIXTURES["template_active_name"]
    assert created["template_uuid"] == FIXTURES["template_active"]
    assert created["memo"] == "Some memo"
    assert (created["starts_at"], created["ends_at"]) == (body["starts_at"], body["ends_at"])
    # D-020: the campaign is a voucher program the other operations accept.
    guests = api.guests(created["campaign_uuid"]).json()["guests"]
    assert [(g["name"], g["email"], g["phone"], g["voucher"]["voucher_status"]) for g in guests] == [
        ("Jane Doe", "jane@example.com", "+14155550123", "VOUCHER_SCHEDULED")
    ]
    assert api.update(created["campaign_uuid"], {"expense_memo": "changed"}).status_code == 204


def test_guest_pages_match_the_schema(api: Api) -> None:
    for program in (
        FIXTURES["program_started_multi_code"],
        FIXTURES["program_with_many_guests"],
        FIXTURES["program_canceled"],
    ):
        body = api.guests(program).json()
        errors = list(VALIDATOR.errors(response_schema("getVoucherProgramGuestInfo", "200"), body))
        assert errors == []


def test_every_voucher_status_is_served(api: Api) -> None:
    statuses = {
        g["voucher"]["voucher_status"] for g in api.guests(FIXTURES["program_started_multi_code"]).json()["guests"]
    }
    assert len(statuses) == 6


def test_canceled_at_only_on_canceled_vouchers(api: Api) -> None:
    for program in (FIXTURES["program_started_multi_code"], FIXTURES["program_canceled"]):
        for guest in api.guests(program).json()["guests"]:
            voucher = guest.get("voucher", {})
            if voucher.get("canceled_at"):
                assert voucher["voucher_status"] == "VOUCHER_CANCELED"


def test_updates_are_persisted(api: Api) -> None:
    program = FIXTURES["program_started_multi_code"]
    before = api.program(program)
    change = {
        "value_per_trip_percentage": before["value_per_trip_percentage"] + 5,
        "value_per_trip_max_amount": before["value_per_trip_max_amount"],  # equal: accepted (D-032)
        "ends_at": before["ends_at"] + DAY,
        "trip_restriction_type": "PICKUP_ONLY",
        "pickup_locations": [{"latitude": 1.0, "longitude": 2.0, "radius": 20, "address": "Here"}],
        "dropoff_locations": [{"address": "There"}],
        "surprise": "undocumented fields are ignored (D-024)",
    }
    assert api.update(program, change).status_code == 204
    after = api.program(program)
    for key in (
        "value_per_trip_percentage",
        "ends_at",
        "trip_restriction_type",
        "pickup_locations",
        "dropoff_locations",
    ):
        assert after[key] == change[key]
    assert "surprise" not in after


def test_vendor_example_update_succeeds_on_a_fitting_program(api: Api) -> None:
    example = SPEC.operation("updateVoucherProgram").raw["requestBody"]["content"]["application/json"]["examples"][
        "documented"
    ]["value"]
    program = FIXTURES["program_not_started_single_code"]
    now = api.now()
    body = {**example, "starts_at": now + 2 * DAY, "ends_at": now + 20 * DAY}
    assert api.update(program, body).status_code == 204


def test_any_state_but_canceled_can_be_extended(api: Api) -> None:
    for kind in (
        "program_not_started_multi_code",
        "program_started_multi_code",
        "program_completed",
    ):
        program = FIXTURES[kind]
        new_end = max(api.program(program)["ends_at"], api.now()) + 40 * DAY
        assert api.update(program, {"ends_at": new_end}).status_code == 204, kind
        assert api.program(program)["ends_at"] == new_end


def test_an_empty_vehicle_list_lifts_the_restriction(api: Api) -> None:
    program = FIXTURES["program_not_started_single_code"]
    assert api.update(program, {"vehicle_category_types": []}).status_code == 204
    assert api.program(program)["vehicle_category_types"] == []


def test_an_empty_update_is_accepted(api: Api) -> None:
    assert api.update(FIXTURES["program_started_multi_code"], {}).status_code == 204


def test_program_defaults(api: Api) -> None:
    """UPD-TIMEZONE-DEFAULT and UPD-RECURRENCE-DEFAULT: a program that never set them."""
    view = api.program(FIXTURES["program_started_single_code"])
    assert (view["timezone"], view["value_recurrence_period"]) == ("UTC", "SINGLE")


def test_time_moves_programs_through_their_states(api: Api) -> None:
    program = FIXTURES["program_not_started_multi_code"]
    starts = api.program(program)["starts_at"]
    assert api.update(program, {"vehicle_category_types": ["ECONOMY"]}).status_code == 204
    api.http.post("/__emulator/clock/set", json={"now_ms": starts})
    assert api.update(program, {"vehicle_category_types": ["PREMIUM"]}).status_code == 400
    assert api.program(program)["status"] == "active"
