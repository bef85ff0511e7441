"""The gate tells the truth on any correct server: the whole gate (every suite, Schemathesis
included) finds no failure against the emulator under each reading on its own and under a
pairwise covering set of all readings, in-process and over HTTP with a profile and no control
plane; and it warns exactly where a reading takes the permissive side of an implied rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from contract_tests import RunOptions, RunResult, Target, run_suites

from tests.contract.readings_matrix import changed, pairwise, single_readings
from tests.contract.serving import serving
from u4b_vouchers.cli import profile_of
from u4b_vouchers.client import SyncASGITransport
from u4b_vouchers.emulator import RELAXES, Emulator, known_readings
from u4b_vouchers.spec import load_spec, parse_rules

SPEC = load_spec()
RULES = {rule.id: rule for rule in parse_rules(SPEC.data)}
READINGS = known_readings(SPEC)
SINGLES = single_readings(SPEC)
PAIRWISE = [changed(row, SPEC) for row in pairwise(SPEC)]
#: Few random examples: every edge probe runs whatever the number, and the matrix is large.
OPTIONS = RunOptions(max_examples=3)
#: Behaviour readings that take the permissive side of an implied rule, beyond RELAXES (which
#: the emulator also uses to stop enforcing a rule): plain page tokens read a token the server
#: did not issue as a position (D-013).
PERMISSIVE = {**RELAXES, ("page-tokens", "plain"): "GST-PAGE-TOKEN-VALID"}


def permissive(readings: dict[str, str]) -> set[str]:
    """The implied rules whose permissive side ``readings`` take: exactly where warnings belong."""
    found = set()
    for name, value in readings.items():
        rule = READINGS[name].rule
        if rule is not None and value == "accept":
            found.add(rule)
        if (name, value) in PERMISSIVE:
            found.add(PERMISSIVE[(name, value)])
    return {rule for rule in found if RULES[rule].basis == "implied"}


def label(readings: dict[str, str]) -> str:
    return ",".join(f"{k}={v}" for k, v in sorted(readings.items())) or "defaults"


def in_process(readings: dict[str, str]) -> RunResult:
    emulator = Emulator(spec=SPEC, readings=readings)
    target = Target(profile_of(emulator, "http://emulator.embedded"), transport=SyncASGITransport(emulator.app))
    target.asgi_app = emulator.app
    try:
        return run_suites(target, SPEC, OPTIONS)
    finally:
        target.close()
        emulator.close()


def judged(run: RunResult, readings: dict[str, str], *, exact: bool) -> None:
    assert [(f.check, f.rule, f.message) for f in run.failures] == []
    assert [(r.check, r.message) for r in run.errors] == []
    warned = {f.rule for f in run.warnings}
    expected = permissive(readings)
    if exact:
        assert warned == expected, [(f.check, f.rule, f.message) for f in run.warnings]
    else:
        assert warned <= expected, [(f.check, f.rule, f.message) for f in run.warnings]
    assert run.conformant


def test_the_matrix_covers_every_value_and_pair() -> None:
    values = {(name, value) for row in SINGLES for name, value in row.items()}
    assert values == {
        (n, v) for n, r in READINGS.items() for v in (*r.values, *(["3"] if r.numeric else [])) if v != r.default
    }
    assert len(PAIRWISE) < len(SINGLES)


@pytest.mark.parametrize("readings", SINGLES, ids=label)
def test_each_reading_on_its_own_in_process(readings: dict[str, str]) -> None:
    judged(in_process(readings), readings, exact=True)


@pytest.mark.parametrize("readings", PAIRWISE, ids=label)
def test_the_pairwise_set_in_process(readings: dict[str, str]) -> None:
    judged(in_process(readings), readings, exact=False)


@pytest.mark.parametrize("readings", PAIRWISE, ids=label)
def test_the_pairwise_set_over_http_without_the_control_plane(readings: dict[str, str], tmp_path: Path) -> None:
    options = [part for name, value in sorted(readings.items()) for part in ("--reading", f"{name}={value}")]
    with serving(tmp_path, options) as profile:
        assert not profile.emulator  # no control plane: the profile does not offer it
        target = Target(profile)
        try:
            run = run_suites(target, SPEC, OPTIONS)
        finally:
            target.close()
    judged(run, readings, exact=False)
    assert not any(r.used_control_plane for r in run.results)
