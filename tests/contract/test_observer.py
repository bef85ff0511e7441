"""The traffic judge against the emulator in-process: quiet on every correct server (the
default and every reading), and catching each fault flag at its rule and severity, or the flag
is listed with the reason traffic cannot show it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from contract_tests.findings import FAILURE, Finding
from contract_tests.observer import TrafficJudge

from tests.client.conftest import BASE_URL, TOKEN_URL, first_party
from tests.contract.judging import JudgingTransport
from tests.contract.readings_matrix import changed, pairwise, single_readings
from tests.contract.traffic_scenarios import SCENARIOS, Traffic, run_all
from tests.emulator.conftest import DEMO, FIXTURES, ORG
from u4b_vouchers.client import SyncASGITransport
from u4b_vouchers.emulator import FAULT_FLAGS, Emulator
from u4b_vouchers.spec import load_spec

SPEC = load_spec()
JUDGE = TrafficJudge(SPEC)  # a template: each run copies its parsed parts

#: Flags traffic cannot show, each with the reason. A flag neither here nor caught fails.
NOT_FROM_TRAFFIC = {
    "update-canceled-programs": "no response of the four operations says a program is canceled "
    "(cancelling is done elsewhere), so an accepted update cannot be known to touch one",
    "set-absent-deductible": "no response shows whether a program has a deductible (created programs "
    "take the template's values, which no response carries)",
    "ignore-template-name": "the template's name is in no response: a create naming another is not known to break it",
    "accept-inactive-template": "whether a template is active is in no response",
    "ignore-generation-in-progress": "whether codes are still being generated is in no response; "
    "a 409 shows only when the server says so",
    "not-found-as-400": "the documents give 400 invalid_request to other rules of the same request "
    "(organization isolation, page tokens), so a 400 for an unknown program is not known to be wrong",
    "delegated-may-create": "the grant behind a bearer token is not in the traffic",
    "scopes-not-checked": "a token's scopes are not in the traffic",
    "unapproved-third-party-served": "whether an organization authorized an application is not in the traffic",
    "leak-other-organizations": "which organization a token belongs to is not in the traffic",
    "paging-accepts-forged-tokens": "a token the judge never saw issued may come from traffic before it "
    "started watching, so answering it is not judged",
    "server-error-as-text": "shows only when the server fails; these scenarios cannot make it fail",
    "rate-limit-bad-retry-after": "shows only when the server throttles; these scenarios stay under its limits",
    "accept-count-over-30000": "the count is refused as the program's quota all the same (GEN-TOTAL-CODES-MAX "
    "allows either answer): the exchange looks like a correct refusal",
}


@contextmanager
def judged(emulator: Emulator) -> Iterator[tuple[Traffic, TrafficJudge]]:
    judge = TrafficJudge(SPEC)
    transport = JudgingTransport(SyncASGITransport(emulator.app), judge)
    with httpx.Client(transport=transport) as http:
        yield Traffic(BASE_URL, http, ORG, dict(FIXTURES), first_party(), TOKEN_URL), judge


def findings_under(*, readings: dict[str, str] | None = None, flag: str | None = None) -> list[Finding]:
    emulator = Emulator(spec=SPEC, seed=DEMO, readings=readings)
    try:
        if flag is not None:
            emulator.set_switches(fault_flags=[flag])
        with judged(emulator) as (traffic, judge):
            run_all(traffic)
            return judge.findings
    finally:
        emulator.close()


def failures(found: list[Finding]) -> list[str]:
    return [f"{f.rule} {f.kind} {f.severity} {f.operation}: {f.message}" for f in found if f.fails]


def test_the_default_emulator_shows_no_finding() -> None:
    found = findings_under()
    assert [f"{f.rule} {f.kind}: {f.message}" for f in found] == []


PERMISSIVE_READINGS = {"CRT-MOBILE-FORMAT", "CRT-DISPLAY-TIMEZONE-IANA", "GEN-COUNT-POSITIVE"}
READINGS = [changed(row, SPEC) for row in single_readings(SPEC) + pairwise(SPEC)]


@pytest.mark.parametrize("readings", READINGS, ids=lambda r: ",".join(f"{k}={v}" for k, v in r.items()) or "default")
def test_no_failure_under_any_reading(readings: dict[str, str]) -> None:
    found = findings_under(readings=readings)
    assert failures(found) == []
    # The only warnings an allowed reading draws: implied rules taken the permissive way, as
    # the suites warn on them too (mobile-number=any, display-timezone=any, GEN-COUNT-POSITIVE=accept).
    assert {f.rule for f in found} <= PERMISSIVE_READINGS, found


@pytest.mark.parametrize("flag", sorted(set(FAULT_FLAGS) - set(NOT_FROM_TRAFFIC)))
def test_each_flag_is_caught_at_its_rule_and_severity(flag: str) -> None:
    want = FAULT_FLAGS[flag]
    found = findings_under(flag=flag)
    at_rule = [f for f in found if f.rule == want.expected]
    assert at_rule, f"{flag}: nothing at {want.expected}; found {[(f.rule, f.kind) for f in found]}"
    assert want.severity in {f.severity for f in at_rule}, [(f.rule, f.severity) for f in at_rule]
    if want.severity == FAILURE:
        assert any(f.fails for f in at_rule)


def test_every_flag_is_caught_or_listed_with_a_reason() -> None:
    assert set(NOT_FROM_TRAFFIC) <= set(FAULT_FLAGS), set(NOT_FROM_TRAFFIC) - set(FAULT_FLAGS)
    assert all(len(reason) > 20 for reason in NOT_FROM_TRAFFIC.values())


def test_the_scenarios_use_every_operation() -> None:
    emulator = Emulator(spec=SPEC, seed=DEMO)
    try:
        with judged(emulator) as (traffic, judge):
            for scenario in SCENARIOS.values():
                scenario(traffic)
        assert judge.observed > 100
    finally:
        emulator.close()
