"""``u4b-vouchers lint [SPEC]``: run every quality gate on an OpenAPI description."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..lint import CHECKS, Check, Finding, run_lint
from ..reporting import Table, page
from ..spec import REMOTE_REFS_FLAG, Fetcher, SpecError, default_spec_path, load_spec
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
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    parser.add_argument("--html", type=Path, metavar="FILE", help="also write a self-contained HTML report")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    parser.add_argument(
        "--ref-root",
        type=Path,
        metavar="DIR",
        help="$refs may name files under DIR (default: the folder of SPEC); never special files",
    )
    parser.add_argument(
        REMOTE_REFS_FLAG,
        action="store_true",
        help="fetch $refs to http: and https: URLs (each once, within a timeout, up to the file size cap); "
        "by default every URL is refused",
    )
    parser.set_defaults(run=run)


def html_report(shown: str, ran: list[tuple[Check, list[Finding], float]]) -> str:
    """The lint run as a self-contained HTML page: one row per check, then every finding."""
    findings = [f for _, found, _ in ran for f in found]
    checks = Table(
        "Checks",
        ["check", "result", "findings", "seconds", "what it verifies"],
        [
            [c.name, "ok" if not found else "fail", str(len(found)), f"{sec:.1f}", c.description]
            for c, found, sec in ran
        ],
    )
    details = Table(
        "Findings",
        ["check/rule", "file:line", "message", "at"],
        [[f"{f.check}/{f.rule}", f"{f.file or shown}:{f.line or ''}", f.message, f.pointer or ""] for f in findings],
        empty="No findings.",
    )
    verdict = "no findings" if not findings else f"{len(findings)} finding(s)"
    return page(f"u4b-vouchers lint: {shown}", verdict, [checks, details])


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
        spec = load_spec(path, args.ref_root, Fetcher() if args.allow_remote_refs else None)
    except SpecError as exc:
        raise CliError(str(exc)) from None
    ran: list[tuple[Check, list[Finding], float]] = []

    def progress(check: Check, found: list[Finding], seconds: float) -> None:
        ran.append((check, found, seconds))
        if not args.quiet:
            verdict = "ok" if not found else f"{len(found)} finding(s)"
            print(
                f"lint: {check.name:<10} {verdict} ({seconds:.1f}s)  {check.description}",
                file=sys.stderr,
            )

    findings = run_lint(spec, only=args.only, skip=args.skip, inventory_path=args.inventory, progress=progress)
    shown = _display(path)
    if args.html is not None:
        try:
            args.html.parent.mkdir(parents=True, exist_ok=True)
            args.html.write_text(html_report(shown, ran), encoding="utf-8")
        except OSError as exc:
            raise CliError(f"{args.html}: cannot write the HTML report: {exc.strerror}") from None
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
