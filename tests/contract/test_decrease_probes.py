"""The suites probe a monotonic rule the way the description says it goes: against an emulator
whose description turns an increase-only rule into a decrease-only one, the suites judged with
that description move the value down (kept) and then one step up (refused), and a target that
ignores the rule fails at it."""

from __future__ import annotations

import json

import httpx
import pytest
import yaml
from contract_tests import RunOptions, RunResult, Target, run_suites
from contract_tests.limits import FLOOR, monotonic

from u4b_vouchers.cli import profile_of
from u4b_vouchers.client import SyncASGITransport
from u4b_vouchers.emulator import Emulator
from u4b_vouchers.spec import Spec, default_spec_path, load_spec, parse_rules

RULE = "UPD-PERCENT-INCREASE-ONLY"
FIELD = "value_per_trip_percentage"
BASE = "http://emulator.embedded"


@pytest.fixture(scope="module")
def decreasing(tmp_path_factory: pytest.TempPathFactory) -> Spec:
    data = yaml.safe_load(default_spec_path().read_text(encoding="utf-8"))
    (rule,) = [r for r in data["x-u4b-rules"] if r["id"] == RULE]
    rule["direction"] = "decrease"
    path = tmp_path_factory.mktemp("decrease") / "vouchers.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return load_spec(path)


def test_the_probe_of_a_decreasing_rule_moves_down(decreasing: Spec) -> None:
    rules = {rule.id: rule for rule in parse_rules(decreasing.data)}
    down = monotonic(decreasing, rules[RULE], open_end=10**6, number_step=0.5)
    minimum = decreasing.resolve(f"#/components/schemas/UpdateVoucherProgramRequest/properties/{FIELD}/minimum")
    assert (down.sign, down.far, down.forward(10), down.back(10)) == (-1, minimum, 9, 11)
    up = monotonic(decreasing, rules["UPD-MAX-TRIPS-INCREASE-ONLY"], open_end=10**6, number_step=0.5)
    assert (up.sign, up.field.lowest, up.forward(10), up.back(10)) == (1, FLOOR, 11, 9)
    assert down.holds_for("program_started_multi_code")
    assert not down.holds_for("program_not_started_multi_code")


def judge(emulator_spec: Spec, judged_by: Spec, *, disabled: tuple[str, ...] = ()) -> RunResult:
    emulator = Emulator(spec=emulator_spec, seed="demo")
    transport = SyncASGITransport(emulator.app)
    target = Target(profile_of(emulator, BASE, name="decreasing emulator"), transport=transport)
    target.asgi_app = emulator.app
    try:
        if disabled:
            with httpx.Client(transport=transport, base_url=BASE) as control:
                control.put("/__emulator/flags", json={"disabled_rules": list(disabled)}).raise_for_status()
        return run_suites(target, judged_by, RunOptions(suites=("rules", "lifecycle"), rules=(RULE,)))
    finally:
        target.close()
        emulator.close()


def failures(run: RunResult) -> list[tuple[str, str | None]]:
    assert run.results
    return [(r.check, r.rule) for r in run.results if r.status in ("failed", "error")]


def test_the_suites_move_the_value_the_way_the_description_says(decreasing: Spec) -> None:
    run = judge(decreasing, decreasing)
    assert failures(run) == []
    sent = [
        (json.loads(e.request_body or "{}").get(FIELD), e.status, e.response_headers.get("x-u4b-rule"))
        for e in run.exchanges
        if e.check == "rules/update-increase-only" and FIELD in (e.request_body or "")
    ]
    minimum = decreasing.resolve(f"#/components/schemas/UpdateVoucherProgramRequest/properties/{FIELD}/minimum")
    # Down to the minimum (kept), then one step up: refused under the rule.
    assert sent == [(minimum, 204, None), (minimum + 1, 400, RULE)]


def test_a_target_that_ignores_the_decreasing_rule_fails_at_it(decreasing: Spec) -> None:
    assert ("rules/update-increase-only", RULE) in failures(judge(decreasing, decreasing, disabled=(RULE,)))
