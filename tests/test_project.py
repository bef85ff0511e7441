"""The project's promises about itself: README commands, the scripts table, CI, packaging."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import COMPANIONS, ROOT


def readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def setup_commands() -> list[str]:
    block = re.search(r"```(?:sh|bash)\n(.*?)```", readme(), re.S)
    assert block, "README has no shell block"
    return [
        line.split("  #")[0].strip()
        for line in block.group(1).splitlines()
        if line.strip() and not line.startswith("#")
    ]


def test_readme_opens_with_the_two_commands() -> None:
    text = readme()
    first_block = text.index("```")
    assert text.index("## ") > first_block, "the commands come before the first section"
    main_job, tests = setup_commands()
    assert main_job.startswith("./scripts/install && ")
    assert "u4b-vouchers" in main_job
    assert tests == "./scripts/install && ./scripts/test"


def test_ci_runs_the_readme_commands() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "README.md" in ci  # .ci/run reads the commands from the README rather than copying them


def test_every_script_is_in_the_readme_table() -> None:
    scripts = sorted(p.name for p in (ROOT / "scripts").iterdir() if p.is_file())
    table = readme().split("## Scripts", 1)[1].split("\n## ", 1)[0]
    listed = sorted(set(re.findall(r"`scripts/([a-z-]+)", table)))
    assert listed == scripts


def test_wheel_carries_the_description(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("u4b_vouchers-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("vouchers.yaml", *COMPANIONS):
        assert f"u4b_vouchers/_openapi/{name}" in names
