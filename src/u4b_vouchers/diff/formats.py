"""The gate's outputs: text, Markdown (for a pull-request comment), JSON, JUnit XML, and a
changelog grouped per operation."""

from __future__ import annotations

import json
from collections import defaultdict
from xml.etree import ElementTree as ET

from ..reporting import Table, page
from .findings import Finding
from .rules import BREAKING, INFO, LEVELS, WARNING

FORMATS = ("text", "markdown", "html", "json", "junit", "changelog")


def _counts(findings: list[Finding]) -> str:
    counts = {level: sum(f.level == level for f in findings) for level in LEVELS}
    return f"{counts[BREAKING]} breaking, {counts[WARNING]} warning(s), {counts[INFO]} info"


def text(findings: list[Finding], base: str, revision: str) -> str:
    lines = [f"{base} -> {revision}: {_counts(findings)}"]
    for f in findings:
        where = f" {f.operation}" if f.operation else ""
        lines.append(f"{f.level:<8} {f.id:<48}{where}: {f.message}  [{f.location}]")
    return "\n".join(lines) + "\n"


def markdown(findings: list[Finding], base: str, revision: str) -> str:
    lines = [f"### API changes: `{base}` → `{revision}`", "", f"**{_counts(findings)}**", ""]
    if findings:
        lines += ["| level | rule | operation | change |", "|---|---|---|---|"]
        marks = {BREAKING: "🔴 breaking", WARNING: "🟡 warning", INFO: "info"}
        for f in findings:
            message = f.message.replace("|", "\\|")
            lines.append(f"| {marks[f.level]} | `{f.id}` | {f.operation or '(document)'} | {message} |")
    return "\n".join(lines) + "\n"


def as_json(findings: list[Finding], base: str, revision: str) -> str:
    return (
        json.dumps({"base": base, "revision": revision, "findings": [f.as_dict() for f in findings]}, indent=2) + "\n"
    )


def junit(findings: list[Finding], base: str, revision: str) -> str:
    suite = ET.Element(
        "testsuite",
        name=f"api changes {base} -> {revision}",
        tests=str(max(1, len(findings))),
        failures=str(sum(f.level == BREAKING for f in findings)),
    )
    if not findings:
        ET.SubElement(suite, "testcase", classname="diff", name="no changes")
    for f in findings:
        case = ET.SubElement(
            suite, "testcase", classname=f"diff.{f.operation or 'document'}", name=f"{f.id} {f.location}"
        )
        if f.level == BREAKING:
            ET.SubElement(
                case, "failure", message=f.message, type=f.id
            ).text = f"{f.operation}: {f.message} at {f.location}"
        elif f.level == WARNING:
            ET.SubElement(case, "system-out").text = f"warning: {f.message}"
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"


def changelog(findings: list[Finding], base: str, revision: str) -> str:
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        grouped[f.operation or "(whole description)"].append(f)
    lines = [f"# Changes from {base} to {revision}", ""]
    for operation in sorted(grouped):
        lines += [f"## {operation}", ""]
        for f in grouped[operation]:
            mark = {BREAKING: "**breaking**: ", WARNING: "warning: "}.get(f.level, "")
            lines.append(f"- {mark}{f.message} (`{f.id}`)")
        lines.append("")
    return "\n".join(lines)


def html(findings: list[Finding], base: str, revision: str) -> str:
    words = {BREAKING: "fail", WARNING: "warning", INFO: "info"}
    table = Table(
        "Changes",
        ["level", "rule", "operation", "change", "where"],
        [[words[f.level], f.id, f.operation or "(document)", f.message, f.location] for f in findings],
        empty="No changes.",
    )
    return page(f"API changes: {base} → {revision}", _counts(findings), [table])


RENDERERS = {"text": text, "markdown": markdown, "html": html, "json": as_json, "junit": junit, "changelog": changelog}
