"""SARIF 2.1.0, the format code scanning services (GitHub's among them) read to annotate a file
at a line.

Built from plain fields (this layer knows no finding type of the others): a :class:`SarifRule`
is a rule's metadata, a :class:`SarifResult` one result with its :class:`SarifLocation`\\ s, and
:func:`sarif_log` the document of one run around them. Paths are the caller's to make relative
(:func:`artifact_uri`); a location's ``uri`` is read against ``uriBaseId`` (``%SRCROOT%``, the
root of the checkout), which the log does not pin to a folder of the machine that wrote it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SARIF_VERSION = "2.1.0"
#: The OASIS schema of the version (errata 01), named by every log's ``$schema``.
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
#: The base a relative ``uri`` is read against: the root of the checkout the log is about.
SRCROOT = "%SRCROOT%"
#: A result's levels, most severe first (``none`` is SARIF's too, for what is no problem).
SARIF_LEVELS = ("error", "warning", "note", "none")


@dataclass(frozen=True)
class SarifRule:
    """A rule's metadata (SARIF's ``reportingDescriptor``). ``help_text`` and ``help_markdown``
    are what a reader opens from a result (a citation belongs there); ``help_uri`` only when there
    is a page to open; ``level`` is the rule's default level."""

    id: str
    short: str
    full: str = ""
    name: str = ""
    help_text: str = ""
    help_markdown: str = ""
    help_uri: str | None = None
    level: str = "warning"
    tags: Sequence[str] = ()
    properties: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SarifLocation:
    """A line (and column, when known) of a file; no ``line`` for the file as a whole."""

    uri: str
    line: int | None = None
    column: int | None = None
    uri_base_id: str | None = SRCROOT
    message: str = ""


@dataclass(frozen=True)
class SarifResult:
    """One result: under ``rule_id``, at ``level``, at its ``locations`` (the first one is where
    it is shown; ``related`` are other places it names). ``fingerprints`` match it across runs
    (SARIF's ``partialFingerprints``). ``suppressed`` is the justification of an external, accepted
    suppression (a baseline accepted it), None when it is not suppressed."""

    rule_id: str
    level: str
    message: str
    locations: Sequence[SarifLocation] = ()
    related: Sequence[SarifLocation] = ()
    fingerprints: Mapping[str, str] = field(default_factory=dict)
    suppressed: str | None = None
    properties: Mapping[str, Any] = field(default_factory=dict)


def fingerprint(*parts: str) -> str:
    """A stable digest of ``parts`` (for ``partialFingerprints``): the same parts, the same value."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def _root_of(path: Path) -> Path | None:
    """The nearest folder above ``path`` holding ``.git`` (a folder, or a worktree's file)."""
    for folder in path.parents:
        if (folder / ".git").exists():
            return folder
    return None


def artifact_uri(path: str | Path, root: str | Path | None = None) -> tuple[str, str | None]:
    """``path`` as a location's ``(uri, uriBaseId)``: relative to ``root`` (default: the root of
    the git checkout holding it, else the working folder) under :data:`SRCROOT`; a path below
    neither is a ``file:`` URI of its own, with no base."""
    file = Path(path).resolve()
    bases = [Path(root).resolve()] if root is not None else [b for b in (_root_of(file), Path.cwd().resolve()) if b]
    for base in bases:
        if file.is_relative_to(base):
            return file.relative_to(base).as_posix(), SRCROOT
    return file.as_uri(), None


def _message(text: str, markdown: str = "") -> dict[str, str]:
    return {"text": text, **({"markdown": markdown} if markdown else {})}


def _level(level: str) -> str:
    if level not in SARIF_LEVELS:
        raise ValueError(f"not a SARIF level: {level!r} (one of {', '.join(SARIF_LEVELS)})")
    return level


def _rule(rule: SarifRule) -> dict[str, Any]:
    found: dict[str, Any] = {"id": rule.id}
    if rule.name:
        found["name"] = rule.name
    found["shortDescription"] = _message(rule.short)
    if rule.full:
        found["fullDescription"] = _message(rule.full)
    if rule.help_text or rule.help_markdown:
        found["help"] = _message(rule.help_text or rule.help_markdown, rule.help_markdown)
    if rule.help_uri:
        found["helpUri"] = rule.help_uri
    found["defaultConfiguration"] = {"level": _level(rule.level)}
    properties = {**rule.properties, **({"tags": list(dict.fromkeys(rule.tags))} if rule.tags else {})}
    if properties:
        found["properties"] = properties
    return found


def _location(location: SarifLocation) -> dict[str, Any]:
    artifact: dict[str, Any] = {"uri": location.uri}
    if location.uri_base_id is not None:
        artifact["uriBaseId"] = location.uri_base_id
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if location.line is not None:
        region: dict[str, Any] = {"startLine": location.line}
        if location.column is not None:
            region["startColumn"] = location.column
        physical["region"] = region
    found: dict[str, Any] = {"physicalLocation": physical}
    if location.message:
        found["message"] = _message(location.message)
    return found


def _result(result: SarifResult, index: Mapping[str, int]) -> dict[str, Any]:
    found: dict[str, Any] = {"ruleId": result.rule_id}
    if result.rule_id in index:
        found["ruleIndex"] = index[result.rule_id]
    found["level"] = _level(result.level)
    found["message"] = _message(result.message)
    found["locations"] = [_location(loc) for loc in result.locations]
    if result.related:
        found["relatedLocations"] = [{"id": n, **_location(loc)} for n, loc in enumerate(result.related)]
    if result.fingerprints:
        found["partialFingerprints"] = dict(result.fingerprints)
    if result.suppressed is not None:
        found["suppressions"] = [{"kind": "external", "status": "accepted", "justification": result.suppressed}]
    if result.properties:
        found["properties"] = dict(result.properties)
    return found


def sarif_log(
    results: Sequence[SarifResult],
    rules: Sequence[SarifRule],
    *,
    tool: str,
    version: str,
    full_name: str = "",
    information_uri: str | None = None,
    properties: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The log of one run of ``tool`` at ``version``: its ``rules`` (each result's ``ruleIndex``
    points into them; an id listed twice is an error) and ``results`` in the order given."""
    index: dict[str, int] = {}
    for number, rule in enumerate(rules):
        if rule.id in index:
            raise ValueError(f"rule {rule.id!r} listed twice")
        index[rule.id] = number
    driver: dict[str, Any] = {"name": tool, "version": version}
    if full_name:
        driver["fullName"] = full_name
    if information_uri:
        driver["informationUri"] = information_uri
    driver["rules"] = [_rule(rule) for rule in rules]
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "columnKind": "unicodeCodePoints",
        "results": [_result(result, index) for result in results],
    }
    if properties:
        run["properties"] = dict(properties)
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}
