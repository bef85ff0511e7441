"""The run as reports: a JSON verdict, JUnit XML, Markdown, self-contained HTML, and the
recorded traffic (cassette). One row per documented rule, with its citation and result."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree as ET

from u4b_vouchers.reporting import Table, page
from u4b_vouchers.spec import Rule, Spec, parse_rules

from .findings import FAILURE, WARNING, Finding
from .results import ERROR, FAILED, NOT_COVERED, PASSED, STATUSES, WARNED, CheckResult, RunResult
from .suite_errors import documented_errors, operation_of

NOT_PROVOCABLE = {
    500: "needs a server failure: only the emulator's fault injection shows it",
    429: "needs the target to throttle: only the emulator's fault injection shows it on demand",
    409: "needs codes still being generated: only the emulator's control plane holds that on demand",
}


@dataclass(frozen=True)
class RuleRow:
    rule: Rule
    status: str
    checks: list[CheckResult]
    note: str


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


def _finding_text(finding: Finding) -> str:
    lines = [
        f"[{finding.severity}] {finding.rule} at {finding.where() or 'the target'}: {finding.message}",
        f"expected: {finding.expected or '-'}; got: {finding.got or '-'}",
    ]
    if finding.field:
        lines.append(f"field: {finding.field}")
    if finding.request_index is not None:
        lines.append(f"request #{finding.request_index}, {finding.seconds or 0:.1f} s into the run")
    lines.append(f"fingerprint: {finding.fingerprint}")
    if finding.curl:
        lines.append(finding.curl)
    return "\n".join(lines)


def junit(run: RunResult) -> str:
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
                failure.text = "\n\n".join(_finding_text(f) for f in blocking)
            elif result.status == ERROR:
                ET.SubElement(case, "error", message=result.message, type="error")
            elif result.status == NOT_COVERED:
                ET.SubElement(case, "skipped", message=result.message)
            others = [f for f in result.findings if f not in blocking]
            if others:
                out = ET.SubElement(case, "system-out")
                out.text = "\n\n".join(
                    ("accepted by the baseline: " if f.accepted else "") + _finding_text(f) for f in others
                )
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


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


def markdown(run: RunResult, spec: Spec) -> str:
    data = verdict(run, spec)
    lines = [f"# Contract check: {run.target}", "", summary(run), "", "## Documented rules", ""]
    lines += [_md_row("rule", "citation", "result", "checks", "note"), "|---|---|---|---|---|"]
    for rule in data["rules"]:
        lines.append(
            _md_row(rule["id"], "; ".join(rule["citation"]), rule["status"], ", ".join(rule["checks"]), rule["note"])
        )
    if run.findings:
        lines += ["", "## Findings", ""]
        lines += [
            _md_row("severity", "rule", "check", "where", "field", "expected", "got", "request"),
            "|---" * 8 + "|",
        ]
        for f in run.findings:
            lines.append(
                _md_row(
                    _severity_word(f),
                    f.rule,
                    f.check,
                    f.where(),
                    f.field or "",
                    f.expected,
                    f.got,
                    f"#{f.request_index} at {f.seconds or 0:.1f} s" if f.request_index is not None else "",
                )
            )
        for f in run.findings:
            lines += ["", f"### {_severity_word(f)}: {f.rule} in {f.check}", "", _escape_md(f.message), ""]
            lines += [
                f"Fingerprint `{f.fingerprint}`" + (f", seen {f.occurrences} times" if f.occurrences > 1 else ""),
                "",
            ]
            if f.curl:
                lines += ["```sh", f.curl, "```"]
    errors = [r for r in run.results if r.status == ERROR]
    if errors:
        lines += ["", "## Errors", ""]
        lines += [f"- {r.check}: {_escape_md(r.message)}" for r in errors]
    if run.unmatched_baseline:
        lines += ["", "## Accepted findings not seen this run", ""]
        lines += [f"- `{fingerprint}`" for fingerprint in run.unmatched_baseline]
    lines += ["", "## Documented errors", "", _md_row("operation", "status", "code", "seen", "by / why not")]
    lines.append("|---|---|---|---|---|")
    for row in data["error_coverage"]:
        seen = "yes" if row["provoked"] else "no"
        lines.append(_md_row(row["operation"], row["status"], row["code"] or "any", seen, row["by"] or row["reason"]))
    return "\n".join(lines) + "\n"


def _word(status: str, accepted: bool = False) -> str:
    """Status words the HTML tables colour."""
    if accepted:
        return "accepted"
    return {PASSED: "pass", FAILED: "fail", WARNED: "warning"}.get(status, status)


def _severity_word(finding: Finding) -> str:
    return f"{finding.severity} (accepted)" if finding.accepted else finding.severity


def html(run: RunResult, spec: Spec) -> str:
    data = verdict(run, spec)
    rules = Table(
        "Documented rules",
        ["rule", "citation", "result", "checks", "note"],
        [
            [r["id"], "; ".join(r["citation"]), _word(r["status"]), ", ".join(r["checks"]), r["note"]]
            for r in data["rules"]
        ],
    )
    checks = Table(
        "Checks",
        ["check", "rules", "result", "failures", "warnings", "requests", "seconds", "message"],
        [
            [
                r.check,
                " ".join(r.rules),
                _word(r.status, r.accepted),
                str(len(r.failures)),
                str(len(r.warnings)),
                str(r.requests),
                f"{r.seconds:.2f}",
                r.message,
            ]
            for r in run.results
        ],
    )
    findings = Table(
        "Findings",
        ["severity", "rule", "operation", "field", "expected", "got", "request", "check"],
        [
            [
                "fail" if f in run.blocking else ("accepted" if f.accepted else "warning"),
                f.rule,
                f"{f.method or ''} {f.operation or ''}".strip(),
                f.field or "",
                f.expected,
                f.got,
                f"#{f.request_index} at {f.seconds or 0:.1f} s" if f.request_index is not None else "",
                f.check,
            ]
            for f in run.findings
        ],
        empty="No findings: nothing the target did breaks a documented rule.",
    )
    reproduce = Table(
        "Reproducing each finding",
        ["fingerprint", "what", "curl"],
        [[f.fingerprint, f.message, f.curl or ""] for f in run.findings],
        empty="Nothing to reproduce.",
    )
    errors = Table(
        "Documented errors",
        ["operation", "status", "code", "seen", "by / why not"],
        [
            [
                e["operation"],
                str(e["status"]),
                e["code"] or "any",
                "pass" if e["provoked"] else "skipped",
                e["by"] or e["reason"],
            ]
            for e in data["error_coverage"]
        ],
    )
    return page(f"Contract check: {run.target}", summary(run), [findings, reproduce, rules, checks, errors])


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
