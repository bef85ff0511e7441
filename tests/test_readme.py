"""The README works exactly as written: its blocks run, in order, in a fresh copy of the project.

See tests/readme_blocks.py for what each annotation does. A block without an annotation fails
the test, so no block can be added that nothing runs or that says nothing of why not.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.readme_blocks import (
    ACTIONS,
    Block,
    Workspace,
    blocks,
    console_commands,
    make_workspace,
    missing_output,
    run_steps,
    sh_commands,
)

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = blocks(README)
RUNNABLE = [block for block in BLOCKS if block.action not in ("skip", "ci")]


def test_every_block_says_what_the_test_does_with_it() -> None:
    unannotated = [f"README.md:{b.line}" for b in BLOCKS if b.action not in ACTIONS]
    assert not unannotated, f"blocks without a <!-- readme-test: ... --> line before them: {unannotated}"
    reasonless = [f"README.md:{b.line}" for b in BLOCKS if b.action == "skip" and not b.argument]
    assert not reasonless, f"skipped blocks must say why: {reasonless}"


def test_the_ci_block_is_the_first_one() -> None:
    assert [b.action for b in BLOCKS].index("ci") == 0


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    yield from make_workspace(ROOT, tmp_path_factory.mktemp("readme"))


def _explain(block: Block, script: str, result: subprocess.CompletedProcess[str]) -> str:
    return f"{block.name} exited {result.returncode}\n--- script\n{script}\n--- output\n{result.stdout[-6000:]}"


MARK = "@@readme-command-{}@@"


def _run_console(workspace: Workspace, block: Block) -> None:
    commands = console_commands(workspace.localise(block.text))
    assert commands, f"{block.name}: a console block without a command"
    # the mark starts a line of its own even after output without a final newline (curl's)
    script = "\n".join(f"printf '\\n{MARK.format(n)}\\n'\n{command.text}" for n, command in enumerate(commands))
    result = workspace.bash(script)
    assert result.returncode == 0, _explain(block, script, result)
    printed = re.split(r"^@@readme-command-\d+@@$", result.stdout, flags=re.M)[1:]
    for command, output in zip(commands, printed, strict=True):
        missing = missing_output(command.output, output)
        assert missing is None, f"{block.name}: `{command.text}` did not print {missing!r}; it printed:\n{output}"


@pytest.mark.node
@pytest.mark.parametrize("block", RUNNABLE, ids=[b.name for b in RUNNABLE])
def test_readme_block(workspace: Workspace, block: Block) -> None:
    text = workspace.localise(block.text)
    if block.action == "run" and block.lang == "console":
        _run_console(workspace, block)
    elif block.action == "run":
        script = "\n".join(c.text for c in sh_commands(text))
        result = workspace.bash(script)
        assert result.returncode == 0, _explain(block, script, result)
    elif block.action == "background":
        (command,) = console_commands(text)
        workspace.start(command.text, command.output)
    elif block.action == "python":
        path = workspace.root / f".readme-{block.line}.py"
        path.write_text(text, encoding="utf-8")
        script = f".venv/bin/python {path.name}"
        result = workspace.bash(script)
        assert result.returncode == 0, _explain(block, text, result)
    elif block.action == "file":
        first, _, _rest = text.partition("\n")
        name = re.fullmatch(r"#\s*([^\s:]+)(?::.*)?", first.strip())
        assert name, f"{block.name}: a file block starts with '# NAME'"
        target = workspace.root / name.group(1)
        assert not target.exists() or target.read_text(encoding="utf-8") == text, f"{block.name} overwrites {target}"
        target.write_text(text, encoding="utf-8")
    elif block.action == "steps":
        scripts = run_steps(text)
        assert scripts, f"{block.name}: no run: step"
        for script in scripts:
            result = workspace.bash(script)
            assert result.returncode == 0, _explain(block, script, result)
    else:  # pragma: no cover - the annotation test catches it
        pytest.fail(f"{block.name}: unknown action {block.action!r}")


def _command_rows() -> list[tuple[str, str]]:
    section = README.split("## Commands", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `u4b-vouchers ([a-z-]+)[^`]*` \| (.*) \|$", section, re.M)
    assert rows, "the Commands table has no rows"
    return rows


@pytest.mark.parametrize(("command", "row"), _command_rows(), ids=[c for c, _ in _command_rows()])
def test_every_option_the_commands_table_names_is_in_the_commands_help(command: str, row: str) -> None:
    """The table is the README's summary of each command; an option it names that the command
    does not have (or no longer has) is a README that does not work as written."""
    import sys

    shown = subprocess.run(
        [sys.executable, "-m", "u4b_vouchers.cli.main", command, "--help"],
        capture_output=True,
        text=True,
        check=True,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
        cwd=Path(ROOT),
    ).stdout
    named = set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", row))
    assert named, f"the row of {command} names no option"
    missing = sorted(option for option in named if option not in shown)
    assert not missing, f"README's Commands row of {command} names options its --help lacks: {missing}"
