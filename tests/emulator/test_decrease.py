"""``direction: decrease`` end to end in the emulator: a description in which an increase-only
rule is turned into a decrease-only one makes the emulator refuse an increase and accept a
decrease on a started program (and nothing changes before the start)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.emulator.conftest import DEMO, FIXTURES, Api, assert_error
from u4b_vouchers.emulator import Emulator
from u4b_vouchers.spec import default_spec_path, load_spec

RULE = "UPD-PERCENT-INCREASE-ONLY"
FIELD = "value_per_trip_percentage"


def decreasing_description(folder: Path) -> Path:
    data = yaml.safe_load(default_spec_path().read_text(encoding="utf-8"))
    (rule,) = [r for r in data["x-u4b-rules"] if r["id"] == RULE]
    assert rule["kind"] == "monotonic"
    assert rule["direction"] == "increase"
    rule["direction"] = "decrease"
    path = folder / "vouchers.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def decreasing(tmp_path: Path) -> Iterator[Api]:
    emulator = Emulator(spec=load_spec(decreasing_description(tmp_path)), seed=DEMO)
    client = Api(emulator)
    try:
        with client.http:
            yield client
    finally:
        emulator.close()


def test_on_a_started_program_an_increase_is_refused_and_a_decrease_accepted(decreasing: Api) -> None:
    program = FIXTURES["program_started_multi_code"]
    current = decreasing.program(program)[FIELD]
    assert_error(decreasing.update(program, {FIELD: current + 1}), 400, "invalid_request", RULE)
    assert decreasing.program(program)[FIELD] == current
    assert decreasing.update(program, {FIELD: current - 1}).status_code == 204
    assert decreasing.program(program)[FIELD] == current - 1
    assert decreasing.update(program, {FIELD: current - 1}).status_code == 204  # equal: unspecified, accepted
    assert_error(decreasing.update(program, {FIELD: current}), 400, "invalid_request", RULE)


def test_before_the_start_both_ways_are_accepted(decreasing: Api) -> None:
    program = FIXTURES["program_not_started_multi_code"]
    current = decreasing.program(program)[FIELD]
    assert decreasing.update(program, {FIELD: current - 1}).status_code == 204
    assert decreasing.update(program, {FIELD: current + 1}).status_code == 204


def test_the_other_increase_only_rules_still_refuse_a_decrease(decreasing: Api) -> None:
    program = FIXTURES["program_started_multi_code"]
    trips = decreasing.program(program)["value_per_period_max_trips"]
    assert_error(
        decreasing.update(program, {"value_per_period_max_trips": trips - 1}),
        400,
        "invalid_request",
        "UPD-MAX-TRIPS-INCREASE-ONLY",
    )
