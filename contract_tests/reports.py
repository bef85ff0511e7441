"""The run as reports: a JSON verdict, JUnit XML, Markdown, self-contained HTML, and the
recorded traffic (cassette).

The pages people read answer first: the verdict, then each failure and warning with its rule,
the rule's citation (the document's title, its file as a tooltip or in parentheses), the
operation, what was expected and what came, and a curl command; then coverage per documented
rule (failures first), the documented-error matrix, the checks, and (HTML only) every recorded
exchange in one compact row.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from u4b_vouchers.reporting import Banner, Cell, Table, Text, page, wrapping
from u4b_vouchers.spec import CitationText, Rule, Spec, SpecError, cite_grouped, document_titles, parse_rules

from .findings import FAILURE, WARNING, Finding
from .har import har_text
from .results import ERROR, FAILED, NOT_COVERED, PASSED, STATUSES, WARNED, CheckResult, RunResult
from .suite_errors import documented_errors, operation_of
from .target import Exchange

NOT_PROVOCABLE = {
    500: "needs a server failure: only the emulator's fault injection shows it",
    429: "needs the target to throttle: only the emulator's fault injection shows it on demand",
    409: "needs codes still being generated: only the emulator's control plane holds that on demand",
}
#: Coverage rows, most urgent first: what failed, what warned, then what is unknown, then what passed.
STATUS_ORDER = {FAILED: 0, WARNED: 1, "inconclusive": 2, "accepted": 3, NOT_COVERED: 4, PASSED: 5}
Tone = Literal["ok", "bad", "warn"]
#: How much of a response body a traffic row shows (the cassette keeps it whole).
BODY_PREVIEW = 300
#: How much of a query string (or of a path that is no operation's) a traffic row shows.
QUERY_PREVIEW = 40


@dataclass(frozen=True)
class RuleRow:
    rule: Rule
    status: str
    checks: list[CheckResult]
    note: str


def titles_of(spec: Spec) -> dict[str, str]:
    """The description's document titles; none when its ``x-u4b-documents`` is malformed (lint
    reports that; a report still names each document by file)."""
    try:
        return document_titles(spec.data)
    except SpecError:
        return {}


def citations_of(rule: Rule | None, titles: dict[str, str]) -> list[CitationText]:
    return cite_grouped(rule.sources, titles) if rule is not None else []


def citation_cell(citations: Sequence[CitationText]) -> Cell | str:
    """Title first; the file names as the tooltip."""
    if not citations:
        return ""
    files = " ".join(dict.fromkeys(c.file for c in citations))
    return Cell("; ".join(c.text for c in citations), title=files)


def citation_text(citations: Sequence[CitationText]) -> str:
    """For Markdown and plain text: ``Title, section, row r (file)``."""
    return "; ".join(c.with_file for c in citations)


def rule_rows(run: RunResult, spec: Spec) -> list[RuleRow]:
    rows = []
    for rule in parse_rules(spec.data):
        covering = [r for r in run.results if rule.id in r.rules or any(f.rule == rule.id for f in r.findings)]
        found = [f for r in covering for f in r.findings if f.rule == rule.id]
        failed = [f for f in found if f.severity == FAILURE]
        warned = [f for f in found if f.severity == WARNING]
        if failed or warned:
            worst = failed or warned
            status = "accepted" if all(f.accepted for f in worst) else (FAILED if failed else WARNED)
            note = worst[0].message + (f" (and {len(found) - 1} more)" if len(found) > 1 else "")
        elif any(r.status in (PASSED, WARNED) for r in covering):
            status, note = PASSED, ""
        elif any(r.status in (FAILED, ERROR) for r in covering):
            status, note = (
                "inconclusive",
                "its check stopped at another rule's deviation or an error",
            )
        elif covering:
            status, note = NOT_COVERED, "; ".join(sorted({r.message for r in covering}))
        else:
            status, note = (
                NOT_COVERED,
                f"kind {rule.kind}: no check of this suite selection covers it",
            )
        rows.append(RuleRow(rule, status, covering, note))
    return rows


def error_coverage(run: RunResult, spec: Spec) -> list[dict[str, Any]]:
    seen: dict[tuple[str, int, str | None], str] = {}
    for exchange in run.exchanges:
        operation = operation_of(exchange)
        if operation is not None and exchange.status >= 400:
            seen.setdefault((operation, exchange.status, exchange.code), exchange.check or "")
    rows = []
    for operation, statuses in documented_errors(spec).items():
        for status, codes in sorted(statuses.items()):
            for code in sorted(codes) if codes else [None]:
                keys = [k for k in seen if k[0] == operation and k[1] == status and (code is None or k[2] == code)]
                provoked_by = seen[keys[0]] if keys else None
                reason = "" if keys else NOT_PROVOCABLE.get(status, "not provoked by the checks that ran")
                rows.append(
                    {
                        "operation": operation,
                        "status": status,
                        "code": code,
                        "provoked": bool(keys),
                        "by": provoked_by,
                        "reason": reason,
                    }
                )
    return rows


def verdict(run: RunResult, spec: Spec) -> dict[str, Any]:
    rows = rule_rows(run, spec)
    titles = titles_of(spec)
    return {
        "target": run.target,
        "base_url": run.base_url,
        "conformant": run.conformant,
        "seed": run.seed,
        "seconds": round(run.seconds, 3),
        "requests": run.requests,
        "token_requests": run.token_requests,
        "test_cases": run.cases,
        "deadline_seconds": run.deadline,
        "deadline_passed": run.deadline_passed,
        "fail_on": run.fail_on,
        "failures": len([f for f in run.failures if not f.accepted]),
        "warnings": len([f for f in run.warnings if not f.accepted]),
        "accepted": len([f for f in run.findings if f.accepted]),
        "unmatched_baseline": run.unmatched_baseline,
        "checks": {s: run.count(s) for s in STATUSES},
        "control_plane_used_by": control_plane_users(run),
        "rules": [
            {
                "id": row.rule.id,
                "summary": row.rule.summary,
                "citation": [str(c) for c in row.rule.sources],
                "sources": [
                    {"text": c.text, "document": c.file, "quote": c.quote} for c in citations_of(row.rule, titles)
                ],
                "status": row.status,
                "checks": [r.check for r in row.checks],
                "note": row.note,
            }
            for row in rows
        ],
        "results": [r.as_dict() for r in run.results],
        "findings": [f.as_dict() for f in run.findings],
        "error_coverage": error_coverage(run, spec),
    }


def _finding_text(finding: Finding, cited: Sequence[CitationText] = ()) -> str:
    lines = [
        f"[{finding.severity}] {finding.rule} at {finding.where() or 'the target'}: {finding.message}",
        f"expected: {finding.expected or '-'}; got: {finding.got or '-'}",
    ]
    if cited:
        lines.append(f"documented in: {citation_text(cited)}")
    if finding.field:
        lines.append(f"field: {finding.field}")
    if finding.request_index is not None:
        lines.append(f"request #{finding.request_index}, {finding.seconds or 0:.1f} s into the run")
    lines.append(f"fingerprint: {finding.fingerprint}")
    if finding.curl:
        lines.append(finding.curl)
    return "\n".join(lines)


def junit(run: RunResult, spec: Spec | None = None) -> str:
    """JUnit XML: one testcase per check; each blocking finding in its failure's text (with the
    rule's citation, when ``spec`` is given)."""
    cited = _citations_by_rule(spec) if spec is not None else {}
    suites = ET.Element(
        "testsuites",
        name=f"u4b-vouchers check: {run.target}",
        tests=str(len(run.results)),
        failures=str(sum(1 for r in run.results if _blocking(run, r))),
        time=f"{run.seconds:.3f}",
    )
    by_suite: dict[str, list[CheckResult]] = {}
    for result in run.results:
        by_suite.setdefault(result.suite, []).append(result)
    for name, results in by_suite.items():
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=name,
            tests=str(len(results)),
            failures=str(sum(1 for r in results if _blocking(run, r))),
            errors=str(sum(r.status == ERROR for r in results)),
            skipped=str(sum(r.status == NOT_COVERED for r in results)),
            time=f"{sum(r.seconds for r in results):.3f}",
        )
        for result in results:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"contract.{name}",
                name=result.check,
                time=f"{result.seconds:.3f}",
            )
            ET.SubElement(case, "properties").extend(
                [
                    ET.Element("property", name="rules", value=" ".join(result.rules)),
                    ET.Element("property", name="failures", value=str(len(result.failures))),
                    ET.Element("property", name="warnings", value=str(len(result.warnings))),
                ]
            )
            blocking = [f for f in result.findings if f in run.blocking]
            if blocking:
                failure = ET.SubElement(
                    case,
                    "failure",
                    message=f"{len(blocking)} finding(s); first: [{blocking[0].rule}] {blocking[0].message}",
                    type=blocking[0].severity,
                )
                failure.text = "\n\n".join(_finding_text(f, cited.get(f.rule, ())) for f in blocking)
            elif result.status == ERROR:
                ET.SubElement(case, "error", message=result.message, type="error")
            elif result.status == NOT_COVERED:
                ET.SubElement(case, "skipped", message=result.message)
            others = [f for f in result.findings if f not in blocking]
            if others:
                out = ET.SubElement(case, "system-out")
                out.text = "\n\n".join(
                    ("accepted by the baseline: " if f.accepted else "") + _finding_text(f, cited.get(f.rule, ()))
                    for f in others
                )
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def _citations_by_rule(spec: Spec) -> dict[str, list[CitationText]]:
    titles = titles_of(spec)
    return {rule.id: citations_of(rule, titles) for rule in parse_rules(spec.data)}


