"""The benchmark scripts still run, at tiny sizes (figures are not asserted: machines are noisy)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.conftest import ROOT


def bench(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ROOT / "scripts" / script), *args], capture_output=True, text=True, timeout=300, check=False
    )


def test_bench_emulator_runs(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = bench("bench-emulator", "--requests", "60", "--concurrency", "4", "--big", "3000", "--json", str(out))
    assert result.returncode == 0, result.stderr
    report = json.loads(out.read_text())
    assert all(row["failures"] == 0 and row["requests"] == 60 for row in report["http"].values())
    assert set(report["paging"]) >= {"1000 guests", "3000 guests"}
    assert "vs bare" in result.stdout


def test_bench_check_runs(tmp_path: Path) -> None:
    out = tmp_path / "check.json"
    result = bench("bench-check", "--seeds", "1", "--no-flags", "--max-examples", "2", "--json", str(out))
    assert result.returncode == 0, result.stderr
    (run,) = json.loads(out.read_text())["full_runs"]
    assert run["deviations"] == 0
    assert run["cases"] > 0


def test_bench_diff_runs(tmp_path: Path) -> None:
    out = tmp_path / "diff.json"
    result = bench("bench-diff", "--operations", "60", "--changes", "20", "--json", str(out))
    assert result.returncode == 0, result.stderr
    report = json.loads(out.read_text())
    assert report["json"]["findings"] == report["yaml"]["findings"] > 0
