"""Every request of a run is in its recorded traffic, Schemathesis's own included: in order, counted
as the verdict counts requests, and with every secret taken out, as the target's own exchanges."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from contract_tests import RunOptions, RunResult, Target, run_suites
from contract_tests.redaction import REDACTED
from contract_tests.reports import cassette
from contract_tests.target import MAX_RECORDED_BODY

from u4b_vouchers.cli import profile_of
from u4b_vouchers.client import SyncASGITransport
from u4b_vouchers.diff import load_recordings, replay
from u4b_vouchers.emulator import Emulator
from u4b_vouchers.spec import load_spec

SPEC = load_spec()
SCHEMATHESIS = "schemathesis/all-phases"


@pytest.fixture(scope="module")
def whole_run() -> Iterator[tuple[RunResult, list[str], str]]:
    """A whole ``check`` run against the embedded emulator, as the command runs it in-process; the
    run, every token the run obtained, and its cassette."""
    emulator = Emulator(spec=SPEC, seed="demo")
    target = Target(profile_of(emulator, "http://emulator.embedded"), transport=SyncASGITransport(emulator.app))
    target.asgi_app = emulator.app
    try:
        run = run_suites(target, SPEC, RunOptions())
        identities = [name for name in target.profile.identities if target.has_identity(name)]
        tokens = [target.token(name) for name in identities]  # cached: no new request
        yield run, tokens, cassette(run)
    finally:
        target.close()
        emulator.close()


def test_every_request_of_the_run_is_recorded_in_order(whole_run: tuple[RunResult, list[str], str]) -> None:
    run, _, _ = whole_run
    assert run.requests == len(run.exchanges) + run.token_requests  # token requests are counted, not recorded
    indexes = [e.index for e in run.exchanges]
    assert indexes == sorted(set(indexes))
    assert indexes[-1] == run.requests
    by_check = {r.check: r for r in run.results}
    recorded = [e for e in run.exchanges if e.check == SCHEMATHESIS]
    assert len(recorded) == by_check[SCHEMATHESIS].requests > 100
    # every operation, and methods the description has no operation for (Schemathesis's probes)
    assert {e.operation for e in recorded} == {None, *(op.operation_id for op in SPEC.operations())}
    assert all(e.status >= 200 for e in recorded)
    assert all(e.url.startswith("http://emulator.embedded/v1/") for e in recorded)
    assert all(len(e.request_body or "") <= MAX_RECORDED_BODY + 64 for e in recorded)


def test_schemathesis_requests_carry_no_secret(whole_run: tuple[RunResult, list[str], str]) -> None:
    run, tokens, text = whole_run
    assert tokens
    assert all(len(token) >= 6 for token in tokens)
    for secret in (*tokens, "demo-first-party-secret", "demo-delegated-access-token"):
        assert secret not in text
    interactions = json.loads(text)["interactions"]
    schemathesis = [i for i in interactions if i["check"] == SCHEMATHESIS]
    assert len(schemathesis) == next(r.requests for r in run.results if r.check == SCHEMATHESIS)
    authorizations = {
        value
        for i in schemathesis
        for name, value in i["request"]["headers"].items()
        if name.lower() == "authorization"
    }
    assert authorizations == {f"Bearer {REDACTED}"}
    assert all(i["response"]["status"] for i in schemathesis)


def test_the_whole_runs_cassette_replays_clean_against_the_description(
    whole_run: tuple[RunResult, list[str], str], tmp_path: Path
) -> None:
    """A conformant run's traffic, Schemathesis's probes of methods no operation has included (the
    server refused them), is traffic the same description accepts."""
    _, _, recorded = whole_run
    (tmp_path / "cassette.json").write_text(recorded, encoding="utf-8")
    rejected = replay(load_recordings([tmp_path]), SPEC)
    assert rejected == [], [(r.interaction.method, r.interaction.url, r.reason) for r in rejected[:5]]
