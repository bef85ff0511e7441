"""The gate's outputs: text, Markdown (for a pull-request comment), JSON, JUnit XML, a
changelog grouped per operation, GitHub Actions annotations and SARIF 2.1.0 (for code scanning,
each change at its line of the revision)."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree as ET

from .. import __version__
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
    wrapping,
)
from ..spec import SpecError, escape, load_document
from .findings import Finding
from .load import GIT_PREFIX
from .rules import BREAKING, INFO, LEVELS, RULES, WARNING

FORMATS = ("text", "markdown", "html", "json", "junit", "changelog", "githubactions", "sarif")


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


#: SARIF's level per level of the gate (oasdiff's ERR, WARN, INFO).
SARIF_LEVELS = {BREAKING: "error", WARNING: "warning", INFO: "note"}
#: The key of the changes' fingerprints in ``partialFingerprints``.
FINGERPRINT_KEY = "u4b-vouchers/change/v1"


@dataclass(frozen=True)
class _Side:
    """One description as SARIF locates it: its URI and, for a file, its data and lines."""

    uri: str
    base_id: str | None
    data: Any = None
    lines: dict[str, int] | None = None

    @classmethod
    def of(cls, source: str) -> _Side:
        """A file (its lines read again: the comparison keeps none), or ``git:REF:path`` (the
        path in the checkout, no lines); a URL or standard input has neither."""
        if source.startswith(GIT_PREFIX):
            return cls(source.rpartition(":")[2].removeprefix("./"), "%SRCROOT%")
        if _annotated_file(source) is None:
            return cls(source, None)
        uri, base_id = artifact_uri(source)
        try:
            loaded = load_document(source)
        except SpecError:
            return cls(uri, base_id)
        return cls(uri, base_id, loaded.data, loaded.lines)

    def find(self, location: str) -> tuple[int | None, bool]:
        """The line of the finding's ``location`` here, and whether this side has that place
        itself (else the line is of the nearest place above it that it has). The walk follows
        local ``$ref``s, as the comparison does, and reads a parameter named ``query.q`` as the
        entry of ``parameters`` with that ``in`` and ``name``."""
        if self.lines is None:
            return None, False
        node, at = self.data, "#"
        for token in location.removeprefix("#/").split("/") if location.startswith("#/") else []:
            key = token.replace("~1", "/").replace("~0", "~")
            node, at = self._deref(node, key, at)
            if isinstance(node, dict) and (found := _key(node, key)) is not None:
                node, at = node[found], f"{at}/{escape(found)}"
            elif isinstance(node, list) and (index := self._index(node, key)) is not None:
                node, at = node[index], f"{at}/{index}"
            else:
                return self.lines.get(at), False
        return self.lines.get(at), True

    def _deref(self, node: Any, key: str, at: str) -> tuple[Any, str]:
        seen: set[str] = set()
        while isinstance(node, dict) and _key(node, key) is None and isinstance(ref := node.get("$ref"), str):
            if not ref.startswith("#/") or ref in seen:
                break
            seen.add(ref)
            target, found = self.data, True
            for token in ref[2:].split("/"):
                part = token.replace("~1", "/").replace("~0", "~")
                if isinstance(target, dict) and part in target:
                    target = target[part]
                elif isinstance(target, list) and part.isdigit() and int(part) < len(target):
                    target = target[int(part)]
                else:
                    found = False
                    break
            if not found:
                break
            node, at = target, ref
        return node, at

    def _index(self, items: list[Any], key: str) -> int | None:
        if key.isdigit():
            return int(key) if int(key) < len(items) else None
        where, _, name = key.partition(".")
        for index, raw in enumerate(items):
            item, _ = self._deref(raw, "in", "")
            named = item.get("name") if isinstance(item, dict) and item.get("in") == where else None
            if isinstance(named, str) and (named == name or (where == "header" and named.lower() == name.lower())):
                return index
        return None


def _key(node: dict[str, Any], key: str) -> str | None:
    """``key`` of ``node``, or its one key that differs only in case (the comparison names
    headers in lower case)."""
    if key in node:
        return key
    same = [k for k in node if isinstance(k, str) and k.lower() == key.lower()]
    return same[0] if len(same) == 1 else None


def _change_rule(rule_id: str) -> SarifRule:
    rule = RULES[rule_id]
    origin = "oasdiff's rule" if rule.origin == "oasdiff" else "this project's rule"
    facts = f"level {rule.level}, judged from the {rule.direction} side" if rule.direction != "none" else ""
    facts = ", ".join(p for p in (facts or f"level {rule.level}", f"area {rule.area}" if rule.area else "") if p)
    return SarifRule(
        id=rule.id,
        name=rule.id,
        short=rule.description,
        full=f"{rule.description} ({facts}; {origin})",
        help_text=f"{rule.description}. {origin.capitalize()} ({facts}); ignore it with a line of --err-ignore or "
        "--warn-ignore, or change its level with --severity-levels.",
        level=SARIF_LEVELS[rule.level],
        tags=tuple(t for t in (rule.area, rule.kind, rule.origin) if t),
        properties={"level": rule.level, "direction": rule.direction, "origin": rule.origin},
    )


def _change_result(f: Finding, base: _Side, revision: _Side) -> SarifResult:
    line, exact = revision.find(f.location)
    properties: dict[str, Any] = {"level": f.level, "operation": f.operation, "pointer": f.location}
    location = SarifLocation(revision.uri, line, uri_base_id=revision.base_id)
    related = []
    if not exact:
        base_line, in_base = base.find(f.location)
        if in_base:
            # Removed: the revision no longer has the place; the base's line says what went.
            location = SarifLocation(base.uri, base_line, uri_base_id=base.base_id)
            properties["located-in"] = "base"
            if line is not None:
                related.append(
                    SarifLocation(
                        revision.uri, line, uri_base_id=revision.base_id, message="where it was, in the revision"
                    )
                )
        else:
            properties["located-in"] = "revision (the nearest place above the change)" if line else "revision"
    else:
        properties["located-in"] = "revision"
    where = f"{f.operation}: " if f.operation else ""
    return SarifResult(
        rule_id=f.id,
        level=SARIF_LEVELS[f.level],
        message=f"{where}{f.message} [{f.location}]",
        locations=[location],
        related=related,
        fingerprints={FINGERPRINT_KEY: fingerprint(f.id, f.operation, f.location, f.message)},
        properties=properties,
    )


def sarif(findings: list[Finding], base: str, revision: str) -> str:
    """A SARIF 2.1.0 log: one result per change, at its line of the revision file (of the base
    file for something removed, when the revision has no place for it: ``located-in`` says so),
    under the rule of the one rule table, at the level the run gave it."""
    sides = _Side.of(base), _Side.of(revision)
    rules = [_change_rule(rule_id) for rule_id in dict.fromkeys(f.id for f in findings)]
    log = sarif_log(
        [_change_result(f, *sides) for f in findings],
        rules,
        tool="u4b-vouchers",
        version=__version__,
        full_name="u4b-vouchers diff",
        properties={"command": "diff", "base": base, "revision": revision},
    )
    return json.dumps(log, indent=1) + "\n"


RENDERERS = {
    "text": text,
    "markdown": markdown,
    "html": html,
    "json": as_json,
    "junit": junit,
    "changelog": changelog,
    "githubactions": githubactions,
    "sarif": sarif,
}
