"""Entry point of the ``u4b-vouchers`` command.

Start-up stays short: the commands are listed from :data:`COMMANDS` (name, help line, module)
and only the module of the command being run is imported, so ``--help`` or a small ``diff``
does not pay for the emulator, the contract suites or the schema validators.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Collection, Sequence
from typing import Protocol, cast

from .. import __version__
from ..spec import SpecError
from .errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, CliError, exit_codes_epilog


class Command(Protocol):
    """What a command module provides (see :mod:`.diff` for one)."""

    NAME: str
    HELP: str

    def register(self, subparsers: argparse._SubParsersAction[_Parser]) -> None: ...


#: Every command: its name, its help line (the same as its module's ``HELP``, which a test
#: checks) and its module under ``u4b_vouchers.cli``, in the order ``--help`` lists them.
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("check", "run the contract suites against a target (default: the embedded emulator)", "check"),
    ("diff", "compare two OpenAPI descriptions (files or git:REF:path) and report every change by level", "diff"),
    ("init-profile", "write a commented target profile for the vendor's sandbox, to fill in", "init_profile"),
    ("lint", "check the OpenAPI description: structure, examples, rules, inventory, Spectral, Redocly", "lint"),
    (
        "proxy",
        "forward a client's traffic to a target unchanged and report each violation of the description live",
        "proxy",
    ),
    (
        "replay",
        "validate recorded traffic (check cassettes) against a spec revision and list what it would reject",
        "replay",
    ),
    ("rules", "list the documented rules: id, kind, basis, operations, citation", "rules"),
    ("serve", "run the stateful emulator of the Vouchers API over HTTP", "serve"),
)


#: The top-level ``--help``'s epilog: what the exit codes mean in every command.
EPILOG = (
    exit_codes_epilog(
        {
            EXIT_OK: "ok",
            EXIT_FINDINGS: "findings (what counts as one is in each command's --help)",
            EXIT_USAGE: 'bad input: one line "u4b-vouchers: error: ..." on standard error',
        }
    )
    + "\n\n`u4b-vouchers COMMAND --help` lists each command's options and exit codes."
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        """One line and exit 2, instead of argparse's usage block."""
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def command_module(name: str) -> Command:
    """The module of command ``name`` (imported now, if it was not)."""
    module = next(module for command, _, module in COMMANDS if command == name)
    return cast(Command, importlib.import_module(f"{__package__}.{module}"))


def chosen_command(argv: Sequence[str]) -> str | None:
    """The command ``argv`` runs: its first word that is not an option (the top-level options
    take no value), when it names a command."""
    names = {name for name, _, _ in COMMANDS}
    for word in argv:
        if word == "--":
            continue
        if not word.startswith("-"):
            return word if word in names else None
    return None


def build_parser(full: Collection[str] | None = None) -> argparse.ArgumentParser:
    """The parser of every command; when ``full`` is given, only the commands it names get their
    options (their modules are imported), the others are listed by name and help line alone."""
    parser = _Parser(
        prog="u4b-vouchers",
        description="OpenAPI toolkit for the U4B Vouchers API",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=_Parser)
    for name, help_line, _ in COMMANDS:
        if full is None or name in full:
            command_module(name).register(subparsers)
        else:
            subparsers.add_parser(name, help=help_line, description=help_line)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command ``argv`` names; its exit code. Ctrl+C is exit 130, as in any shell
    command, also while the command's module is being imported; ``serve`` handles SIGINT and
    SIGTERM itself once it runs and exits 0."""
    try:
        return _main(list(sys.argv[1:] if argv is None else argv))
    except KeyboardInterrupt:
        print("u4b-vouchers: interrupted", file=sys.stderr)
        return 130


def _main(words: list[str]) -> int:
    command = chosen_command(words)
    parser = build_parser(() if command is None else (command,))
    args = parser.parse_args(words)
    if not hasattr(args, "run"):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.run(args))
    except (CliError, SpecError) as exc:  # a SpecError no command caught is bad input all the same
        print(f"u4b-vouchers: error: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    raise SystemExit(main())
