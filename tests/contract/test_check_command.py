"""``u4b-vouchers check``: conformant on the emulator in-process and over HTTP alike, reports a
gate can act on, safe defaults, and one-line errors."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import httpx
import pytest

from tests.contract.serving import serving
from tests.emulator.test_persistence import served
from u4b_vouchers.spec import load_spec

RULES = len(load_spec().data["x-u4b-rules"])


def check(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "u4b_vouchers.cli.main", "check", *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env=env,
    )


def flat(text: str) -> str:
    """The console's text with its wrapped lines joined (it wraps long lines at word boundaries)."""
    return " ".join(text.split())


def statuses(report_dir: Path) -> dict[str, str]:
    verdict = json.loads((report_dir / "verdict.json").read_text())
    return {r["check"]: r["status"] for r in verdict["results"]}


def test_the_embedded_emulator_is_conformant_and_every_report_is_written(tmp_path: Path) -> None:
    result = check("--report-dir", str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    assert "conformant" in result.stdout
    verdict = json.loads((tmp_path / "verdict.json").read_text())
    assert verdict["conformant"] is True
    assert verdict["checks"]["failed"] == verdict["checks"]["error"] == 0
    assert len(verdict["rules"]) == RULES
    assert {r["status"] for r in verdict["rules"]} <= {"passed", "not-covered"}
    assert sum(r["status"] == "passed" for r in verdict["rules"]) >= 60
    assert verdict["control_plane_used_by"]  # reported, not hidden
    suites = ET.fromstring((tmp_path / "junit.xml").read_text())
    assert int(suites.get("failures", "1")) == 0
    assert len(suites.findall(".//testcase")) == len(verdict["results"])
    html = (tmp_path / "report.html").read_text()
    assert "<script" not in html
    assert "AUTH-ORGANIZATION-ISOLATION" in html
    assert "| UPD-PERCENT-RANGE |" in (tmp_path / "report.md").read_text()
    cassette = (tmp_path / "cassette.json").read_text()
    assert json.loads(cassette)["interactions"]
    for secret in ("demo-first-party-secret", "demo-delegated-access-token"):
        assert secret not in cassette
    coverage = {(e["operation"], e["status"], e["code"]): e for e in verdict["error_coverage"]}
    assert all(row["provoked"] for row in coverage.values())  # the emulator can show every documented error


def test_in_process_and_over_http_behave_alike(tmp_path: Path) -> None:
    embedded = tmp_path / "embedded"
    assert check("--report-dir", str(embedded), "--seed", "5", "--quiet").returncode == 0
    profile = tmp_path / "profile.toml"
    with served(tmp_path / "state.sqlite", profile):
        over_http = tmp_path / "http"
        result = check("--profile", str(profile), "--report-dir", str(over_http), "--seed", "5", "--quiet")
    assert result.returncode == 0, result.stdout
    assert statuses(over_http) == statuses(embedded)


def test_a_gate_fails_on_deviations_and_a_baseline_accepts_known_ones(tmp_path: Path) -> None:
    profile = tmp_path / "profile.toml"
    with served(tmp_path / "state.sqlite", profile):
        base = profile.read_text().split('base_url = "', 1)[1].split('"', 1)[0]
        httpx.put(
            f"{base}/__emulator/flags", json={"fault_flags": ["accept-percentage-out-of-range"]}
        ).raise_for_status()
        first = check(
            "--profile",
            str(profile),
            "--suite",
            "rules",
            "--rule",
            "UPD-PERCENT-RANGE",
            "--write-baseline",
            str(tmp_path / "baseline.json"),
            "--quiet",
        )
        assert first.returncode == 1
        assert "not conformant" in flat(first.stdout)
        assert "0 warning(s)" in flat(first.stdout)
        second = check(
            "--profile",
            str(profile),
            "--suite",
            "rules",
            "--rule",
            "UPD-PERCENT-RANGE",
            "--baseline",
            str(tmp_path / "baseline.json"),
            "--quiet",
        )
        assert second.returncode == 0, second.stdout
        assert "accepted by the baseline" in flat(second.stdout)


def test_a_budget_stops_the_run_and_says_what_was_not_covered(tmp_path: Path) -> None:
    result = check(
        "--budget",
        "40",
        "--report-dir",
        str(tmp_path),
        "--quiet",
        "--suite",
        "auth",
        "--suite",
        "rules",
    )
    assert result.returncode == 0
    verdict = json.loads((tmp_path / "verdict.json").read_text())
    assert verdict["requests"] <= 40
    cut = [r for r in verdict["results"] if r["over_budget"]]
    assert cut
    assert all(r["status"] == "not-covered" and "budget" in r["message"] for r in cut)
    assert f"the request budget of 40 ran out: {len(cut)} check(s) did not run" in flat(result.stdout)


def test_a_profile_without_identities_or_fixtures_is_not_covered_not_passed(tmp_path: Path) -> None:
    profile_path = tmp_path / "p.toml"
    with served(tmp_path / "state.sqlite", profile_path):
        text = profile_path.read_text()
        minimal = text.split("\n[identities.delegated]")[0] + "\n"
        (tmp_path / "minimal.toml").write_text(minimal)
        result = check(
            "--profile",
            str(tmp_path / "minimal.toml"),
            "--report-dir",
            str(tmp_path / "r"),
            "--quiet",
            "--suite",
            "auth",
            "--suite",
            "rules",
        )
    assert result.returncode == 0, result.stdout
    results = statuses(tmp_path / "r")
    assert results["auth/matrix-delegated"] == "not-covered"
    assert results["rules/update-canceled"] == "not-covered"
    assert results["auth/matrix-first-party"] == "not-covered"  # needs fixtures too


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (
            'base_url = "https://api.uber.com"\n'
            'token_url = "https://auth.uber.com/oauth/v2/token"\norganization_id = "o"\n',
            "points at production",
        ),
        ('base_url = "http://127.0.0.1:9"\n', "missing token_url"),
        ("base_url = [\n", "invalid TOML"),
    ],
)
def test_configuration_errors_exit_2_with_one_line(tmp_path: Path, content: str, words: str) -> None:
    profile = tmp_path / "p.toml"
    profile.write_text(content)
    result = check("--profile", str(profile))
    assert result.returncode == 2
    assert words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_an_unreachable_target_is_one_line_and_exit_2(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    profile = tmp_path / "p.toml"
    profile.write_text(
        f'base_url = "http://127.0.0.1:{port}"\ntoken_url = "http://127.0.0.1:{port}/oauth/v2/token"\n'
        'organization_id = "o"\n'
    )
    result = check("--profile", str(profile), "--report-dir", str(tmp_path / "r"))
    assert result.returncode == 2
    assert result.stderr.startswith(f"u4b-vouchers: error: cannot reach http://127.0.0.1:{port}: ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "r").exists()  # no report claims anything of a target never reached


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--budget", "0"), "--budget must be at least 1"),
        (("--rate", "-1"), "--rate must be 0 (no cap) or more"),
        (("--rate", "nan"), "--rate must be 0 (no cap) or more"),
        (("--max-examples", "0"), "--max-examples must be at least 1"),
        (("--deadline", "0"), "--deadline must be from 1 to 86400"),
        (("--deadline", "nan"), "--deadline must be from 1 to 86400"),
        (("--request-timeout", "inf"), "--request-timeout must be from 0.1 to 600"),
        (("--request-timeout", "-1"), "--request-timeout must be from 0.1 to 600"),
        (("--max-response-bytes", "10"), "--max-response-bytes must be from 1024 to"),
        (("--report-dir", __file__), "exists and is not a folder"),
    ],
)
def test_bad_options_exit_2_before_any_request(args: tuple[str, ...], words: str) -> None:
    result = check(*args)
    assert result.returncode == 2
    assert result.stderr.startswith("u4b-vouchers: error: ")
    assert words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""


