"""Ignore files in oasdiff's format (``--err-ignore``, ``--warn-ignore``): a line names a change
that is accepted, and findings of the file's level that it matches are dropped.

Matching, case-insensitive, line by line:

* a finding on an operation (``GET /items/{id}``) is matched by a line whose first word
  starting with ``/`` is that path, that contains ``get /items/{id}``, and that contains the
  finding's rule id (as a whole word) or its message;
* a document-wide finding (no operation) is matched by a line that contains its rule id (as a
  whole word) or its message.

Blank lines and lines whose first word starts with ``#`` match nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from .findings import Finding


def parse_ignore(text: str) -> tuple[str, ...]:
    """The lines of an ignore file that can match something, lower-cased."""
    lines = []
    for line in text.splitlines():
        words = line.split()
        if words and not words[0].startswith("#"):
            lines.append(" ".join(words).lower())
    return tuple(lines)


def _line_path(line: str) -> str:
    return next((word for word in line.split() if word.startswith("/")), "")


def _names_rule(line: str, rule_id: str) -> bool:
    rule_id = rule_id.lower()
    return rule_id in line and re.search(rf"(?<![\w-]){re.escape(rule_id)}(?![\w-])", line) is not None


def matches(line: str, finding: Finding) -> bool:
    """Whether the (lower-cased, :func:`parse_ignore`) ``line`` names ``finding``."""
    if finding.operation:
        method, _, path = finding.operation.lower().partition(" ")
        if _line_path(line) != path or f"{method} {path}" not in line:
            return False
    message = " ".join(finding.message.lower().split())
    return _names_rule(line, finding.id) or (bool(message) and message in line)


def apply_ignore(findings: Iterable[Finding], level: str, lines: Sequence[str]) -> list[Finding]:
    """``findings`` without those of ``level`` that a line matches (a finding on an operation
    is tried only against the lines naming its path)."""
    by_path: dict[str, list[str]] = defaultdict(list)
    for line in lines:
        by_path[_line_path(line)].append(line)
    kept = []
    for f in findings:
        candidates = by_path.get(f.operation.partition(" ")[2].lower(), []) if f.operation else lines
        if f.level != level or not any(matches(line, f) for line in candidates):
            kept.append(f)
    return kept
