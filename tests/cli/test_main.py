"""The command table: every command listed and runnable, and only the one run imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from u4b_vouchers.cli import main as cli_main
from u4b_vouchers.cli.main import COMMANDS, build_parser, chosen_command, command_module

NAMES = [name for name, _, _ in COMMANDS]
#: Never imported by `--help`, nor by a `diff` of two files: each costs a tenth of a second or more.
HEAVY = ("jsonschema", "jsonschema_rs", "referencing", "openapi_spec_validator", "httpx", "hypothesis", "starlette")


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH", "")]))
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False, env=env, cwd=ROOT
    )


def imported_after(argv: list[str]) -> tuple[set[str], subprocess.CompletedProcess[str]]:
    """Top-level packages in sys.modules after `main(argv)` in a fresh interpreter."""
    code = (
        "import sys, json\n"
        "from u4b_vouchers.cli.main import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})), file=sys.stderr)\n"
    )
    result = run_python(code)
    return set(json.loads(result.stderr.strip().splitlines()[-1])), result


def test_the_table_names_every_command_module() -> None:
    modules = sorted(p.stem for p in (ROOT / "src" / "u4b_vouchers" / "cli").glob("*.py"))
    assert {module for _, _, module in COMMANDS} == set(modules) - {
        "__init__",
        "main",
        "errors",
        "emulated",
        "listening",
    }


@pytest.mark.parametrize(("name", "help_line", "module"), COMMANDS)
def test_the_table_s_help_line_is_the_command_s_own(name: str, help_line: str, module: str) -> None:
    command = command_module(name)
    assert name == command.NAME
    assert help_line == command.HELP
    assert command.__name__ == f"u4b_vouchers.cli.{module}"


def test_help_lists_every_command_with_its_help_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli_main.main(["--help"])
    assert exit_.value.code == 0
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps the help lines
    for name, help_line, _ in COMMANDS:
        assert f"{name} {help_line}" in out


@pytest.mark.parametrize("name", NAMES)
def test_each_command_s_help_shows_its_own_options(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli_main.main([name, "--help"])
    assert exit_.value.code == 0
    lazy = capsys.readouterr().out
    full = build_parser()  # every command registered, the way it was before the table
    with pytest.raises(SystemExit):
        full.parse_args([name, "--help"])
    assert lazy == capsys.readouterr().out
    assert f"usage: u4b-vouchers {name}" in lazy


def test_the_chosen_command_is_the_first_word_that_is_not_an_option() -> None:
    assert chosen_command(["diff", "a", "b"]) == "diff"
    assert chosen_command(["--version"]) is None
    assert chosen_command(["-h", "lint"]) == "lint"
    assert chosen_command(["nonsense", "diff"]) is None
    assert chosen_command([]) is None


def test_an_unknown_command_is_refused_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli_main.main(["bogus"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'bogus'" in err
    for name in NAMES:
        assert repr(name) in err


def test_help_imports_no_heavy_library() -> None:
    modules, result = imported_after(["--help"])
    assert "usage: u4b-vouchers" in result.stdout
    assert modules & set(HEAVY) == set()
    assert not any(m in modules for m in ("contract_tests", "uvicorn", "yaml"))


def test_a_diff_of_two_files_imports_no_validator_nor_http_client(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n")
    modules, result = imported_after(["diff", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml"), "--format", "json"])
    assert json.loads(result.stdout)["findings"] == []
    assert modules & set(HEAVY) == set()


def test_the_lazy_exports_are_the_same_objects_as_their_modules() -> None:
    """`u4b_vouchers.spec` and `u4b_vouchers.cli` export on first use what they exported before."""
    from u4b_vouchers import spec

    for name in spec.__all__:
        value = getattr(spec, name)
        if name in spec._EXPORTS:
            module, attribute = spec._EXPORTS[name]
            assert value is getattr(sys.modules[f"u4b_vouchers.spec.{module}"], attribute)
    with pytest.raises(AttributeError):
        _ = spec.no_such_name  # type: ignore[attr-defined]
    from u4b_vouchers.cli import profile_of
    from u4b_vouchers.cli.emulated import profile_of as original

    assert profile_of is original
