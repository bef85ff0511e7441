"""Which level a finding gets: the rule table's (oasdiff's, where a rule corresponds), a level
profile shipped here, and a severity-levels file in oasdiff's format (``rule-id LEVEL`` a line).

A level of ``None`` (``NONE`` in a file) drops the rule's findings.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping

from .findings import Finding
from .rules import BREAKING, INFO, RULES, WARNING

#: oasdiff's level words (and this project's), case-insensitive, to a level; NONE drops.
LEVEL_WORDS: dict[str, str | None] = {
    "err": BREAKING,
    "warn": WARNING,
    "info": INFO,
    "none": None,
    BREAKING: BREAKING,
    WARNING: WARNING,
}

#: This project's judgement where it differs from oasdiff's level: ``--levels u4b``.
#: Each entry: rule id -> (level, why).
U4B: dict[str, tuple[str, str]] = {
    "api-security-removed": (
        BREAKING,
        "a client that authenticates only with the removed requirement can no longer call the operation",
    ),
    "api-security-scope-added": (BREAKING, "a token issued without the new scope is now refused"),
    "response-non-success-status-removed": (
        WARNING,
        "clients that handle the error status lose that branch; generated clients lose a typed error",
    ),
    "api-operation-id-removed": (WARNING, "generated clients rename or lose the operation's method"),
    "response-body-any-of-added": (BREAKING, "a client may receive a shape its decoder does not know"),
    "response-property-any-of-added": (BREAKING, "a client may receive a property shape its decoder does not know"),
    "request-path-parameter-renamed": (
        WARNING,
        "the URL is the same, but generated clients rename the argument (oasdiff reports nothing, so info by default)",
    ),
}

#: ``--levels``: ``oasdiff`` keeps the rule table's levels, ``u4b`` applies :data:`U4B`.
PROFILES: dict[str, dict[str, str | None]] = {
    "oasdiff": {},
    "u4b": {rule_id: level for rule_id, (level, _) in U4B.items()},
}
DEFAULT_PROFILE = "oasdiff"


class LevelsError(ValueError):
    """A severity-levels file or a profile that cannot be used (one line)."""


def level_word(word: str) -> str | None:
    """The level ``word`` names (``ERR``, ``warn``, ``breaking``...; ``NONE`` is None)."""
    try:
        return LEVEL_WORDS[word.lower()]
    except KeyError:
        raise LevelsError(f"unknown level {word!r} (expected ERR, WARN, INFO or NONE)") from None


def parse_severity_levels(text: str, where: str) -> dict[str, str | None]:
    """``rule-id LEVEL`` per line (oasdiff's format). Blank lines and lines starting with ``#``
    are skipped; any other line must have exactly two words, a known rule id and a level."""
    levels: dict[str, str | None] = {}
    for number, line in enumerate(text.splitlines(), 1):
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        if len(words) != 2:
            raise LevelsError(f"{where}:{number}: expected 'rule-id LEVEL', got {line.strip()[:200]!r}")
        rule_id, word = words
        if rule_id not in RULES:
            raise LevelsError(f"{where}:{number}: unknown rule id {rule_id[:200]!r}")
        try:
            levels[rule_id] = level_word(word)
        except LevelsError as exc:
            raise LevelsError(f"{where}:{number}: {exc}") from None
    return levels


def profile(name: str) -> dict[str, str | None]:
    try:
        return dict(PROFILES[name])
    except KeyError:
        raise LevelsError(f"unknown level profile {name!r} (expected {' or '.join(PROFILES)})") from None


def apply_levels(findings: Iterable[Finding], overrides: Mapping[str, str | None]) -> list[Finding]:
    """Each finding at the level ``overrides`` gives its rule (when it names it); a rule set to
    None is dropped."""
    result = []
    for finding in findings:
        if finding.id not in overrides:
            result.append(finding)
            continue
        level = overrides[finding.id]
        if level is not None:
            result.append(finding if level == finding.level else dataclasses.replace(finding, level=level))
    return result