def _blocking(run: RunResult, result: CheckResult) -> bool:
    return any(f in run.blocking for f in result.findings)


def _escape_md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_row(*cells: object) -> str:
    return "| " + " | ".join(_escape_md(str(cell)) for cell in cells) + " |"


def summary(run: RunResult) -> str:
    """One sentence: the verdict and what the run did."""
    counts = {s: run.count(s) for s in STATUSES}
    verdict_word = "Conformant" if run.conformant else "Deviations found"
    control = control_plane_users(run)
    failures = len([f for f in run.failures if not f.accepted])
    warnings = len([f for f in run.warnings if not f.accepted])
    accepted = len([f for f in run.findings if f.accepted])
    return (
        f"{verdict_word} against {run.base_url}: {failures} failure(s), {warnings} warning(s)"
        f"{f', {accepted} accepted by the baseline' if accepted else ''}; {counts[PASSED]} checks passed, "
        f"{counts[FAILED]} failed, {counts[WARNED]} warned, "
        f"{counts[NOT_COVERED]} not covered, {counts[ERROR]} errors; {run.requests} requests, "
        f"{run.cases} generated test cases, {run.seconds:.1f} s, seed {run.seed}."
        + (f" The emulator's control plane was used by: {', '.join(control)}." if control else "")
    )


