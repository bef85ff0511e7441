"""Baseline files (``check --baseline FILE``) are read as every untrusted file is: a regular UTF-8
file, bounded in size and nesting, or one line and exit 2."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from contract_tests.baseline import BaselineError, load_baseline

from u4b_vouchers.spec import MAX_BYTES


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def folder(path: Path) -> Path:
    path.mkdir()
    return path


def over_the_cap(path: Path) -> Path:
    with path.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)  # sparse: no disk spent
    return path


def written(content: bytes) -> Callable[[Path], Path]:
    def write(path: Path) -> Path:
        path.write_bytes(content)
        return path

    return write


BAD_BASELINES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "a device": (lambda _: Path("/dev/zero"), "not a regular file"),
    "a FIFO": (fifo, "not a regular file"),
    "a folder": (folder, "is a directory"),
    "over the size cap": (over_the_cap, f"larger than {MAX_BYTES} bytes"),
    "not UTF-8": (written(b'{"accepted": ["\xff"]}'), "not UTF-8"),
    "not JSON": (written(b"accepted: [fingerprint]"), "not JSON"),
    "nested 100,000 deep": (written(b"[" * 100_000 + b"]" * 100_000), "nested too deeply"),
    "the wrong shape": (written(b'{"accepted": 5}'), "expected"),
}


@pytest.mark.parametrize("case", sorted(BAD_BASELINES))
def test_a_bad_baseline_is_one_line(tmp_path: Path, case: str) -> None:
    make, reason = BAD_BASELINES[case]
    with pytest.raises(BaselineError) as refused:
        load_baseline(make(tmp_path / "baseline.json"))
    message = str(refused.value)
    assert reason in message
    assert "\n" not in message


@pytest.mark.parametrize("case", ["a device", "a FIFO"])
def test_check_refuses_a_special_baseline_without_blocking(tmp_path: Path, case: str) -> None:
    path = BAD_BASELINES[case][0](tmp_path / "baseline.json")
    result = subprocess.run(
        [sys.executable, "-m", "u4b_vouchers.cli.main", "check", "--baseline", str(path), "--quiet"],
        capture_output=True,
        text=True,
        timeout=120,  # a hang guard only
        check=False,
    )
    assert result.returncode == 2, result.stderr[-400:]
    assert result.stderr.startswith("u4b-vouchers: error: ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "not a regular file" in result.stderr
