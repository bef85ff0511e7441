"""What a run found: one result per check, and the run as a whole."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .target import Exchange

PASSED, FAILED, NOT_COVERED, ERROR = "passed", "failed", "not-covered", "error"


@dataclass
class CheckResult:
    check: str
    suite: str
    rules: tuple[str, ...]
    title: str
    status: str
    message: str = ""
    rule: str | None = None  # the rule a failure is attributed to
    exchange: Exchange | None = None  # the exchange that showed the deviation
    requests: int = 0
    seconds: float = 0.0
    used_control_plane: bool = False
    accepted: bool = False  # a failure listed in the baseline
    over_budget: bool = False  # not covered because the request budget ran out

    def as_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "suite": self.suite,
            "rules": list(self.rules),
            "title": self.title,
            "status": self.status,
            "message": self.message,
            "rule": self.rule,
            "curl": self.exchange.curl() if self.exchange is not None and self.status == FAILED else None,
            "requests": self.requests,
            "seconds": round(self.seconds, 3),
            "used_control_plane": self.used_control_plane,
            "accepted": self.accepted,
            "over_budget": self.over_budget,
        }


@dataclass
class RunResult:
    target: str
    base_url: str
    results: list[CheckResult] = field(default_factory=list)
    exchanges: list[Exchange] = field(default_factory=list)
    seconds: float = 0.0
    requests: int = 0
    token_requests: int = 0
    seed: int = 0
    cases: int = 0  # generated test cases (hypothesis and schemathesis)

    @property
    def deviations(self) -> list[CheckResult]:
        return [r for r in self.results if r.status in (FAILED, ERROR) and not r.accepted]

    @property
    def conformant(self) -> bool:
        return not self.deviations

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)