def control_plane_users(run: RunResult) -> list[str]:
    return [r.check for r in run.results if r.used_control_plane]


@dataclass(frozen=True)
class Answer:
    """The verdict as a reader meets it first: a tone (``ok``, ``bad``, ``warn``), a headline
    ("Conformant", "3 failures", "2 warnings") and a line of counts."""

    tone: Tone
    headline: str
    detail: str


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def answer(run: RunResult) -> Answer:
    failures = [f for f in run.failures if not f.accepted]
    warnings = [f for f in run.warnings if not f.accepted]
    accepted = [f for f in run.findings if f.accepted]
    tone: Tone
    if failures:
        tone, headline = "bad", _count(len(failures), "failure")
    elif run.errors:
        tone, headline = "bad", f"{_count(len(run.errors), 'check')} stopped by an error"
    elif run.deadline_passed:
        tone, headline = "bad", "Cut short by the deadline"
    elif warnings:
        tone, headline = ("warn" if run.conformant else "bad"), _count(len(warnings), "warning")
    else:
        tone, headline = "ok", "Conformant"
    found = [_count(len(failures), "failure"), _count(len(warnings), "warning")]
    if accepted:
        found.append(f"{len(accepted)} accepted by the baseline")
    checks = f"checks: {run.count(PASSED)} passed, {run.count(NOT_COVERED)} not covered"
    if run.count(FAILED) or run.count(WARNED) or run.count(ERROR):
        checks += f", {run.count(FAILED)} failed, {run.count(WARNED)} warned, {run.count(ERROR)} errors"
    detail = " · ".join(
        [
            ", ".join(found),
            checks,
            _count(run.requests, "request"),
            f"{run.seconds:.1f} s",
            f"target {run.target} at {run.base_url}",
        ]
    )
    return Answer(tone, headline, detail)


