"""The gate's outputs: text, Markdown (for a pull-request comment), JSON, JUnit XML, a
changelog grouped per operation, and GitHub Actions annotations."""

from __future__ import annotations

import json
from collections import defaultdict
from xml.etree import ElementTree as ET

from ..reporting import Banner, Cell, Table, page, wrapping
from .findings import Finding
from .rules import BREAKING, INFO, LEVELS, WARNING

FORMATS = ("text", "markdown", "html", "json", "junit", "changelog", "githubactions")


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


#: The colour class of each level's word on the HTML page.
TONES = {BREAKING: "bad", WARNING: "warn", INFO: "muted"}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def verdict(findings: list[Finding], base: str, revision: str) -> Banner:
    """The page's answer first: how many breaking changes (or warnings), with the counts per
    level and the two descriptions compared."""
    counts = {level: sum(f.level == level for f in findings) for level in LEVELS}
    detail = (
        f"{counts[BREAKING]} breaking, {_plural(counts[WARNING], 'warning')}, {counts[INFO]} info"
        f" · base {base} · revision {revision}"
    )
    if counts[BREAKING]:
        return Banner("bad", _plural(counts[BREAKING], "breaking change"), detail)
    if counts[WARNING]:
        return Banner("warn", _plural(counts[WARNING], "warning"), detail)
    return Banner("ok", "No breaking changes", detail)


def html(findings: list[Finding], base: str, revision: str) -> str:
    """A self-contained page: the verdict, then one row per finding, breaking first. Levels
    read as in the other formats; rule ids never break, operations and pointers break anywhere
    so that the table fits a 1,280 px window."""
    rows: list[list[str | Cell]] = [
        [
            Cell(f.level, css=TONES[f.level]),
            Cell(f.id, kind="id"),
            Cell(f.operation, kind="ptr") if f.operation else Cell("(document)", css="muted"),
            wrapping(f.message),
            Cell(f.location, kind="ptr"),
        ]
        for f in sorted(findings, key=lambda f: LEVELS.index(f.level))
    ]
    table = Table("Changes", ["level", "rule", "operation", "change", "where"], rows, empty="No changes.")
    summary = (
        "Breaking changes can break existing clients; warnings may, depending on how clients read the API; "
        "info is for the changelog. Each change points into the revision (the base, for something removed)."
    )
    return page(f"API changes: {base} → {revision}", summary, [table], banner=verdict(findings, base, revision))


#: GitHub's workflow-command word per level.
ANNOTATIONS = {BREAKING: "error", WARNING: "warning", INFO: "notice"}


def _command_data(value: str) -> str:
    """A workflow command's message, escaped as GitHub's toolkit does (``%`` first)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _command_property(value: str) -> str:
    """A workflow command's property value: the message escapes, and ``:`` and ``,``."""
    return _command_data(value).replace(":", "%3A").replace(",", "%2C")


def _annotated_file(revision: str) -> str | None:
    """The revision as a file an annotation can point at: a plain path, not git:REF:path or a URL."""
    if revision.startswith(("git:", "http://", "https://")) or revision == "-":
        return None
    return revision


def githubactions(findings: list[Finding], base: str, revision: str) -> str:
    """One ``::error``, ``::warning`` or ``::notice`` workflow command per finding, titled with
    the rule id and pointing at the revision file when it is a plain path (no line: the loader
    keeps no line numbers)."""
    file = _annotated_file(revision)
    lines = []
    for f in findings:
        properties = [f"title={_command_property(f.id)}"]
        if file is not None:
            properties.append(f"file={_command_property(file)}")
        where = f"{f.operation}: " if f.operation else ""
        message = _command_data(f"{where}{f.message} [{f.location}]")
        lines.append(f"::{ANNOTATIONS[f.level]} {','.join(properties)}::{message}")
    return "".join(line + "\n" for line in lines)


RENDERERS = {
    "text": text,
    "markdown": markdown,
    "html": html,
    "json": as_json,
    "junit": junit,
    "changelog": changelog,
    "githubactions": githubactions,
}
