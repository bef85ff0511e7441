"""Which findings a run keeps: paths by regular expression (``--match-path``,
``--unmatch-path``, oasdiff's semantics: the expression is searched for anywhere in the path)
and whole kinds of change (``--exclude-elements``, classified by rule id and the rule table's
direction).

Document-wide findings (no operation) are kept by the path filters, as oasdiff keeps changes
outside ``paths``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from .findings import Finding
from .rules import RULES


class FilterError(ValueError):
    """A path expression or an element name that cannot be used (one line)."""


def _words(rule_id: str) -> list[str]:
    return rule_id.split("-")


#: ``--exclude-elements`` values: oasdiff's six, and this project's ``request`` and
#: ``response``; each drops the findings whose rule id it selects.
ELEMENTS: dict[str, tuple[str, Callable[[str], bool]]] = {
    "endpoints": (
        "an operation or path added, removed, deprecated or reactivated as a whole",
        lambda i: i.startswith(("endpoint-", "api-path-", "api-removed-")),
    ),
    "extensions": (
        "changes to OpenAPI extensions (x-u4b-rules, x-extensible-enum...)",
        lambda i: "x" in _words(i),
    ),
    "description": ("changes to description fields", lambda i: "description" in _words(i)),
    "examples": ("changes to examples", lambda i: bool({"example", "examples"} & set(_words(i)))),
    "title": ("changes to titles", lambda i: "title" in _words(i)),
    "summary": ("changes to summaries", lambda i: "summary" in _words(i)),
    "request": ("every change to what clients send", lambda i: _direction(i) == "request"),
    "response": ("every change to what clients receive", lambda i: _direction(i) == "response"),
}


def _direction(rule_id: str) -> str:
    """``request`` or ``response``: the rule table's direction, or for an id not in it the first
    of the two words in the id; ``""`` when neither."""
    rule = RULES.get(rule_id)
    if rule is not None:
        return rule.direction if rule.direction in ("request", "response") else ""
    return next((w for w in _words(rule_id) if w in ("request", "response")), "")


def check_elements(values: Iterable[str]) -> tuple[str, ...]:
    elements = tuple(values)
    for value in elements:
        if value not in ELEMENTS:
            raise FilterError(f"unknown element {value!r} to exclude (expected one of: {', '.join(ELEMENTS)})")
    return elements


def compile_path(expression: str, option: str) -> re.Pattern[str]:
    try:
        return re.compile(expression)
    except re.error as exc:
        raise FilterError(f"{option}: not a regular expression: {expression[:200]!r} ({exc})") from None


def _path(finding: Finding) -> str | None:
    return finding.operation.partition(" ")[2] if finding.operation else None


def filter_findings(
    findings: Iterable[Finding],
    match_path: str = "",
    unmatch_path: str = "",
    exclude_elements: Iterable[str] = (),
) -> list[Finding]:
    """Findings on a path ``match_path`` is found in and ``unmatch_path`` is not (an empty
    expression selects every path), without those of an excluded element."""
    keep = compile_path(match_path, "--match-path") if match_path else None
    drop = compile_path(unmatch_path, "--unmatch-path") if unmatch_path else None
    excluded = [ELEMENTS[e][1] for e in check_elements(exclude_elements)]
    result = []
    for finding in findings:
        path = _path(finding)
        if path is not None and keep is not None and not keep.search(path):
            continue
        if path is not None and drop is not None and drop.search(path):
            continue
        if any(selects(finding.id) for selects in excluded):
            continue
        result.append(finding)
    return result
