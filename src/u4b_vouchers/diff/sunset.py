"""Reading the lifecycle extensions oasdiff defines: ``x-sunset`` (the day something may be
removed) and ``x-stability-level`` (draft, alpha, beta or stable), and what a deprecation policy
asks of them.

A sunset is a calendar date (``2026-08-10``) or an RFC 3339 timestamp (the date it names, in
its own offset); a YAML loader may already have made either a date. A stability level that is
absent counts as ``stable``; anything but the four names is an error, reported by the
stability checks and skipped by the others.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from .config import DiffConfig

SUNSET = "x-sunset"
STABILITY = "x-stability-level"
#: The stability levels, least stable first.
LEVELS = ("draft", "alpha", "beta", "stable")
#: The least stable level whose changes are reported (oasdiff's default threshold).
THRESHOLD = "beta"

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")


class LifecycleError(ValueError):
    """A sunset or stability level that cannot be read."""


def sunset_date(value: Any) -> date:
    """The day an ``x-sunset`` value names; LifecycleError if it names none."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise LifecycleError(f"sunset date is not a string: {value!r}")
    try:
        if _DATE.fullmatch(value):
            return date.fromisoformat(value)
        if _TIMESTAMP.fullmatch(value):
            return datetime.fromisoformat(value.upper().replace("Z", "+00:00")).date()
    except ValueError:
        pass
    raise LifecycleError(f"sunset date is neither a date nor an RFC 3339 timestamp: {value!r}")


def stability(node: dict[str, Any]) -> str:
    """The ``x-stability-level`` of an operation or schema, "" when it has none; LifecycleError
    when it is not one of :data:`LEVELS`."""
    value = node.get(STABILITY)
    if value is None:
        return ""
    if not isinstance(value, str) or value not in LEVELS:
        raise LifecycleError(f"x-stability-level is not one of {', '.join(LEVELS)}: {value!r}")
    return value


def valid_stability(node: dict[str, Any]) -> str | None:
    """The stability level, or None when it is invalid."""
    try:
        return stability(node)
    except LifecycleError:
        return None


def rank(level: str) -> int:
    """How stable a level is (higher is more stable); none counts as stable."""
    return LEVELS.index(level) if level in LEVELS else LEVELS.index("stable")


def shown(level: str) -> str:
    return level or "stable"


def in_scope(level: str) -> bool:
    """Whether changes to something of this stability are reported (beta and stable are)."""
    return rank(level) >= rank(THRESHOLD)


def deprecation_days(config: DiffConfig, level: str) -> int:
    """The fewest days a deprecation must give before the sunset, for this stability level:
    none for draft and alpha, the configured days for beta and for stable (or none given)."""
    if level in ("draft", "alpha"):
        return 0
    return config.deprecation_days_beta if level == "beta" else config.deprecation_days_stable


def deprecated(node: dict[str, Any]) -> bool:
    return node.get("deprecated") is True