def test_unknown_rule_and_missing_baseline(tmp_path: Path) -> None:
    assert "unknown rule id(s): NOPE" in check("--rule", "NOPE").stderr
    assert "no such baseline file" in check("--baseline", str(tmp_path / "nope.json")).stderr


def test_warnings_are_reported_and_fail_the_gate_only_with_fail_on_warning(tmp_path: Path) -> None:
    """An emulator that accepts zero codes takes the permissive side of an implied rule: the gate
    warns (exit 0), and fails under --fail-on warning; every report shows the warning."""
    with serving(tmp_path / "served", ["--reading", "GEN-COUNT-POSITIVE=accept"]) as profile_data:
        profile = tmp_path / "served" / "profile.toml"
        assert profile_data.base_url
        args = ("--profile", str(profile), "--suite", "rules", "--rule", "GEN-COUNT-POSITIVE")
        lenient = check(*args, "--report-dir", str(tmp_path / "r"))
        strict = check(*args, "--fail-on", "warning", "--quiet")
    assert lenient.returncode == 0, lenient.stdout + lenient.stderr[-2000:]
    assert "conformant: 0 failure(s), 3 warning(s)" in flat(lenient.stdout)
    assert "WARNING GEN-COUNT-POSITIVE POST " in flat(lenient.stdout)
    assert strict.returncode == 1, strict.stdout
    assert "(warnings fail the gate)" in flat(strict.stdout)
    verdict = json.loads((tmp_path / "r" / "verdict.json").read_text())
    assert (verdict["failures"], verdict["warnings"], verdict["conformant"]) == (0, 3, True)
    assert {f["severity"] for f in verdict["findings"]} == {"warning"}
    assert {f["field"] for f in verdict["findings"]} == {"body.number_of_codes"}
    for report in ("report.md", "report.html", "junit.xml"):
        assert "GEN-COUNT-POSITIVE" in (tmp_path / "r" / report).read_text()
    # every report cites the rule by its document's title
    for report in ("report.md", "report.html", "junit.xml"):
        assert "Generate Voucher Codes, Request Parameters" in (tmp_path / "r" / report).read_text(), report
    suites = ET.fromstring((tmp_path / "r" / "junit.xml").read_text())
    assert int(suites.get("failures", "1")) == 0  # a warning is not a JUnit failure unless --fail-on warning
