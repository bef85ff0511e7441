"""Lint checks are small functions registered under a name, run in registration order.

A check that only makes sense for some descriptions (the project's own conventions: its
decision log, its extensions, its inventory, its rules) has a *requirement*: a function that
returns why the check does not apply to a description, or None when it does. A check whose
requirement answers is skipped, with that reason, instead of passing silently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .context import LintContext
from .findings import Finding

CheckFunction = Callable[[LintContext], Iterable[Finding]]
Requirement = Callable[[LintContext], str | None]


@dataclass(frozen=True)
class Check:
    name: str
    description: str
    function: CheckFunction
    needs_node: bool = False


CHECKS: dict[str, Check] = {}
#: Why a check does not apply to a description (None: it applies), by check name.
REQUIREMENTS: dict[str, Requirement] = {}


def check(name: str, description: str, *, needs_node: bool = False) -> Callable[[CheckFunction], CheckFunction]:
    def register(function: CheckFunction) -> CheckFunction:
        if name in CHECKS:
            raise ValueError(f"lint check {name!r} registered twice")
        CHECKS[name] = Check(name, description, function, needs_node)
        return function

    return register


def requirement(name: str) -> Callable[[Requirement], Requirement]:
    """Register when the check ``name`` applies (see the module's docstring)."""

    def register(function: Requirement) -> Requirement:
        if name in REQUIREMENTS:
            raise ValueError(f"lint check {name!r} has two requirements")
        REQUIREMENTS[name] = function
        return function

    return register


def skip_reason(name: str, ctx: LintContext) -> str | None:
    """Why the check ``name`` does not apply to ``ctx``'s description, or None."""
    found = REQUIREMENTS.get(name)
    return found(ctx) if found is not None else None
