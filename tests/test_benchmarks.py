"""The benchmark scripts still run, at tiny sizes (figures are not asserted: machines are noisy)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT


def bench(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ROOT / "scripts" / script), *args], capture_output=True, text=True, timeout=300, check=False
    )


@pytest.mark.parametrize("loader", ["default", "python"])
def test_bench_emulator_runs(tmp_path: Path, loader: str) -> None:
    """With wrk where it is installed (default), and always with the in-Python load generator."""
    out = tmp_path / "bench.json"
    tiny = ["--duration", "1", "--warmup", "0", "--connections", "2", "--requests", "60", "--big", "3000"]
    if loader == "python":
        tiny.append("--no-wrk")
    result = bench("bench-emulator", *tiny, "--json", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(out.read_text())
    rows = report["http"]["rows"]
    assert set(rows) >= {"bare", "guests", "update", "generate", "create"}
    assert all(row["failures"] == 0 and row["requests"] > 0 for row in rows.values())
    python_load = loader == "python" or shutil.which("wrk") is None
    assert report["http"]["load_generator"] == ("python" if python_load else "wrk")
    if python_load:
        assert all(row["requests"] == 60 for row in rows.values())
        assert "using the in-Python load generator" in result.stdout
    assert set(report["paging"]) >= {"1000 guests", "3000 guests"}
    assert "vs bare" in result.stdout
    assert "Prism peer:" in result.stdout


def test_bench_check_runs(tmp_path: Path) -> None:
    out = tmp_path / "check.json"
    result = bench(
        "bench-check", "--seeds", "1", "--flag", "no-token-required", "--max-examples", "2", "--json", str(out)
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    (run,) = data["full_runs"]
    assert run["failures"] == run["warnings"] == 0
    assert run["cases"] > 0
    (flag,) = data["flags"]  # over HTTP, against `serve --fault-flag no-token-required --no-control`
    assert flag["caught"]
    assert flag["rule"] == "AUTH-TOKEN-REQUIRED"
    assert 0 < flag["requests_to_first_finding"] <= flag["run_requests"]
    assert "Time to detect" in result.stdout


def test_bench_diff_runs(tmp_path: Path) -> None:
    out = tmp_path / "diff.json"
    result = bench("bench-diff", "--operations", "60", "--changes", "20", "--json", str(out))
    assert result.returncode == 0, result.stderr
    report = json.loads(out.read_text())
    assert report["json"]["findings"] == report["yaml"]["findings"] > 0


def test_bench_hostile_runs(tmp_path: Path) -> None:
    out = tmp_path / "hostile.json"
    result = bench("bench-hostile", "--repeats", "1", "--json", str(out))
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    rows = data["http"]
    assert rows["ordinary (3 items)"]["statuses"] == [204]
    assert rows["500,000 items (1 MB)"]["statuses"] == [400]  # over the array limit, refused
    assert rows["500,000 items (1 MB)"]["bytes"] > 1_000_000
    assert data["parsing"]["alias bomb (refused)"]["bytes"] < 1_000
    assert "goal: the health probe under 100 ms" in result.stdout


def test_bench_startup_runs(tmp_path: Path) -> None:
    out = tmp_path / "startup.json"
    result = bench("bench-startup", "--runs", "2", "--large-runs", "1", "--operations", "40", "--json", str(out))
    assert result.returncode == 0, result.stderr
    report = json.loads(out.read_text())
    assert set(report) == {"python -c pass", "help", "diff-small", "diff-large"}
    assert report["python -c pass"]["vs_python"] == 1
    assert all(row["runs"] == (1 if name == "diff-large" else 2) for name, row in report.items())
    assert all(row["min_s"] <= row["median_s"] <= row["max_s"] for row in report.values())
    assert report["diff-small"]["findings"] > 0
    assert report["diff-large"]["findings"] > 0
    assert "x pass" in result.stdout
    assert "u4b-vouchers --help" in result.stdout


def test_bench_proxy_runs(tmp_path: Path) -> None:
    out = tmp_path / "proxy.json"
    result = bench("bench-proxy", "--rounds", "2", "--requests", "10", "--warmup", "2", "--json", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(out.read_text())
    assert len(report["rounds"]) == 2
    assert all(row["direct_p50_ms"] > 0 and row["proxied_p50_ms"] > 0 for row in report["rounds"])
    assert set(report["paired_added_p99_ms"]) == {"median", "min", "max"}
    assert report["judged_all"]  # every proxied exchange reached the judge before the proxy stopped
    assert report["proxy_exit"] == 0  # the emulator is conformant: no finding
    assert "README: the proxy adds " in result.stdout
