"""``u4b-vouchers replay RECORDINGS --spec REVISION``: which recorded exchanges (cassettes, HAR)
would a revision reject?"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..diff import RecordingError, load_description, load_recordings, replay
from ..reporting import Table, page
from ..spec import REMOTE_REFS_FLAG, Fetcher, SpecError
from .errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, CliError, exit_codes_epilog

NAME = "replay"
HELP = "validate recorded traffic (check cassettes) against a spec revision and list what it would reject"


EPILOG = exit_codes_epilog(
    {
        EXIT_OK: "the revision rejects none of the recorded exchanges (with --base: none the base accepts)",
        EXIT_FINDINGS: "it rejects some: each is listed",
        EXIT_USAGE: "bad input (a recording, a description or an option)",
    }
)
FORMATS = ("text", "json", "markdown", "html")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        NAME, help=HELP, description=HELP, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "recordings",
        nargs="+",
        type=Path,
        help="cassettes or HAR files (traffic.har of check --report-dir and proxy, or any tool's HAR 1.2), "
        "or folders holding them (searched for cassette*.json and *.har)",
    )
    parser.add_argument("--spec", required=True, help="the revision to judge the traffic by: a file, or git:REF:path")
    parser.add_argument(
        "--base",
        help="only report exchanges this description (a file, or git:REF:path) accepts and the revision rejects",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help=f"output format: {', '.join(FORMATS)} (default: text: one line per rejected exchange, "
        "the count on standard error)",
    )
    parser.add_argument(
        "--ref-root",
        metavar="DIR",
        help="$refs may name files under DIR (default: each description's folder); never special files",
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
        interactions = load_recordings(args.recordings)
        fetcher = Fetcher() if args.allow_remote_refs else None
        revision = load_description(args.spec, args.ref_root, fetcher)
        base = load_description(args.base, args.ref_root, fetcher) if args.base else None
    except (RecordingError, SpecError) as exc:
        raise CliError(str(exc)) from None
    rejections = replay(interactions, revision, base)
    exchanges = {(r.interaction.source, r.interaction.index) for r in rejections}
    headline = f"{len(exchanges)} of {len(interactions)} recorded exchanges would be rejected by {args.spec}"
    if args.base:
        headline += f" (and were accepted by {args.base})"
    if args.format == "json":
        print(
            json.dumps(
                {
                    "spec": str(args.spec),
                    "base": str(args.base) if args.base else None,
                    "interactions": len(interactions),
                    "rejected": [r.as_dict() for r in rejections],
                },
                indent=2,
            )
        )
    elif args.format == "html":
        rows = [
            [f"{r.interaction.method} {r.interaction.url} -> {r.interaction.status}", r.operation, r.side, r.reason]
            for r in rejections
        ]
        print(
            page(
                f"Recorded traffic against {args.spec}",
                headline,
                [Table("Rejected exchanges", ["exchange", "operation", "side", "why"], rows, empty="None.")],
            )
        )
    elif args.format == "markdown":
        print(f"### Recorded traffic against `{args.spec}`\n\n**{headline}**\n")
        if rejections:
            print("| exchange | operation | side | why |\n|---|---|---|---|")
            for r in rejections:
                exchange = f"{r.interaction.method} {r.interaction.url} → {r.interaction.status}"
                print(f"| {exchange} | {r.operation} | {r.side} | {r.reason.replace('|', '/')} |")
    else:
        for r in rejections:
            i = r.interaction
            print(f"{i.source}#{i.index} {i.method} {i.url} -> {i.status}: {r.side}: {r.reason}")
        print(headline, file=sys.stderr)
    return EXIT_FINDINGS if rejections else EXIT_OK
