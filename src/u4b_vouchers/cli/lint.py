"""``u4b-vouchers lint [SPEC]``: run every quality gate on an OpenAPI description."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..lint import CHECKS, Check, Finding, run_lint
from ..spec import SpecError, default_spec_path, load_spec
from .errors import EXIT_FINDINGS, EXIT_OK, CliError

NAME = "lint"
HELP = "check the OpenAPI description: structure, examples, rules, inventory, Spectral, Redocly"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(NAME, help=HELP, description=HELP)
    parser.add_argument(
        "spec",
        nargs="?",
        type=Path,
        help="description to lint (default: the project's openapi/vouchers.yaml)",
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="CHECK",
        choices=sorted(CHECKS),
        help="run only this check (repeatable)",
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        metavar="CHECK",
        choices=sorted(CHECKS),
        help="skip this check (repeatable)",
    )
    parser.add_argument(
        "--inventory",
        type=Path,
        help="inventory of documented facts (default: inventory.yaml next to SPEC)",
    )
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    parser.set_defaults(run=run)


def _progress(check: Check, found: list[Finding], seconds: float) -> None:
    verdict = "ok" if not found else f"{len(found)} finding(s)"
    print(
        f"lint: {check.name:<10} {verdict} ({seconds:.1f}s)  {check.description}", file=sys.stderr
    )


def _display(path: Path) -> str:
    """``path`` relative to the working directory when it lies below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def run(args: argparse.Namespace) -> int:
    path: Path = args.spec or default_spec_path()
    if args.inventory is not None and not args.inventory.is_file():
        raise CliError(f"{args.inventory}: no such inventory file")
    try:
        spec = load_spec(path)
    except SpecError as exc:
        raise CliError(str(exc)) from None
    findings = run_lint(
        spec,
        only=args.only,
        skip=args.skip,
        inventory_path=args.inventory,
        progress=None if args.quiet else _progress,
    )
    shown = _display(path)
    if args.format == "json":
        print(json.dumps({"spec": shown, "findings": [f.as_dict() for f in findings]}, indent=2))
    else:
        for finding in findings:
            print(finding.one_line(shown))
        if findings:
            print(f"{len(findings)} finding(s) in {shown}", file=sys.stderr)
        elif not args.quiet:
            print(f"{shown}: no findings", file=sys.stderr)
    return EXIT_FINDINGS if findings else EXIT_OK
