"""Proof that the suites catch what they should: against the emulator over HTTP with a profile,
every fault flag (one drift from the documents each) fails the run, naming the right rule."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from contract_tests import SUITES, RunOptions, RunResult, Target, run_suites
from contract_tests.findings import Finding

from tests.contract.serving import serving
from tests.emulator.test_persistence import served
from u4b_vouchers.emulator import FAULT_FLAGS
from u4b_vouchers.profile import Profile, load_profile
from u4b_vouchers.spec import load_spec

SPEC = load_spec()
NO_SCHEMATHESIS = tuple(suite for suite in SUITES if suite != "schemathesis")


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Profile]:
    folder = tmp_path_factory.mktemp("served")
    with served(folder / "state.sqlite", folder / "profile.toml"):
        yield load_profile(folder / "profile.toml")


def test_there_are_at_least_30_distinct_flags_across_all_operations() -> None:
    assert len(FAULT_FLAGS) >= 30
    prefixes = {flag.expected.split("-")[0] for flag in FAULT_FLAGS.values()}
    assert prefixes >= {"GEN", "CRT", "GST", "UPD", "AUTH", "ERR"}


#: Flags that drift only under conditions the emulator's control plane provokes on demand (a
#: server error, throttling, codes still being generated): for them the profile offers it.
NEEDS_CONTROL = frozenset({"server-error-as-text", "rate-limit-bad-retry-after", "ignore-generation-in-progress"})
#: Flags whose drift includes another flag's: a baseline written on the first rightly accepts
#: what the second shows, so the two are never paired in the baseline test.
INCLUDES = {
    "accept-percentage-out-of-range": {
        "bounds-off-by-one",
        "edge-value-per-trip-percentage-min",
        "edge-value-per-trip-percentage-max",
    },
    "accept-max-trips-over-999": {"edge-value-per-period-max-trips-max"},
    "accept-small-radius": {"edge-radius-min"},
    "accept-count-over-30000": {"edge-number-of-codes-max"},
    "accept-unknown-vehicle": {"near-miss-vehicle-category-types"},
    "near-miss-value-recurrence-period": {"enums-ignore-case"},
    "bounds-off-by-one": {
        "edge-value-per-trip-percentage-min",
        "edge-value-per-trip-percentage-max",
        "edge-value-per-period-max-trips-max",
        "edge-radius-min",
        "edge-number-of-codes-max",
    },
    # The same deviation on the wire (a page longer than limit), from two causes.
    "paging-ignores-limit": {"limit-ignored"},
    "limit-ignored": {"paging-ignores-limit"},
}


def related(one: str, other: str) -> bool:
    return one in INCLUDES.get(other, set()) or other in INCLUDES.get(one, set())


def flag_run(name: str, folder: Path) -> RunResult:
    """The gate over HTTP, with a profile and (unless the flag needs it) no control plane,
    against an emulator started with one fault flag; only the checks covering its rule."""
    with serving(folder, ["--fault-flag", name], control=name in NEEDS_CONTROL) as served_profile:
        target = Target(served_profile)
        try:
            return run_suites(target, SPEC, RunOptions(suites=NO_SCHEMATHESIS, rules=(FAULT_FLAGS[name].expected,)))
        finally:
            target.close()


@pytest.fixture(scope="module")
def flag_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, RunResult]:
    return {name: flag_run(name, tmp_path_factory.mktemp(name)) for name in sorted(FAULT_FLAGS)}


def other_flag(name: str) -> str:
    """The flag a baseline is written on: another with the same rule whose drift neither
    includes this one's nor is included in it, else the next flag by name."""
    names = sorted(FAULT_FLAGS)
    same = [
        n for n in names if n != name and FAULT_FLAGS[n].expected == FAULT_FLAGS[name].expected and not related(n, name)
    ]
    return same[0] if same else names[(names.index(name) + 1) % len(names)]


def caught(run: RunResult, name: str) -> list[Finding]:
    flag = FAULT_FLAGS[name]
    return [f for f in run.findings if f.rule == flag.expected and f.severity == flag.severity]


@pytest.mark.parametrize("name", sorted(FAULT_FLAGS))
def test_each_fault_flag_is_caught_at_its_rule_and_severity(flag_runs: dict[str, RunResult], name: str) -> None:
    run = flag_runs[name]
    assert caught(run, name), [(f.check, f.rule, f.severity, f.message) for f in run.findings] or [
        (r.check, r.status, r.message) for r in run.results
    ]
    assert all(f.curl is None or f.curl.startswith("curl -X") for f in run.findings)
    if name not in NEEDS_CONTROL:
        assert not any(r.used_control_plane for r in run.results)
    if FAULT_FLAGS[name].severity == "warning":  # a flag that only warns fails nothing
        assert not run.failures, [(f.rule, f.message) for f in run.failures]
        assert run.conformant


@pytest.mark.parametrize("name", sorted(FAULT_FLAGS))
def test_a_baseline_written_on_another_flag_does_not_hide_it(flag_runs: dict[str, RunResult], name: str) -> None:
    """A baseline of ``other``'s findings accepts the findings whose fingerprints it lists; some
    finding of ``name`` at its rule and severity must stay new."""
    other = other_flag(name)
    accepted = {f.fingerprint for f in flag_runs[other].findings}
    new = {f.fingerprint for f in caught(flag_runs[name], name)} - accepted
    assert new, f"a baseline written on {other} accepts every finding of {name}"


def test_the_inclusions_are_real(flag_runs: dict[str, RunResult]) -> None:
    """Each declared inclusion between flags of one rule holds: the wider flag's findings at the
    rule cover the other's (flags of other rules are never paired, and their runs probe other
    rules)."""
    for wide, narrow in ((w, n) for w, ns in INCLUDES.items() for n in ns):
        rule = FAULT_FLAGS[narrow].expected
        if FAULT_FLAGS[wide].expected != rule:
            continue
        wide_prints = {f.fingerprint for f in flag_runs[wide].findings if f.rule == rule}
        narrow_prints = {f.fingerprint for f in flag_runs[narrow].findings if f.rule == rule}
        assert narrow_prints <= wide_prints, (wide, narrow)


def test_the_correct_emulator_fails_nothing_over_http(profile: Profile) -> None:
    httpx.post(f"{profile.base_url}/__emulator/reset").raise_for_status()
    target = Target(profile)
    try:
        run = run_suites(target, SPEC, RunOptions())
    finally:
        target.close()
    assert [(r.check, r.message) for r in run.results if r.status in ("failed", "error")] == []
    assert target.token_requests == 4  # one per identity that fetches tokens, for the whole run


def test_contract_tests_never_import_the_emulator() -> None:
    root = Path(__file__).resolve().parents[2] / "contract_tests"
    for file in root.glob("*.py"):
        tree = ast.parse(file.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith("u4b_vouchers.emulator"), file
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("u4b_vouchers.emulator") for a in node.names), file
