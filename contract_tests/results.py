"""What a run found: one result per check, with its findings, and the run as a whole."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .findings import FAILURE, WARNING, Finding
from .redaction import Secrets
from .target import Exchange

PASSED, FAILED, WARNED, NOT_COVERED, ERROR = "passed", "failed", "warned", "not-covered", "error"
STATUSES = (PASSED, FAILED, WARNED, NOT_COVERED, ERROR)


@dataclass
class CheckResult:
    check: str
    suite: str
    rules: tuple[str, ...]
    title: str
    status: str
    message: str = ""
    findings: list[Finding] = field(default_factory=list)
    #: Distinct findings past the per-check limit, counted but not listed.
    omitted: int = 0
    requests: int = 0
    seconds: float = 0.0
    used_control_plane: bool = False  # it sent at least one control-plane request
    #: Requests it sent to the emulator's control plane (not counted among :attr:`requests`).
    control_requests: int = 0
    over_budget: bool = False  # not covered because the request budget ran out
    over_deadline: bool = False  # not covered (not run, or cut) because the run's deadline passed

    @property
    def failures(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == FAILURE]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    @property
    def first(self) -> Finding | None:
        """The finding a one-line summary shows: the first failure, else the first warning."""
        return next(iter(self.failures or self.warnings), None)

    @property
    def rule(self) -> str | None:
        """The rule of :attr:`first`."""
        return self.first.rule if self.first is not None else None

    @property
    def accepted(self) -> bool:
        """Every finding is in the baseline (and there is at least one)."""
        return bool(self.findings) and all(f.accepted for f in self.findings)

    def as_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "suite": self.suite,
            "rules": list(self.rules),
            "title": self.title,
            "status": self.status,
            "message": self.message,
            "failures": len(self.failures),
            "warnings": len(self.warnings),
            "findings": [f.as_dict() for f in self.findings],
            "omitted_findings": self.omitted,
            "requests": self.requests,
            "seconds": round(self.seconds, 3),
            "used_control_plane": self.used_control_plane,
            "control_requests": self.control_requests,
            "over_budget": self.over_budget,
            "over_deadline": self.over_deadline,
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
    #: ``failure``: only failures fail the gate; ``warning``: warnings do too.
    fail_on: str = FAILURE
    #: Baseline fingerprints that no finding of this run matched.
    unmatched_baseline: list[str] = field(default_factory=list)
    #: The run's deadline (seconds); checks it cut are ``over_deadline``.
    deadline: float = 0.0
    #: Every secret the run saw, for the reports to take out of what they write.
    secrets: Secrets = field(default_factory=Secrets)
    #: When the run started, in seconds since the epoch (exchanges' ``seconds`` count from it).
    started_at: float = 0.0

    @property
    def deadline_passed(self) -> bool:
        """The deadline cut the run short: it cannot be called conformant."""
        return any(r.over_deadline for r in self.results)

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.results for f in r.findings]

    @property
    def failures(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == FAILURE]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    @property
    def blocking(self) -> list[Finding]:
        """The findings that fail the gate: new failures, and new warnings under ``--fail-on warning``."""
        severities = (FAILURE, WARNING) if self.fail_on == WARNING else (FAILURE,)
        return [f for f in self.findings if f.severity in severities and not f.accepted]

    @property
    def errors(self) -> list[CheckResult]:
        return [r for r in self.results if r.status == ERROR]

    @property
    def conformant(self) -> bool:
        return not self.blocking and not self.errors and not self.deadline_passed

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)
