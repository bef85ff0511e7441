"""``u4b-vouchers diff BASE REVISION``: the breaking-change gate between two descriptions."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..diff import FORMATS, LEVELS, RENDERERS, SourceError, diff, load, validate
from ..spec import REMOTE_REFS_FLAG, Fetcher
from .errors import EXIT_FINDINGS, EXIT_OK, CliError

NAME = "diff"
HELP = "compare two OpenAPI descriptions (files or git:REF:path) and report every change by level"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(NAME, help=HELP, description=HELP)
    parser.add_argument("base", help="the description before: a file, or git:REF:path")
    parser.add_argument("revision", help="the description after: a file, or git:REF:path")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument(
        "--fail-on", choices=("breaking", "warning"), help="exit 1 when a change of this level (or worse) is found"
    )
    parser.add_argument(
        "--level", choices=LEVELS, default="info", help="show changes of this level and worse (default: info)"
    )
    parser.add_argument("--output", type=Path, help="write the report here instead of standard output")
    parser.add_argument(
        "--validate", action="store_true", help="validate both descriptions fully first (slow on very large ones)"
    )
    parser.add_argument(
        "--ref-root",
        metavar="DIR",
        help="$refs may name files under DIR (default: each description's folder; in git:REF:path, a folder "
        "of that revision); never special files",
    )
    parser.add_argument(
        REMOTE_REFS_FLAG,
        action="store_true",
        help="fetch $refs to http: and https: URLs (each once, within a timeout, up to the file size cap); "
        "by default every URL is refused",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        fetcher = Fetcher() if args.allow_remote_refs else None
        base, revision = load(args.base, args.ref_root, fetcher), load(args.revision, args.ref_root, fetcher)
        if args.validate:
            validate(base)
            validate(revision)
        findings = diff(base, revision)
    except SourceError as exc:
        raise CliError(str(exc)) from None
    shown = [f for f in findings if LEVELS.index(f.level) <= LEVELS.index(args.level)]
    report = RENDERERS[args.format](shown, args.base, args.revision)
    if args.output is not None:
        try:
            args.output.parent.mkdir(parents=True, exist_ok=True)
            args.output.write_text(report, encoding="utf-8")
        except OSError as exc:
            raise CliError(f"{args.output}: cannot write: {exc.strerror}") from None
    else:
        print(report, end="")
    if args.fail_on is not None:
        threshold = LEVELS.index(args.fail_on)
        if any(LEVELS.index(f.level) <= threshold for f in findings):
            return EXIT_FINDINGS
    return EXIT_OK
