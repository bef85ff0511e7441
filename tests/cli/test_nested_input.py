"""Inputs nested beyond what the parsers take are a one-line error and exit 2 in every command,
never a traceback, and never a crashed process (libyaml's C composer would overflow the stack)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

SPEC = str(ROOT / "openapi" / "vouchers.yaml")
DEPTH = 60_000  # deep enough to overflow libyaml's recursive composer on an 8 MB stack


def nested(tmp_path: Path, name: str, template: str) -> str:
    path = tmp_path / name
    path.write_text(template.replace("@", "[" * DEPTH + "]" * DEPTH))
    return str(path)


@pytest.mark.parametrize(
    ("command", "file", "template"),
    [
        (["lint"], "spec.yaml", "openapi: 3.1.0\npaths: {}\nx: @\n"),
        (["diff", SPEC], "spec.yaml", "openapi: 3.1.0\npaths: {}\nx: @\n"),
        (["serve", "--port", "0", "--seed-data"], "seed.yaml", "organizations: @\n"),
        (["check", "--profile"], "profile.toml", "x = @\n"),
        (["check", "--baseline"], "baseline.json", '{"accepted": @}'),
        (["replay", "--spec", SPEC, "--"], "cassette.json", '{"interactions": @}'),
    ],
)
def test_deeply_nested_input_is_refused_in_one_line(
    tmp_path: Path, command: list[str], file: str, template: str
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "u4b_vouchers.cli.main", *command, nested(tmp_path, file, template)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2, (result.returncode, result.stderr[-500:])
    assert f"{file}: nested too deeply to read" in result.stderr  # names the file
    assert len(result.stderr.strip().splitlines()) == 1
