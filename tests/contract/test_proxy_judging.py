"""The judge through the real proxy: ``u4b-vouchers proxy`` in a subprocess between the typed
client (and raw requests, the same scenarios as tests/contract/test_observer.py) and a served
emulator. A conformant emulator draws no finding; with a fault flag on, the proxy's
findings.json names the flag's rule at its severity. The flags traffic cannot show are the same
table as the in-process tests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from benchmarks.serving import served

from tests.client.conftest import first_party
from tests.contract.proxying import proxying
from tests.contract.test_observer import NOT_FROM_TRAFFIC
from tests.contract.traffic_scenarios import Traffic, run_all
from u4b_vouchers.emulator import FAULT_FLAGS
from u4b_vouchers.profile import Profile


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Profile]:
    """One served emulator with its control plane; each test resets it and sets its flags."""
    with served(tmp_path_factory.mktemp("served"), ["--seed-data", "demo"], control=True) as profile:
        yield profile


def through_proxy(emulator: Profile, folder: Path, flags: list[str]) -> tuple[int, dict[str, Any]]:
    """Reset the emulator, turn ``flags`` on, run every scenario through a proxy in front of it
    (tokens too); the proxy's exit code and its findings.json."""
    control = f"{emulator.base_url}/__emulator"
    httpx.post(f"{control}/reset").raise_for_status()
    httpx.put(f"{control}/flags", json={"fault_flags": flags}).raise_for_status()
    with proxying(emulator.base_url, ["--report-dir", str(folder), "--quiet"]) as proxy, httpx.Client() as http:
        traffic = Traffic(
            proxy.url,
            http,
            emulator.organization_id,
            dict(emulator.fixtures),
            first_party(),
            f"{proxy.url}/oauth/v2/token",
        )
        run_all(traffic)
    return proxy.returncode, json.loads((folder / "findings.json").read_text())


def test_a_conformant_emulator_draws_no_finding_through_the_proxy(emulator: Profile, tmp_path: Path) -> None:
    returncode, found = through_proxy(emulator, tmp_path, [])
    assert [(f["rule"], f["message"]) for f in found["findings"]] == []
    assert returncode == 0
    assert found["summary"]["exchanges"] > 50, found["summary"]
    assert found["summary"]["not_judged"] == found["summary"]["not_answered"] == 0, found["summary"]


@pytest.mark.parametrize("flag", sorted(set(FAULT_FLAGS) - set(NOT_FROM_TRAFFIC)))
def test_each_flag_is_flagged_by_the_proxy_at_its_rule(emulator: Profile, tmp_path: Path, flag: str) -> None:
    want = FAULT_FLAGS[flag]
    returncode, found = through_proxy(emulator, tmp_path, [flag])
    at_rule = [f for f in found["findings"] if f["rule"] == want.expected]
    assert at_rule, f"{flag}: nothing at {want.expected}; found {[(f['rule'], f['kind']) for f in found['findings']]}"
    assert want.severity in {f["severity"] for f in at_rule}, [(f["rule"], f["severity"]) for f in at_rule]
    assert found["summary"]["not_judged"] == 0, found["summary"]
    fails = found["summary"]["findings"]["failure"] > 0 or found["summary"]["not_answered"] > 0
    assert returncode == (1 if fails else 0), (returncode, found["summary"])
