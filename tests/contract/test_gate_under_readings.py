"""The gate tells the truth on any correct server: the whole gate (every suite, Schemathesis
included) finds no failure against the emulator under each reading on its own and under a
pairwise covering set of all readings, in-process and over HTTP with a profile and no control
plane; and it warns exactly where a reading takes the permissive side of an implied rule.

The runs are many (each reading value twice, the pairwise set twice), so they are made once, in
as many worker processes as the machine has cores, and each test reads its run's verdict."""

from __future__ import annotations

import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
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
IN_PROCESS, OVER_HTTP = "in-process", "over HTTP"
Key = tuple[str, tuple[tuple[str, str], ...]]


@dataclass(frozen=True)
class Verdict:
    """What a test needs of one run (picklable, unlike the run's exchanges)."""

    failures: list[tuple[str, str, str]]
    errors: list[tuple[str, str]]
    warnings: list[tuple[str, str, str]]
    control_plane_used: bool
    conformant: bool


def verdict_of(run: RunResult) -> Verdict:
    return Verdict(
        failures=[(f.check, f.rule, f.message) for f in run.failures],
        errors=[(r.check, r.message) for r in run.errors],
        warnings=[(f.check, f.rule, f.message) for f in run.warnings],
        control_plane_used=any(r.used_control_plane for r in run.results),
        conformant=run.conformant,
    )


def run_in_process(readings: dict[str, str]) -> Verdict:
    emulator = Emulator(spec=SPEC, readings=readings)
    target = Target(profile_of(emulator, "http://emulator.embedded"), transport=SyncASGITransport(emulator.app))
    target.asgi_app = emulator.app
    try:
        return verdict_of(run_suites(target, SPEC, OPTIONS))
    finally:
        target.close()
        emulator.close()


def run_over_http(readings: dict[str, str]) -> Verdict:
    options = [part for name, value in sorted(readings.items()) for part in ("--reading", f"{name}={value}")]
    with tempfile.TemporaryDirectory(prefix="gate-") as folder, serving(Path(folder), options) as profile:
        assert not profile.emulator  # no control plane: the profile does not offer it
        target = Target(profile)
        try:
            return verdict_of(run_suites(target, SPEC, OPTIONS))
        finally:
            target.close()


def run_one(job: Key) -> Verdict:
    how, readings = job
    return (run_in_process if how == IN_PROCESS else run_over_http)(dict(readings))


def key(how: str, readings: dict[str, str]) -> Key:
    return how, tuple(sorted(readings.items()))


@pytest.fixture(scope="module")
def verdicts() -> dict[Key, Verdict]:
    jobs = [key(how, row) for how in (IN_PROCESS, OVER_HTTP) for row in (*SINGLES, *PAIRWISE)]
    with ProcessPoolExecutor(max_workers=max(1, os.cpu_count() or 1), mp_context=get_context("spawn")) as pool:
        return dict(zip(jobs, pool.map(run_one, jobs), strict=True))


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


def judged(verdict: Verdict, readings: dict[str, str], *, exact: bool) -> None:
    assert verdict.failures == []
    assert verdict.errors == []
    warned = {rule for _, rule, _ in verdict.warnings}
    expected = permissive(readings)
    if exact:
        assert warned == expected, verdict.warnings
    else:
        assert warned <= expected, verdict.warnings
    assert verdict.conformant


def test_the_matrix_covers_every_value_and_pair() -> None:
    values = {(name, value) for row in SINGLES for name, value in row.items()}
    every = {(n, v) for n, r in READINGS.items() for v in (*r.values, *(["3"] if r.numeric else []))}
    assert values == {(n, v) for n, v in every if v != READINGS[n].default}
    assert len(PAIRWISE) < len(SINGLES)


ROWS = [(row, True) for row in SINGLES] + [(row, False) for row in PAIRWISE]
ROW_IDS = [("" if alone else "pairwise:") + label(row) for row, alone in ROWS]


@pytest.mark.parametrize("how", [IN_PROCESS, OVER_HTTP])
@pytest.mark.parametrize(
    ("readings", "alone"), ROWS, ids=[("" if alone else "pairwise:") + label(r) for r, alone in ROWS]
)
def test_the_gate_under_each_reading_and_the_pairwise_set(
    verdicts: dict[Key, Verdict], readings: dict[str, str], alone: bool, how: str
) -> None:
    """A reading on its own warns exactly at the implied rules it takes the permissive side of;
    a pairwise row at most there."""
    verdict = verdicts[key(how, readings)]
    judged(verdict, readings, exact=alone)
    if how == OVER_HTTP:
        assert not verdict.control_plane_used
