"""The generated models accept what the API sends and refuse what the documents forbid."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from pydantic import BaseModel, TypeAdapter, ValidationError

import u4b_vouchers_generated as models
from tests.conftest import ROOT
from u4b_vouchers.spec import Spec, iter_examples, load_spec
from u4b_vouchers.strategies import valid_values

SPEC = load_spec()
SCHEMAS = "#/components/schemas/"
#: The component schemas that are whole payloads, and their models.
PAYLOADS = [
    "GenerateVoucherCodesRequest",
    "CreateIndividualVoucherProgramRequest",
    "CreateIndividualVoucherProgramResponse",
    "GuestList",
    "UpdateVoucherProgramRequest",
    "Error",
]


def model_for(spec: Spec, schema_pointer: str) -> type[BaseModel] | None:
    """The generated model of a media type's schema: its component, or Error for error bodies."""
    node = spec.resolve(schema_pointer)
    if "$ref" in node:
        return getattr(models, node["$ref"].rsplit("/", 1)[-1])  # type: ignore[no-any-return]
    if any("Error" in m.get("$ref", "") for m in node.get("allOf", [])):
        return models.Error
    return None


def examples() -> list[Any]:
    found = []
    for example in iter_examples(SPEC):
        if "/content/" in example.schema_pointer and model_for(SPEC, example.schema_pointer):
            found.append(pytest.param(example, id=example.pointer.split("/", 2)[-1][-70:]))
    return found


def dump(value: BaseModel) -> Any:
    return value.model_dump(mode="json", exclude_unset=True, by_alias=True)


@pytest.mark.parametrize("example", examples())
def test_every_example_parses_and_round_trips(example: Any) -> None:
    model = model_for(SPEC, example.schema_pointer)
    assert model is not None
    parsed = model.model_validate(example.value)
    assert dump(parsed) == example.value


def test_examples_cover_every_payload_model() -> None:
    covered = {model_for(SPEC, e.schema_pointer) for e in iter_examples(SPEC) if "/content/" in e.schema_pointer}
    assert {getattr(models, name) for name in PAYLOADS} <= covered


@pytest.mark.parametrize("name", PAYLOADS)
def test_generated_valid_payloads_parse(name: str) -> None:
    model = getattr(models, name)

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(valid_values(SPEC, SCHEMAS + name))
    def parses(value: Any) -> None:
        parsed = model.model_validate(value)
        assert TypeAdapter(model).validate_python(dump(parsed)) == parsed

    parses()


def test_the_documented_guest_list_with_an_unclaimed_voucher() -> None:
    page = {
        "guests": [
            {"name": "John Doe", "email": "john.doe@uber.com", "phone": "11234567890",
             "code": {"code_id": "1d6b34d1-1f06-4cb6-a97a-8bbfdcff119c", "code_text": "asdbHd2"},
             "voucher": {"voucher_id": "d8b75c60-4924-42a0-bfa1-6390682afdb2", "voucher_status": "VOUCHER_CLAIMED",
                         "usage_count": 20, "usage_amount": "200", "canceled_at": 0}},
            {"email": "jane.doe@uber.com", "phone": "11234567890",
             "code": {"code_id": "b05416c0-01cd-52fa-a04e-24f9aaaddc43", "code_text": "asdbHd5"},
             "voucher": {"voucher_status": "VOUCHER_SENT"}},
        ]
    }
    parsed = models.GuestList.model_validate(page)
    assert parsed.guests is not None
    unclaimed = parsed.guests[1].voucher
    assert unclaimed is not None
    assert unclaimed.voucher_status == models.VoucherStatus.VOUCHER_SENT
    assert unclaimed.voucher_id is None
    assert parsed.guests[0].voucher is not None
    assert parsed.guests[0].voucher.usage_amount == "200"
    assert dump(parsed) == page
    assert dump(models.GuestList.model_validate({})) == {}  # D-011: the list may be absent


@pytest.mark.parametrize(
    ("model", "payload"),
    [
        (models.GenerateVoucherCodesRequest, {"number_of_codes": 30001}),
        (models.GenerateVoucherCodesRequest, {"number_of_codes": "5"}),
        (models.GenerateVoucherCodesRequest, {}),
        (models.UpdateVoucherProgramRequest, {"value_per_trip_percentage": 4}),
        (models.UpdateVoucherProgramRequest, {"value_per_trip_percentage": 100}),
        (models.UpdateVoucherProgramRequest, {"value_per_period_max_trips": 1000}),
        (models.UpdateVoucherProgramRequest, {"vehicle_category_types": ["BOAT"]}),
        (models.UpdateVoucherProgramRequest, {"value_recurrence_period": "WEEKLY"}),
        (models.UpdateVoucherProgramRequest, {"trip_restriction_type": "ANYWHERE"}),
        (models.UpdateVoucherProgramRequest, {"pickup_locations": [{"address": "x", "radius": 19}]}),
        (models.UpdateVoucherProgramRequest, {"pickup_locations": [{"radius": 50}]}),
        (models.GuestList, {"guests": [{"voucher": {"voucher_status": "VOUCHER_LOST"}}]}),
        (models.GuestList, {"guests": [{"email": "not-an-email"}]}),
        (models.GuestList, {"guests": [{"voucher": {"usage_amount": "two hundred"}}]}),
    ],
)
def test_payloads_that_break_a_documented_bound_or_enum_are_rejected(model: type[BaseModel], payload: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        model.model_validate(payload)


def test_create_requires_an_email_or_a_mobile_number() -> None:
    base = {
        "template_uuid": "66e129f6-7020-4ac5-9166-b71d68fb82af", "program_uuid": "5b1b4b8e-3f0a-4c44-9d0e-2f6f7f0f2a11",
        "owner_uuid": "a283a599-989f-4e5f-860d-d2d3af36b692", "owner_type": "ORGANIZATION", "name": "n",
        "display_name": "d", "starts_at": 1, "ends_at": 2,
    }
    with pytest.raises(ValidationError):
        models.CreateIndividualVoucherProgramRequest.model_validate(base)
    assert models.CreateIndividualVoucherProgramRequest.model_validate({**base, "mobile_number": "+14155550123"})
    with pytest.raises(ValidationError):
        models.CreateIndividualVoucherProgramRequest.model_validate({**base, "mobile_number": "4155550123"})


def test_what_the_generator_drops() -> None:
    """README, limitations: the trip-restriction if/then rules are not in the models (the typed
    client enforces them from the spec instead; tests/client checks that)."""
    assert models.UpdateVoucherProgramRequest.model_validate({"trip_restriction_type": "PICKUP_ONLY"})


def test_generated_code_is_up_to_date() -> None:
    # Importing the models writes their byte code beside them (any command that imports the client
    # does, `check` first in CI): the drift check compares the sources only.
    (ROOT / "generated" / "python" / "u4b_vouchers_generated" / "__pycache__").mkdir(exist_ok=True)
    result = subprocess.run([str(ROOT / "scripts" / "generate"), "--check"], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
