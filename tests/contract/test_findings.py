"""Every deviation is a finding: a check goes on after one, each distinct deviation is reported
once with its rule, severity, place, field and reproduction, and a baseline accepts exactly the
findings it was written on (never a new one under the same check and rule)."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from contract_tests import RunOptions, RunResult, Target, run_suites
from contract_tests.baseline import BaselineError, baseline_of, load_baseline
from contract_tests.findings import MAX_PER_CHECK
from contract_tests.reports import html, junit, markdown, verdict

from u4b_vouchers.cli import profile_of
from u4b_vouchers.client import SyncASGITransport
from u4b_vouchers.emulator import Emulator
from u4b_vouchers.spec import load_spec

SPEC = load_spec()


def gate(
    flags: tuple[str, ...] = (),
    *,
    suites: tuple[str, ...],
    rules: tuple[str, ...] = (),
    baseline: frozenset[str] = frozenset(),
    seed: int = 20261122,
    readings: dict[str, str] | None = None,
    fail_on: str = "failure",
) -> RunResult:
    emulator = Emulator(spec=SPEC, readings=readings or {})
    emulator.set_switches(fault_flags=list(flags))
    target = Target(profile_of(emulator, "http://emulator.embedded"), transport=SyncASGITransport(emulator.app))
    target.asgi_app = emulator.app
    try:
        return run_suites(
            target,
            SPEC,
            RunOptions(suites=suites, rules=rules, baseline=baseline, seed=seed, fail_on=fail_on),
        )
    finally:
        target.close()
        emulator.close()


def written_baseline(run: RunResult, tmp_path: Path) -> frozenset[str]:
    path = tmp_path / "baseline.json"
    path.write_text(baseline_of(run))
    return load_baseline(path)


def test_a_check_goes_on_after_a_deviation_and_reports_each_distinct_one() -> None:
    run = gate(("bounds-off-by-one",), suites=("rules",), rules=("UPD-PERCENT-RANGE",))
    [result] = [r for r in run.results if r.check == "rules/update-percentage-range"]
    probes = {f.probe for f in result.findings}
    assert {"edge:4", "edge:100"} <= probes  # both ends, not only the first one found
    for finding in result.findings:
        assert finding.rule == "UPD-PERCENT-RANGE"
        assert finding.severity == "failure"
        assert finding.operation == "updateVoucherProgram"
        assert (finding.method, finding.path) == (
            "PATCH",
            "/v1/organizations/{organization_id}/voucher-programs/{voucher_program_id}",
        )
        assert finding.status == 204
        assert finding.expected == "400 invalid_request"
        assert finding.field == "body.value_per_trip_percentage"
        assert finding.curl is not None
        assert finding.curl.startswith("curl -X PATCH")
        assert finding.request_index
        assert finding.seconds is not None
    assert not run.conformant


def test_fingerprints_name_the_deviation_not_the_values_drawn() -> None:
    one = gate(("bounds-off-by-one",), suites=("rules",), rules=("UPD-PERCENT-RANGE",), seed=1)
    two = gate(("bounds-off-by-one",), suites=("rules",), rules=("UPD-PERCENT-RANGE",), seed=2)
    assert {f.fingerprint for f in one.findings} == {f.fingerprint for f in two.findings}


def test_a_baseline_on_one_flag_fails_a_second_flag_in_the_same_check(tmp_path: Path) -> None:
    first = gate(("bounds-off-by-one",), suites=("rules",), rules=("UPD-PERCENT-RANGE",))
    baseline = written_baseline(first, tmp_path)
    assert gate(("bounds-off-by-one",), suites=("rules",), rules=("UPD-PERCENT-RANGE",), baseline=baseline).conformant
    second = gate(
        ("accept-percentage-out-of-range",), suites=("rules",), rules=("UPD-PERCENT-RANGE",), baseline=baseline
    )
    assert not second.conformant
    new = [f for f in second.findings if not f.accepted]
    assert new
    assert {f.check for f in new} == {"rules/update-percentage-range"}
    assert {f.rule for f in new} == {"UPD-PERCENT-RANGE"}


def test_a_baseline_on_one_schemathesis_drift_fails_a_second_under_the_same_rule(tmp_path: Path) -> None:
    first = gate(("invalid-request-code-renamed",), suites=("schemathesis",))
    assert {(f.rule, f.field, f.kind) for f in first.findings} == {("ERR-BODY-SHAPE", "code", "schema:const")}
    baseline = written_baseline(first, tmp_path)
    second = gate(
        ("invalid-request-code-renamed", "error-body-without-code"), suites=("schemathesis",), baseline=baseline
    )
    new = [f for f in second.findings if not f.accepted]
    assert not second.conformant
    assert {(f.rule, f.field, f.kind) for f in new} == {("ERR-BODY-SHAPE", "code", "schema:required")}


def test_schemathesis_findings_name_the_rule_and_field_they_break() -> None:
    run = gate(("voucher-status-lowercase",), suites=("schemathesis",))
    assert {f.rule for f in run.findings} == {"GST-VOUCHER-STATUS-ENUM"}
    assert {f.field for f in run.findings} == {"guests[0].voucher.voucher_status"}


def test_accepted_findings_that_did_not_show_up_are_listed(tmp_path: Path) -> None:
    first = gate(("bounds-off-by-one",), suites=("rules",), rules=("UPD-PERCENT-RANGE",))
    baseline = written_baseline(first, tmp_path)
    clean = gate(suites=("rules",), rules=("UPD-PERCENT-RANGE",), baseline=baseline)
    assert clean.conformant
    assert sorted(clean.unmatched_baseline) == sorted(baseline)
    assert "Accepted findings not seen this run" in markdown(clean, SPEC)


def test_an_old_check_and_rule_baseline_is_refused_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    path.write_text(json.dumps({"accepted": [{"check": "rules/update-percentage-range", "rule": "UPD-PERCENT-RANGE"}]}))
    with pytest.raises(BaselineError, match="old baseline keyed by check and rule"):
        load_baseline(path)


def test_a_check_lists_at_most_the_limit_and_counts_the_rest() -> None:
    run = gate(("enums-ignore-case", "accept-unknown-vehicle"), suites=("rules",), rules=("UPD-VEHICLE-ENUM",))
    for result in run.results:
        assert len(result.findings) <= MAX_PER_CHECK


def test_every_report_shows_each_finding_with_severity_and_field() -> None:
    run = gate(
        ("voucher-status-lowercase", "bounds-off-by-one"),
        suites=("rules", "schemathesis"),
        rules=("UPD-PERCENT-RANGE", "ERR-BODY-SHAPE"),
    )
    data = verdict(run, SPEC)
    assert data["failures"] == len(run.failures)
    assert data["warnings"] == len(run.warnings)
    fields = {f["field"] for f in data["findings"]}
    assert "guests[0].voucher.voucher_status" in fields
    assert all({"fingerprint", "severity", "rule", "curl", "request_index"} <= f.keys() for f in data["findings"])
    page = html(run, SPEC)
    report = markdown(run, SPEC)
    xml = ET.fromstring(junit(run))
    text = " ".join(e.text or "" for e in xml.iter("failure"))
    for finding in run.findings:
        assert finding.fingerprint in page
        assert finding.fingerprint in report
        assert finding.fingerprint in text
    assert "guests[0].voucher.voucher_status" in page
    assert "guests[0].voucher.voucher_status" in report
