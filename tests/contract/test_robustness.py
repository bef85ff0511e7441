"""The robustness suite fails no correct server: it passes under every reading of the emulator,
and it catches the two fault flags made for it (tests/contract/test_fault_flags.py)."""

from __future__ import annotations

import pytest
from contract_tests import RunOptions, Target, run_suites

from u4b_vouchers.cli import profile_of
from u4b_vouchers.client import SyncASGITransport
from u4b_vouchers.emulator import Emulator, known_readings
from u4b_vouchers.spec import load_spec

SPEC = load_spec()
VALUES = sorted(
    f"{reading.name}={value}"
    for reading in known_readings(SPEC).values()
    for value in (*reading.values, *(["3"] if reading.numeric else []))
    if value != reading.default
)


def robustness(emulator: Emulator) -> list[tuple[str, str | None, str]]:
    target = Target(profile_of(emulator, "http://emulator.embedded"), transport=SyncASGITransport(emulator.app))
    try:
        run = run_suites(target, SPEC, RunOptions(suites=("robustness",)))
    finally:
        target.close()
    assert run.results
    return [(r.check, r.rule, r.message) for r in run.results if r.status in ("failed", "error")]


@pytest.mark.parametrize("value", VALUES)
def test_robustness_passes_under_each_reading(value: str) -> None:
    name, _, chosen = value.partition("=")
    emulator = Emulator(spec=SPEC, readings={name: chosen})
    try:
        assert robustness(emulator) == []
    finally:
        emulator.close()


@pytest.mark.parametrize(
    ("flag", "rule"),
    [("malformed-json-as-html-500", "ERR-BODY-SHAPE"), ("garbage-page-token-500", "GST-PAGE-TOKEN-VALID")],
)
def test_robustness_catches_its_flags(flag: str, rule: str) -> None:
    emulator = Emulator(spec=SPEC)
    emulator.set_switches(fault_flags=[flag])
    try:
        failures = robustness(emulator)
    finally:
        emulator.close()
    assert rule in {found for _, found, _ in failures}
    assert all("500" in message for _, _, message in failures)