def _facts(run: RunResult) -> str:
    """What the banner leaves out: the seed, the generated cases, the gate, the control plane."""
    gate = "failures and warnings" if run.fail_on == WARNING else "failures"
    text = (
        f"Seed {run.seed}; {run.cases} generated test cases; {_count(run.token_requests, 'token request')}; "
        f"the gate fails on {gate}."
    )
    control = control_plane_users(run)
    if control:
        text += f" The emulator's control plane was used by: {', '.join(control)}."
    return text


def _got(finding: Finding) -> str:
    """What came: the finding's own words, with the response's status and code when they add to them."""
    response = f"{finding.status} {finding.code}" if finding.code else str(finding.status or "")
    if response and response not in (finding.got or ""):
        return f"{finding.got} (response {response})" if finding.got else response
    return finding.got or "-"


def _where(finding: Finding) -> str:
    return " ".join(p for p in (finding.method, finding.operation) if p) or "-"


def _reproduce(finding: Finding) -> str:
    """The curl command, after a comment saying which request it repeats."""
    notes = []
    if finding.request_index is not None:
        notes.append(f"request #{finding.request_index} at {finding.seconds or 0:.1f} s")
    if finding.occurrences > 1:
        notes.append(f"seen {finding.occurrences} times")
    note = f"# {', '.join(notes)}\n" if notes else ""
    return note + (finding.curl or "# no request to repeat")


@dataclass(frozen=True)
class Sorted:
    """The run's findings by what a reader does with them."""

    failures: list[Finding]
    warnings: list[Finding]
    accepted: list[Finding]


def sorted_findings(run: RunResult) -> Sorted:
    return Sorted(
        failures=[f for f in run.findings if f.severity == FAILURE and not f.accepted],
        warnings=[f for f in run.findings if f.severity == WARNING and not f.accepted],
        accepted=[f for f in run.findings if f.accepted],
    )


def coverage(run: RunResult, spec: Spec) -> list[RuleRow]:
    """:func:`rule_rows`, failures first, then warnings, what is unknown, and what passed (spec
    order within each)."""
    return sorted(rule_rows(run, spec), key=lambda row: STATUS_ORDER.get(row.status, len(STATUS_ORDER)))


def _status_word(status: str) -> str:
    return {PASSED: "passed", FAILED: "failed", WARNED: "warning", NOT_COVERED: "not covered"}.get(status, status)


