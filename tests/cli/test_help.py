"""Every command's ``--help`` is complete: each option says what it does, each choice is shown,
and the exit codes are listed in one form (``exit_codes_epilog``)."""

from __future__ import annotations

import argparse
import re

import pytest
from contract_tests import SUITES

from tests.cli.test_main import HEAVY, imported_after
from u4b_vouchers.cli import main as cli_main
from u4b_vouchers.cli.errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, exit_codes_epilog
from u4b_vouchers.cli.main import COMMANDS, build_parser
from u4b_vouchers.cli.serve import SEED_RENAMED

#: Options kept working but hidden from --help (argparse.SUPPRESS), each renamed to another.
DEPRECATED = {("serve", "--seed"): "--seed-data"}


def command_parsers() -> dict[str, argparse.ArgumentParser]:
    """Each command's parser, every command registered."""
    parser = build_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(subparsers.choices)


PARSERS = command_parsers()
NAMES = sorted(PARSERS)


def test_the_epilog_form() -> None:
    assert exit_codes_epilog({2: "bad input", 0: "ok", 1: "findings"}) == (
        "exit codes:\n  0  ok\n  1  findings\n  2  bad input"
    )
    wrapped = exit_codes_epilog({0: "word " * 40})
    lines = wrapped.splitlines()
    assert len(lines) > 2
    assert all(len(line) <= 88 for line in lines)
    assert all(line.startswith("     word") for line in lines[2:])  # under the meaning, not the code
    with pytest.raises(ValueError, match="at least one exit code"):
        exit_codes_epilog({})


def test_the_command_table_covers_every_parser() -> None:
    assert set(PARSERS) == {name for name, _, _ in COMMANDS}


@pytest.mark.parametrize("name", NAMES)
def test_every_option_has_help_and_shows_its_choices(name: str) -> None:
    parser = PARSERS[name]
    text = parser.format_help()
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        label = action.option_strings[0] if action.option_strings else action.dest
        if action.help == argparse.SUPPRESS:
            assert (name, label) in DEPRECATED, f"{name} {label} is hidden from --help"
            continue
        assert action.help, f"{name} {label} has no help"
        assert action.help.strip(), f"{name} {label} has no help"
        for choice in action.choices or ():
            assert re.search(rf"(?<![\w-]){re.escape(str(choice))}(?![\w-])", text), (
                f"{name} {label}: the choice {choice!r} is not shown in --help"
            )


@pytest.mark.parametrize("name", NAMES)
def test_every_command_lists_its_exit_codes(name: str) -> None:
    parser = PARSERS[name]
    assert parser.formatter_class is argparse.RawDescriptionHelpFormatter  # the lines as written
    epilog = parser.epilog or ""
    assert "\nexit codes:\n" in "\n" + epilog
    block = epilog[epilog.index("exit codes:") :]
    assert block.rstrip() == block.rstrip("\n")  # the block ends the help
    codes = [int(code) for code in re.findall(r"^  (\d+)  \S", block, re.MULTILINE)]
    assert codes == sorted(codes)
    assert {EXIT_OK, EXIT_USAGE} <= set(codes) <= {EXIT_OK, EXIT_FINDINGS, EXIT_USAGE}
    assert block in parser.format_help()


def test_the_top_level_help_says_what_the_codes_mean(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli_main.main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "exit codes:\n  0  ok\n  1  findings" in out
    assert "\n  2  bad input" in out
    assert "u4b-vouchers COMMAND --help" in out


def test_check_help_names_the_suites_the_rule_list_and_the_seed() -> None:
    parser = PARSERS["check"]
    options = {action.option_strings[0]: action for action in parser._actions if action.option_strings}
    assert options["--suite"].help
    assert ", ".join(SUITES) in options["--suite"].help
    assert "`u4b-vouchers rules`" in (options["--rule"].help or "")
    assert (options["--seed"].help or "").startswith("integer seed for generated inputs (Hypothesis, Schemathesis)")
    assert options["--seed"].type is int


def test_serve_help_shows_seed_data_and_not_the_old_seed() -> None:
    text = PARSERS["serve"].format_help()
    assert "--seed-data NAME|FILE" in text
    assert "the data the emulator starts with: a built-in seed (demo) or a YAML seed file" in " ".join(text.split())
    assert not re.search(r"--seed(?!-data)", text)


def test_serve_seed_still_works_with_a_warning(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    missing = f"{tmp_path}/nope.yaml"
    assert cli_main.main(["serve", "--seed", missing, "--port", "0"]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == SEED_RENAMED
    assert lines[1].startswith("u4b-vouchers: error: ")
    assert "no such seed file" in lines[1]  # the value went on to --seed-data
    assert len(lines) == 2
    args = build_parser(("serve",)).parse_args(["serve", "--seed", "other.yaml"])
    assert args.seed_data == "other.yaml"
    capsys.readouterr()
    args = build_parser(("serve",)).parse_args(["serve", "--seed-data", "other.yaml"])
    assert args.seed_data == "other.yaml"
    assert capsys.readouterr().err == ""  # the new name warns of nothing


@pytest.mark.parametrize("argv", [["--help"], ["init-profile", "--help"], ["diff", "--help"], ["replay", "--help"]])
def test_help_stays_light(argv: list[str]) -> None:
    modules, result = imported_after(argv)
    assert "exit codes:" in result.stdout
    assert modules & set(HEAVY) == set()
    assert not {"contract_tests", "uvicorn"} & modules
