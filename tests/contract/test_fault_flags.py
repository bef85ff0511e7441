"""Proof that the suites catch what they should: against the emulator over HTTP with a profile,
every fault flag (one drift from the documents each) fails the run, naming the right rule."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from contract_tests import SUITES, RunOptions, Target, run_suites

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


@pytest.mark.parametrize("name", sorted(FAULT_FLAGS))
def test_each_fault_flag_is_caught(profile: Profile, name: str) -> None:
    flag = FAULT_FLAGS[name]
    httpx.post(f"{profile.base_url}/__emulator/reset").raise_for_status()
    httpx.put(f"{profile.base_url}/__emulator/flags", json={"fault_flags": [name]}).raise_for_status()
    target = Target(profile)
    try:
        run = run_suites(target, SPEC, RunOptions(suites=NO_SCHEMATHESIS, rules=(flag.expected,)))
    finally:
        target.close()
        httpx.put(f"{profile.base_url}/__emulator/flags", json={}).raise_for_status()
    failed = [r for r in run.results if r.status == "failed"]
    assert flag.expected in {r.rule for r in failed}, [(r.check, r.status, r.message) for r in run.results]
    assert all(f.curl is None or f.curl.startswith("curl -X") for r in failed for f in r.findings)


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