def markdown(run: RunResult, spec: Spec) -> str:
    """Markdown for a pull request comment: the verdict, each failure and warning, then coverage
    per rule and the documented errors; the traffic only as a count (the cassette holds it)."""
    titles = titles_of(spec)
    rules = {rule.id: rule for rule in parse_rules(spec.data)}
    top = answer(run)
    mark = {"ok": "✅", "bad": "❌", "warn": "⚠️"}[top.tone]
    lines = [f"# Contract check: {run.target}", "", f"{mark} **{top.headline}**: {top.detail}", "", _facts(run)]
    grouped = sorted_findings(run)
    for title, findings in (
        ("Failures", grouped.failures),
        ("Warnings", grouped.warnings),
        ("Accepted by the baseline", grouped.accepted),
    ):
        if not findings:
            continue
        lines += ["", f"## {title} ({len(findings)})", ""]
        lines += [
            _md_row("rule", "citation", "check", "operation", "expected", "got", "field"),
            "|---" * 7 + "|",
        ]
        for f in findings:
            cited = citation_text(citations_of(rules.get(f.rule), titles))
            lines.append(_md_row(f.rule, cited, f.check, _where(f), f.expected or "-", _got(f), f.field or ""))
        for f in findings:
            lines += ["", f"### {_severity_word(f)}: {f.rule} in {f.check}", "", _escape_md(f.message), ""]
            lines += [
                f"Fingerprint `{f.fingerprint}`"
                + (f", seen {f.occurrences} times" if f.occurrences > 1 else "")
                + (f"; request #{f.request_index} at {f.seconds or 0:.1f} s" if f.request_index is not None else ""),
                "",
            ]
            if f.curl:
                lines += ["```sh", f.curl, "```"]
    errors = run.errors
    if errors:
        lines += ["", "## Errors", ""]
        lines += [f"- {r.check}: {_escape_md(r.message)}" for r in errors]
    if run.unmatched_baseline:
        lines += ["", "## Accepted findings not seen this run", ""]
        lines += [f"- `{fingerprint}`" for fingerprint in run.unmatched_baseline]
    lines += ["", "## Documented rules", ""]
    lines += [_md_row("rule", "citation", "result", "checks", "note"), "|---|---|---|---|---|"]
    for row in coverage(run, spec):
        cited = citation_text(citations_of(row.rule, titles))
        checks = ", ".join(r.check for r in row.checks)
        lines.append(_md_row(row.rule.id, cited, _status_word(row.status), checks, row.note))
    lines += ["", "## Documented errors", "", _md_row("operation", "status", "code", "seen", "by / why not")]
    lines.append("|---|---|---|---|---|")
    for e in error_coverage(run, spec):
        seen = "yes" if e["provoked"] else "no"
        lines.append(_md_row(e["operation"], e["status"], e["code"] or "any", seen, e["by"] or e["reason"]))
    lines += [
        "",
        "## Traffic",
        "",
        f"{_count(len(run.exchanges), 'exchange')} recorded; `cassette.json` holds each with its headers "
        "and bodies, and `report.html` lists them.",
    ]
    return "\n".join(lines) + "\n"


def _word(status: str, accepted: bool = False) -> str:
    """Status words the HTML tables colour."""
    if accepted:
        return "accepted"
    return {PASSED: "pass", FAILED: "fail", WARNED: "warning", NOT_COVERED: "not covered"}.get(status, status)


def _severity_word(finding: Finding) -> str:
    return f"{finding.severity} (accepted)" if finding.accepted else finding.severity


