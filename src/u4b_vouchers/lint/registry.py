"""Lint checks are small functions registered under a name, run in registration order."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .context import LintContext
from .findings import Finding

CheckFunction = Callable[[LintContext], Iterable[Finding]]


@dataclass(frozen=True)
class Check:
    name: str
    description: str
    function: CheckFunction
    needs_node: bool = False


CHECKS: dict[str, Check] = {}


def check(name: str, description: str, *, needs_node: bool = False) -> Callable[[CheckFunction], CheckFunction]:
    def register(function: CheckFunction) -> CheckFunction:
        if name in CHECKS:
            raise ValueError(f"lint check {name!r} registered twice")
        CHECKS[name] = Check(name, description, function, needs_node)
        return function

    return register
