"""The run's findings as a SARIF 2.1.0 log, so that code scanning annotates the description at
the line of what the target broke.

Each finding is one result under its rule, at the line of the description that says what was
broken: the schema keyword a schema finding names (its ``expected`` reads ``enum of
#/components/schemas/VoucherStatus/enum``), else the rule's entry in ``x-u4b-rules``, else the
operation. The rules are the description's ``x-u4b-rules``, each with its citations titled as a
reader sees them (:func:`u4b_vouchers.spec.cite_grouped`).

A finding the baseline accepts is a result with a suppression (``kind: external``, ``status:
accepted``), not a ``baselineState``: SARIF's ``baselineState`` compares a result with a
previous *run* (new, unchanged, updated, absent) and says nothing of whether anyone accepted
it, while a suppression is exactly a decision, kept outside the source, that a result does not
need fixing. Code scanning shows suppressed results as dismissed instead of open, which is what
the baseline means for the gate.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from u4b_vouchers import __version__
from u4b_vouchers.reporting import SRCROOT, SarifLocation, SarifResult, SarifRule, artifact_uri
from u4b_vouchers.reporting import sarif_log as log_of
from u4b_vouchers.spec import IMPLIED, OPEN, RULES_KEY, STATED, Rule, Spec, join, openapi_dir, parse_rules

from .findings import FAILURE, WARNING, Finding
from .reports import citations_of, titles_of

TOOL = "u4b-vouchers"
#: A rule's default level, from its basis: what the documents state fails, what they imply warns.
BASIS_LEVELS = {STATED: "error", IMPLIED: "warning", OPEN: "note"}
#: A finding's level, from its severity.
SEVERITY_LEVELS = {FAILURE: "error", WARNING: "warning"}
#: The key of the findings' own fingerprints in ``partialFingerprints``.
FINGERPRINT_KEY = "u4b-vouchers/finding/v1"
#: A JSON pointer into the description named in a finding's ``expected`` (``enum of #/...``).
_POINTER = re.compile(r"#/\S*")


def description_uri(spec: Spec) -> tuple[str, str | None]:
    """Where the description lies in a checkout of the project: the project's own as
    ``openapi/vouchers.yaml`` (also when read from an installed wheel's copy), another one
    relative to the root of its git checkout (else the working folder)."""
    path = spec.path.resolve()
    own = openapi_dir().resolve()
    if path.is_relative_to(own):
        return (Path("openapi") / path.relative_to(own)).as_posix(), SRCROOT
    return artifact_uri(path)


def _rule_entries(spec: Spec) -> dict[str, str]:
    """Each rule id's pointer to its entry in ``x-u4b-rules``."""
    raw = spec.data.get(RULES_KEY)
    entries: dict[str, str] = {}
    for index, item in enumerate(raw if isinstance(raw, list) else []):
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            entries.setdefault(item["id"], join([RULES_KEY, str(index)]))
    return entries


def _exists(spec: Spec, pointer: str) -> bool:
    try:
        spec.resolve(pointer)
    except (KeyError, IndexError, TypeError, ValueError):
        return False
    return True


def keyword_pointer(finding: Finding, spec: Spec) -> str | None:
    """The schema keyword a finding names in ``expected``, when the description has it."""
    match = _POINTER.search(finding.expected or "")
    return match.group(0) if match and _exists(spec, match.group(0)) else None


def _operation_pointer(finding: Finding, spec: Spec) -> str | None:
    if finding.operation is None:
        return None
    try:
        return spec.operation(finding.operation).pointer
    except (KeyError, ValueError):
        return None


def places(finding: Finding, spec: Spec, entries: dict[str, str]) -> list[tuple[str, str]]:
    """Where a finding points, most precise first: ``(what, pointer)`` for the schema keyword it
    names, the rule's entry and the operation, those the description has."""
    found = [
        ("keyword", keyword_pointer(finding, spec)),
        ("rule", entries.get(finding.rule)),
        ("operation", _operation_pointer(finding, spec)),
    ]
    return [(what, pointer) for what, pointer in found if pointer is not None]


def _rule(rule: Rule, titles: dict[str, str]) -> SarifRule:
    citations = citations_of(rule, titles)
    cited = [c.with_file + (f': "{c.quote}"' if c.quote else "") for c in citations]
    decisions = f"Decisions: {', '.join(rule.decisions)} (DECISIONS.md)." if rule.decisions else ""
    operations = ", ".join(rule.operations)
    text = "\n".join(
        [rule.summary, "", "Cited from:", *(f"- {line}" for line in cited), *([decisions] if decisions else [])]
    )
    markdown = "\n".join(
        [
            rule.summary,
            "",
            "**Cited from:**",
            "",
            *(f"- {c.text} (`{c.file}`)" + (f"\n  > {c.quote}" if c.quote else "") for c in citations),
            *(["", decisions] if decisions else []),
        ]
    )
    return SarifRule(
        id=rule.id,
        name=rule.id,
        short=rule.summary,
        full=f"{rule.summary} ({rule.basis} {rule.kind} rule; operations: {operations})",
        help_text=text,
        help_markdown=markdown,
        level=BASIS_LEVELS.get(rule.basis, "warning"),
        tags=(rule.kind, rule.basis),
        properties={"kind": rule.kind, "basis": rule.basis, "operations": list(rule.operations)},
    )


def _message(finding: Finding) -> str:
    parts = [finding.message]
    if finding.expected or finding.got:
        parts.append(f"Expected {finding.expected or '-'}; got {finding.got or '-'}.")
    if finding.operation:
        parts.append(f"At {finding.where()}.")
    return " ".join(parts)


_PROPERTIES = ("check", "kind", "operation", "method", "path", "status", "code", "field", "probe", "curl")


def _result(finding: Finding, spec: Spec, entries: dict[str, str], uri: tuple[str, str | None]) -> SarifResult:
    found = places(finding, spec, entries)
    locations = [SarifLocation(uri[0], spec.line_of(pointer), uri_base_id=uri[1]) for _, pointer in found]
    described = {"keyword": "the schema keyword", "rule": "the rule's entry", "operation": "the operation"}
    related = [
        SarifLocation(uri[0], spec.line_of(pointer), uri_base_id=uri[1], message=described[what])
        for what, pointer in found[1:]
    ]
    properties: dict[str, Any] = {
        name: getattr(finding, name) for name in _PROPERTIES if getattr(finding, name) is not None
    }
    properties.update(severity=finding.severity, occurrences=finding.occurrences, fingerprint=finding.fingerprint)
    if found:
        properties["located-at"] = f"{described[found[0][0]]} {found[0][1]}"
    return SarifResult(
        rule_id=finding.rule,
        level=SEVERITY_LEVELS.get(finding.severity, "warning"),
        message=_message(finding),
        locations=locations[:1] or [SarifLocation(uri[0], uri_base_id=uri[1])],
        related=related,
        fingerprints={FINGERPRINT_KEY: finding.fingerprint},
        suppressed=f"accepted by the baseline (fingerprint {finding.fingerprint})" if finding.accepted else None,
        properties=properties,
    )


def sarif_log(findings: Sequence[Finding], spec: Spec, *, tool: str = "check") -> dict[str, Any]:
    """The SARIF log of ``findings`` (of ``u4b-vouchers check``, or of another command that
    judges traffic, named by ``tool``: ``proxy``): the driver ``u4b-vouchers`` (its full name
    says the command), every documented rule, one result per finding. A finding under a rule
    the description does not list gets a rule of its own id."""
    titles = titles_of(spec)
    rules = [_rule(rule, titles) for rule in parse_rules(spec.data)]
    known = {rule.id for rule in rules}
    for rule_id in dict.fromkeys(f.rule for f in findings):
        if rule_id not in known:
            rules.append(SarifRule(id=rule_id, name=rule_id, short=f"{rule_id} (not a rule of the description)"))
            known.add(rule_id)
    entries = _rule_entries(spec)
    uri = description_uri(spec)
    return log_of(
        [_result(f, spec, entries, uri) for f in findings],
        rules,
        tool=TOOL,
        version=__version__,
        full_name=f"{TOOL} {tool}",
        properties={"command": tool, "description": uri[0]},
    )
