"""ISO 8601 durations as the rules write them, and the schema a rule's target names."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from u4b_vouchers.spec import Spec, parse_duration, shift, target_schema


def ms(*parts: int) -> int:
    return int(datetime(*parts, tzinfo=UTC).timestamp() * 1000)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("start", "duration", "end"),
    [
        (ms(2026, 1, 31), "P1M", ms(2026, 2, 28)),
        (ms(2028, 2, 29), "P1Y", ms(2029, 2, 28)),
        (ms(2026, 11, 22, 12), "-PT24H", ms(2026, 11, 21, 12)),
        (ms(2026, 11, 22), "P1W2DT3H4M5S", ms(2026, 12, 1, 3, 4, 5)),
        (ms(2026, 3, 15), "-P1Y1M", ms(2025, 2, 15)),
    ],
)
def test_durations_move_instants(start: int, duration: str, end: int) -> None:
    assert parse_duration(duration).add_to(start) == end
    assert shift(start, duration) == end


def test_durations_have_approximate_lengths() -> None:
    assert parse_duration("P1Y").days == pytest.approx(365.25)
    assert parse_duration("-PT24H").days == -1
    assert parse_duration("P6M").days < parse_duration("P1Y").days


@pytest.mark.parametrize("text", ["P", "-P", "PT", "1Y", "P1.5D", "P1H", ""])
def test_invalid_durations(text: str) -> None:
    with pytest.raises(ValueError, match="ISO 8601"):
        parse_duration(text)


def test_targets_name_schemas(spec: Spec) -> None:
    update, guests = spec.operation("updateVoucherProgram"), spec.operation("getVoucherProgramGuestInfo")
    assert target_schema(spec, update, "body.value_per_trip_percentage") == spec.resolve(
        "#/components/schemas/UpdateVoucherProgramRequest/properties/value_per_trip_percentage"
    )
    assert target_schema(spec, update, "body.pickup_locations[].radius") == spec.resolve(
        "#/components/schemas/Location/properties/radius"
    )
    assert target_schema(spec, update, "body.ends_at") == spec.resolve("#/components/schemas/EpochMillis")
    assert target_schema(spec, guests, "query.limit") == {"type": "integer"}
    assert target_schema(spec, update, "body")
    assert target_schema(spec, update, "body.nope") is None
    assert target_schema(spec, update, "body.name[].x") is None
    assert target_schema(spec, guests, "query.nope") is None
    assert target_schema(spec, guests, "body") is None
