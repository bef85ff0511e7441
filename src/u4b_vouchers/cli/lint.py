"""``u4b-vouchers lint [SPEC]``: run every quality gate on an OpenAPI description."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections import Counter
from pathlib import Path

from .. import __version__
from ..lint import CHECKS, SEVERITIES, CheckRun, Finding, LintContext, ordered_checks, run_lint
from ..reporting import (
    Banner,
    Cell,
    SarifLocation,
    SarifResult,
    SarifRule,
    Table,
    artifact_uri,
    fingerprint,
    page,
    sarif_log,
)
from ..spec import REMOTE_REFS_FLAG, Fetcher, SpecError, default_spec_path, load_spec, openapi_version
from .errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, CliError, exit_codes_epilog

NAME = "lint"
HELP = "check the OpenAPI description: structure, examples, rules, inventory, Spectral, Redocly"
#: Paragraphs of ``lint --help`` (wrapped here: the parser keeps the epilog's layout as written).
DESCRIPTION_PARAGRAPHS = (
    "Run every quality gate on an OpenAPI 3.0/3.1 description (default: the project's) and print one "
    "line per finding: FILE:LINE: SEVERITY [CHECK/RULE] MESSAGE (at POINTER).",
    "The project-specific checks (rules, decisions, extensions, inventory) run on a description that "
    "comes with the project's companion files (DECISIONS.md, extensions.md, inventory.yaml next to it) "
    "or uses its conventions (x-u4b-rules, D-nnn, x-u4b-*); on another API they are skipped, with the "
    "reason. Spectral and Redocly run the spectral.yaml and redocly.yaml next to the description, the "
    "project's with --project-rules, else their generic rules only (spectral:oas, recommended).",
)
DESCRIPTION = "\n\n".join(textwrap.fill(paragraph, 78) for paragraph in DESCRIPTION_PARAGRAPHS)
EXIT_CODES = {
    EXIT_OK: "no errors or warnings (information and skipped checks do not fail)",
    EXIT_FINDINGS: "errors or warnings",
    EXIT_USAGE: "bad input (unreadable, not an OpenAPI 3.0/3.1 document, a refused $ref or companion)",
}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        NAME,
        help=HELP,
        description=DESCRIPTION,
        epilog=exit_codes_epilog(EXIT_CODES),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    names = ", ".join(ordered_checks())
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
        help=f"run only this check (repeatable); checks: {names}",
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        metavar="CHECK",
        choices=sorted(CHECKS),
        help=f"skip this check (repeatable); checks: {names}",
    )
    parser.add_argument(
        "--inventory",
        type=Path,
        metavar="FILE",
        help="inventory of documented facts (default: inventory.yaml next to SPEC)",
    )
    parser.add_argument(
        "--project-rules",
        action="store_true",
        help="run this project's Spectral ruleset and Redocly configuration (openapi/spectral.yaml, "
        "openapi/redocly.yaml) on a description that has none of its own next to it",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json", "sarif"),
        default="text",
        help="output format (default: text); sarif is a SARIF 2.1.0 log for code scanning, each finding at "
        "its file and line",
    )
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


def counts(findings: list[Finding]) -> Counter[str]:
    return Counter(f.severity for f in findings)


def _tally(findings: list[Finding]) -> str:
    """``2 errors, 1 warning``: the levels that occur, most severe first."""
    found = counts(findings)
    words = {"error": ("error", "errors"), "warning": ("warning", "warnings"), "info": ("info", "info")}
    parts = [f"{found[s]} {words[s][found[s] != 1]}" for s in SEVERITIES if found[s]]
    return ", ".join(parts) if parts else "no findings"


SEVERITY_CSS = {"error": "bad", "warning": "warn", "info": "muted"}
STATUS_CSS = {"ok": "ok", "fail": "bad", "skipped": "muted"}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def _banner(findings: list[Finding], skipped: list[CheckRun]) -> Banner:
    """The verdict: clean, or the errors and warnings that fail the gate; information and the
    skipped checks in the detail line."""
    found = counts(findings)
    failing = [_plural(found[s], s) for s in ("error", "warning") if found[s]]
    notes = [f"{found['info']} info"] if found["info"] else []
    if skipped:
        notes.append(f"{len(skipped)} check(s) skipped: {', '.join(r.check.name for r in skipped)}")
    detail = "; ".join(notes)
    if found["error"]:
        return Banner("bad", ", ".join(failing), detail)
    if found["warning"]:
        return Banner("warn", ", ".join(failing), detail)
    return Banner("ok", "clean", detail or "every check passed")


def _finding_row(finding: Finding) -> list[str | Cell]:
    line = str(finding.line or "")
    message = " ".join(finding.message.split())
    if finding.also:
        message += f"{'' if message.endswith('.') else '.'} Also reported by {', '.join(finding.also)}."
    return [
        Cell(finding.severity, css=SEVERITY_CSS[finding.severity]),
        Cell(finding.name, kind="id", title=", ".join(finding.reported_by) if finding.also else None),
        Cell(f"{finding.file}:{line}", kind="ptr") if finding.file else line,
        message,
        Cell(finding.pointer or "", kind="ptr"),
    ]


def html_report(shown: str, ran: list[CheckRun], findings: list[Finding], rulesets: dict[str, str]) -> str:
    """The lint run as a self-contained HTML page: the verdict, one row per check (skipped ones
    with their reason), then every finding with its level, most severe first."""
    checks = Table(
        "Checks",
        ["check", "result", "findings", "seconds", "what it verifies, or why it was skipped"],
        [
            [
                Cell(r.check.name, kind="id"),
                Cell(r.status, css=STATUS_CSS[r.status]),
                str(len(r.findings)) if r.skipped is None else "",
                f"{r.seconds:.1f}" if r.skipped is None else "",
                r.check.description if r.skipped is None else Cell(r.skipped, css="muted"),
            ]
            for r in ran
        ],
    )
    order = sorted(findings, key=lambda f: SEVERITIES.index(f.severity))
    details = Table(
        "Findings",
        ["severity", "check/rule", "line", "message", "at"],
        [_finding_row(f) for f in order],
        empty="No findings.",
        intro=f"Lines are in {shown} unless a file is named.",
    )
    skipped = [r for r in ran if r.skipped is not None]
    summary = (
        f"{len(ran) - len(skipped)} check(s) ran, {len(skipped)} skipped. "
        f"Spectral ruleset: {rulesets['spectral']}; Redocly configuration: {rulesets['redocly']}."
    )
    return page(f"u4b-vouchers lint: {shown}", summary, [checks, details], banner=_banner(findings, skipped))


#: SARIF's level per lint severity.
SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _lint_rule(finding: Finding) -> SarifRule:
    check = CHECKS.get(finding.check)
    what = check.description if check is not None else f"the {finding.check} linter"
    return SarifRule(
        id=finding.name,
        name=finding.rule,
        short=f"{finding.rule} ({finding.check})",
        full=f"Rule {finding.rule} of the lint check {finding.check}: {what}",
        help_text=f"Reported by u4b-vouchers lint, check {finding.check} ({what}).",
        level=SARIF_LEVELS[finding.severity],
        tags=(finding.check,),
    )


def sarif_report(path: Path, findings: list[Finding], ran: list[CheckRun]) -> str:
    """The findings as a SARIF 2.1.0 log: one result each at its file (the description unless
    the finding names another) and line, under the rule ``check/rule``; the skipped checks and
    their reasons as a property of the run."""
    rules: dict[str, SarifRule] = {}
    results = []
    for f in findings:
        rules.setdefault(f.name, _lint_rule(f))
        uri, base_id = artifact_uri(f.file or path)
        properties: dict[str, object] = {"severity": f.severity}
        if f.pointer:
            properties["pointer"] = f.pointer
        if f.also:
            properties["reported-by"] = list(f.reported_by)
        results.append(
            SarifResult(
                rule_id=f.name,
                level=SARIF_LEVELS[f.severity],
                message=" ".join(f.message.split()) + (f" (at {f.pointer})" if f.pointer else ""),
                locations=[SarifLocation(uri, f.line, uri_base_id=base_id)],
                fingerprints={"u4b-vouchers/lint/v1": fingerprint(f.name, uri, f.pointer or str(f.line or ""))},
                properties=properties,
            )
        )
    skipped = {r.check.name: r.skipped for r in ran if r.skipped is not None}
    log = sarif_log(
        results,
        list(rules.values()),
        tool="u4b-vouchers",
        version=__version__,
        full_name="u4b-vouchers lint",
        properties={"command": "lint", "description": artifact_uri(path)[0], "skipped": skipped},
    )
    return json.dumps(log, indent=1) + "\n"


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
        openapi_version(spec.data, str(path), spec.line_of)
        context = LintContext.for_spec(spec, args.inventory, project_rules=args.project_rules)
    except SpecError as exc:
        raise CliError(str(exc)) from None
    ran: list[CheckRun] = []
    #: What the Node linters run (by check name): a file, or the tool's generic set.
    rulesets = {
        "spectral": _display(context.spectral_ruleset) if context.spectral_ruleset else "spectral:oas",
        "redocly": _display(context.redocly_config) if context.redocly_config else "recommended",
    }

    def progress(done: CheckRun) -> None:
        ran.append(done)
        if args.quiet:
            return
        if done.skipped is not None:
            print(f"lint: {done.check.name:<10} skipped: {done.skipped}", file=sys.stderr)
            return
        verdict = "ok" if not done.findings else _tally(done.findings)
        if done.findings and done.status == "ok":
            verdict = f"ok ({verdict})"
        ruleset = f" (ran {rulesets[done.check.name]})" if done.check.name in rulesets else ""
        print(
            f"lint: {done.check.name:<10} {verdict} ({done.seconds:.1f}s)  {done.check.description}{ruleset}",
            file=sys.stderr,
        )

    findings = run_lint(spec, only=args.only, skip=args.skip, progress=progress, context=context)
    shown = _display(path)
    if args.html is not None:
        try:
            args.html.parent.mkdir(parents=True, exist_ok=True)
            args.html.write_text(html_report(shown, ran, findings, rulesets), encoding="utf-8")
        except OSError as exc:
            raise CliError(f"{args.html}: cannot write the HTML report: {exc.strerror}") from None
    failing = any(f.fails for f in findings)
    skipped = [r.check.name for r in ran if r.skipped is not None]
    if args.format == "json":
        report = {
            "spec": shown,
            "rulesets": rulesets,
            "counts": {severity: counts(findings)[severity] for severity in SEVERITIES},
            "checks": [r.as_dict() for r in ran],
            "findings": [f.as_dict() for f in findings],
        }
        print(json.dumps(report, indent=2))
    elif args.format == "sarif":
        print(sarif_report(path, findings, ran), end="")
    else:
        for finding in findings:
            print(finding.one_line(shown))
        also = f"; skipped: {', '.join(skipped)}" if skipped else ""
        if failing:
            print(f"{len(findings)} finding(s) in {shown} ({_tally(findings)}){also}", file=sys.stderr)
        elif not args.quiet:
            verdict = "no findings" if not findings else f"no errors or warnings ({_tally(findings)})"
            print(f"{shown}: {verdict}{also}", file=sys.stderr)
    return EXIT_FINDINGS if failing else EXIT_OK
