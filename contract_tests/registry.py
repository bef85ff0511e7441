"""Checks are small functions registered with the suite they belong to and the rules they test."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .context import CheckContext

CheckFunction = Callable[["CheckContext"], None]

#: Suites in the order they run: targeted checks first, the broad fuzzing last, so that the
#: fixtures' states are what the profile says when the targeted checks use them.
SUITES = ("auth", "rules", "paging", "lifecycle", "errors", "robustness", "schemathesis")


@dataclass(frozen=True)
class Check:
    id: str
    suite: str
    title: str
    rules: tuple[str, ...]
    function: CheckFunction
    #: Within a suite, checks run by rank, then in the order registered: a cheap check of a few
    #: requests that leaves the fixtures as they were ranks first (-1), so drift shows sooner.
    rank: int = 0


CHECKS: dict[str, Check] = {}


def check(
    suite: str, check_id: str, title: str, *, rules: tuple[str, ...] = (), rank: int = 0
) -> Callable[[CheckFunction], CheckFunction]:
    if suite not in SUITES:
        raise ValueError(f"unknown suite {suite!r}")

    def register(function: CheckFunction) -> CheckFunction:
        full = f"{suite}/{check_id}"
        if full in CHECKS:
            raise ValueError(f"check {full} registered twice")
        CHECKS[full] = Check(full, suite, title, rules, function, rank)
        return function

    return register
