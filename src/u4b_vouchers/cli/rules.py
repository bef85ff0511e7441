"""``u4b-vouchers rules [--spec FILE]``: list the documented rules of ``x-u4b-rules``.

One line (or table row, or JSON object) per rule: its id, basis, kind, operations and
citations, each citation read with its document's title (``x-u4b-documents``) and its file.
Only the spec layer's reading and rule modules are imported: no validator, no HTTP client.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ..spec import SpecError, cite_all, default_spec_path, document_titles, load_spec, parse_rules
from .errors import EXIT_OK, CliError, exit_codes_epilog

NAME = "rules"
HELP = "list the documented rules: id, kind, basis, operations, citation"
EPILOG = exit_codes_epilog(
    {
        0: "the rules were listed",
        2: "bad input: the description cannot be read, or its x-u4b-rules or x-u4b-documents is malformed",
    }
)
FORMATS = ("text", "json", "markdown")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        NAME,
        help=HELP,
        description=HELP,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--spec",
        type=Path,
        metavar="FILE",
        help="the description whose rules to list (default: the project's openapi/vouchers.yaml)",
    )
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.set_defaults(run=run)


def listing(path: Path) -> list[dict[str, Any]]:
    """Every rule of the description at ``path``, as plain data (what ``--format json`` prints)."""
    try:
        spec = load_spec(path)
        titles = document_titles(spec.data)
        rules = parse_rules(spec.data)
    except SpecError as exc:
        raise CliError(str(exc)) from None
    return [
        {
            "id": rule.id,
            "basis": rule.basis,
            "kind": rule.kind,
            "operations": list(rule.operations),
            "summary": rule.summary,
            "citations": [
                {"text": c.text, "document": c.file, "quote": c.quote} for c in cite_all(rule.sources, titles)
            ],
        }
        for rule in rules
    ]


def _citations(rule: dict[str, Any]) -> str:
    texts = []
    for cited in rule["citations"]:
        text, file = cited["text"], cited["document"]
        texts.append(text if text.startswith(file) else f"{text} ({file})")
    return "; ".join(texts)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def text(rules: list[dict[str, Any]]) -> str:
    width = max((len(r["id"]) for r in rules), default=0)
    lines = [
        f"{r['id']:<{width}}  {r['basis']:<7}  {r['kind']:<13}  {','.join(r['operations'])}  {_citations(r)}"
        for r in rules
    ]
    return "\n".join(lines)


def markdown(rules: list[dict[str, Any]]) -> str:
    lines = ["| id | basis | kind | operations | citation |", "|---|---|---|---|---|"]
    lines += [
        f"| `{r['id']}` | {r['basis']} | {r['kind']} | {_md(', '.join(r['operations']))} | {_md(_citations(r))} |"
        for r in rules
    ]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    path: Path = args.spec if args.spec is not None else default_spec_path()
    if not path.is_file():
        raise CliError(f"{path}: no such description file")
    rules = listing(path)
    if args.format == "json":
        print(json.dumps({"spec": str(path), "rules": rules}, indent=2, ensure_ascii=False))
    elif args.format == "markdown":
        print(markdown(rules))
    elif rules:
        print(text(rules))
    return EXIT_OK
