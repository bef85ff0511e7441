"""scripts/screenshots: what it says when it cannot run (shooting the pages needs Chromium and
takes minutes: run the script itself to see them)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

SCRIPT = ROOT / "scripts" / "pages" / "screenshots.py"


def run(*args: str, path: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": path}
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )


def test_without_chromium_it_says_so_and_exits_2(tmp_path: Path) -> None:
    result = run(str(tmp_path / "out"), path=str(tmp_path))  # a PATH with no chromium on it
    assert result.returncode == 2
    assert result.stderr == "screenshots: error: chromium is not on PATH (Debian: apt-get install chromium)\n"
    assert result.stdout == ""
    assert not (tmp_path / "out").exists()


def test_one_folder_at_most(tmp_path: Path) -> None:
    result = run("a", "b", path=str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.startswith("usage: scripts/screenshots [OUT_DIR]")