def _findings_tables(
    title: str, mark: str, findings: list[Finding], rules: dict[str, Rule], titles: dict[str, str], intro: str = ""
) -> list[Table | Text]:
    """A section of findings: one line each (``mark`` numbers them: F1, W2), then the curl of
    each under the same number, where it has the page's width."""
    if not findings:
        return []
    numbered = [(f"{mark}{number}", f) for number, f in enumerate(findings, start=1)]
    return [
        Table(
            f"{title} ({len(findings)})",
            ["#", "rule and check", "citation", "operation", "expected → got", "field"],
            [
                [
                    Cell(key, kind="id"),
                    Cell(f"{f.rule}\n{f.check}", kind="ids"),
                    citation_cell(citations_of(rules.get(f.rule), titles)),
                    Cell(_where(f), title=f.path) if f.path else _where(f),
                    wrapping(f"{f.expected or '-'} → {_got(f)}"),
                    Cell(f.field, kind="ptr") if f.field else "",
                ]
                for key, f in numbered
            ],
            intro=intro,
        ),
        Table(
            f"Reproducing the {title.lower()}",
            ["#", "what", "curl"],
            [
                [Cell(key, kind="id"), f"{f.message} (fingerprint {f.fingerprint})", Cell(_reproduce(f), kind="pre")]
                for key, f in numbered
            ],
        ),
    ]


def _header(headers: dict[str, str], name: str) -> str:
    return next((value for key, value in headers.items() if key.lower() == name), "")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _called(exchange: Exchange) -> Cell:
    """The method and operation called, with its query cut short (the path and query, cut
    longer, as the tooltip); a path that is no operation's is shown itself, cut short."""
    parts = urlsplit(exchange.url)
    query = _cut(f"?{parts.query}", QUERY_PREVIEW) if parts.query else ""
    where = _cut(parts.path + (f"?{parts.query}" if parts.query else ""), BODY_PREVIEW)
    operation = exchange.operation
    if operation is None:
        return Cell(f"{exchange.method} {_cut(parts.path, QUERY_PREVIEW)}{query}", kind="ptr", title=where)
    return Cell(f"{exchange.method} {operation}{' ' + query if query else ''}", kind="ptr", title=where)


def _preview(body: str | None) -> str:
    return _cut(" ".join((body or "").split()), BODY_PREVIEW)


def _response(exchange: Exchange) -> Cell:
    """The status (coloured) and the error body's code, with the body (cut) as the tooltip."""
    preview = _preview(exchange.response_body)
    code = f" {_cut(exchange.code, QUERY_PREVIEW)}" if exchange.code else ""
    tone = "ok" if exchange.status < 400 else ("bad" if exchange.status >= 500 else "warn")
    return Cell(f"{exchange.status}{code}", css=tone, title=preview or None)


def _traffic(exchanges: Sequence[Exchange]) -> Table:
    return Table(
        f"Recorded traffic ({len(exchanges)})",
        ["#", "at s", "check", "request", "response", "X-U4B-Rule", "ms"],
        [
            [
                str(e.index or number),
                f"{e.seconds:.2f}",
                Cell(e.check or "", kind="id"),
                _called(e),
                _response(e),
                Cell(_cut(_header(e.response_headers, "x-u4b-rule"), QUERY_PREVIEW), kind="id"),
                f"{e.elapsed_ms:.0f}",
            ]
            for number, e in enumerate(exchanges, start=1)
        ],
        empty="No request was recorded.",
        intro=f"Every request of the run, one row each ({_count(len(exchanges), 'exchange')}). An operation's "
        "tooltip is the path it called; a response's, its body, cut to "
        f"{BODY_PREVIEW} characters. cassette.json holds each exchange whole, with its headers and bodies "
        "(secrets taken out), for u4b-vouchers replay.",
    )


def _findings_count(result: CheckResult) -> str:
    counts = [_count(len(result.failures), "failure")] if result.failures else []
    counts += [_count(len(result.warnings), "warning")] if result.warnings else []
    counts += [f"{result.omitted} more not listed"] if result.omitted else []
    return ", ".join(counts) or "-"


def html(run: RunResult, spec: Spec) -> str:
    """The page: the verdict banner, failures and warnings (each with its rule, citation and
    curl), coverage per documented rule, the documented errors, the checks and every exchange."""
    titles = titles_of(spec)
    rules = {rule.id: rule for rule in parse_rules(spec.data)}
    top = answer(run)
    grouped = sorted_findings(run)
    sections: list[Table | Text] = [
        *(
            _findings_tables("Failures", "F", grouped.failures, rules, titles)
            or [Text("Failures (0)", ["No failure: nothing the target did breaks a rule the documents state."])]
        ),
        *(
            _findings_tables(
                "Warnings", "W", grouped.warnings, rules, titles, intro="Rules the documents imply but do not state."
            )
            or [Text("Warnings (0)", ["No warning."])]
        ),
        *_findings_tables(
            "Accepted findings",
            "A",
            grouped.accepted,
            rules,
            titles,
            intro="Known deviations the baseline accepts: they do not fail the gate.",
        ),
    ]
    if run.errors:
        sections.append(
            Table(
                f"Errors ({len(run.errors)})",
                ["check", "what stopped it"],
                [[Cell(r.check, kind="id"), r.message] for r in run.errors],
            )
        )
    if run.unmatched_baseline:
        sections.append(
            Table(
                "Accepted findings not seen this run",
                ["fingerprint"],
                [[Cell(fp, kind="id")] for fp in run.unmatched_baseline],
            )
        )
    rows = coverage(run, spec)
    sections.append(
        Table(
            f"Coverage per documented rule ({len(rows)})",
            ["rule", "citation", "checks", "result", "note"],
            [
                [
                    Cell(row.rule.id, kind="id", title=f"{row.rule.basis} {row.rule.kind} rule: {row.rule.summary}"),
                    citation_cell(citations_of(row.rule, titles)),
                    Cell("\n".join(dict.fromkeys(r.check for r in row.checks)), kind="ids") if row.checks else "",
                    _word(row.status),
                    Cell(row.note, css="note") if row.note else "",
                ]
                for row in rows
            ],
            intro="Failures first, then warnings, then rules no check settled, then rules that passed. "
            "A rule id's tooltip gives its basis, kind and summary; a citation's, the document's file.",
        )
    )
    sections.append(
        Table(
            "Documented errors",
            ["operation", "status", "code", "seen", "by / why not"],
            [
                [
                    e["operation"],
                    str(e["status"]),
                    Cell(e["code"] or "any", kind="id"),
                    "pass" if e["provoked"] else "skipped",
                    e["by"] or e["reason"],
                ]
                for e in error_coverage(run, spec)
            ],
        )
    )
    results = sorted(run.results, key=lambda r: STATUS_ORDER.get(r.status, len(STATUS_ORDER)))
    sections.append(
        Table(
            f"Checks ({len(results)})",
            ["check", "rules", "result", "findings", "requests", "seconds", "message"],
            [
                [
                    Cell(r.check, kind="id"),
                    Cell("\n".join(r.rules), kind="ids"),
                    _word(r.status, r.accepted),
                    _findings_count(r),
                    str(r.requests),
                    f"{r.seconds:.2f}",
                    r.message,
                ]
                for r in results
            ],
        )
    )
    sections.append(_traffic(run.exchanges))
    return page(
        f"Contract check: {run.target}",
        _facts(run),
        sections,
        banner=Banner(top.tone, top.headline, top.detail),
    )


def cassette(run: RunResult) -> str:
    return (
        json.dumps(
            {
                "target": run.target,
                "base_url": run.base_url,
                "interactions": [e.as_dict() for e in run.exchanges],
            },
            indent=1,
        )
        + "\n"
    )


def sarif(run: RunResult, spec: Spec) -> str:
    """The run's findings as SARIF 2.1.0 (``findings.sarif``), for code scanning: see
    :mod:`contract_tests.sarif`."""
    from .sarif import sarif_log

    return json.dumps(sarif_log(run.findings, spec, tool="check"), indent=1) + "\n"


def traffic_har(run: RunResult) -> str:
    """Every recorded exchange as HAR 1.2 (``traffic.har``), redacted as the cassette is."""
    return har_text(run.exchanges, run.started_at)
