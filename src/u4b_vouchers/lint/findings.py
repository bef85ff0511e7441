"""What a lint check reports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]
#: Most severe first. Errors and warnings fail the gate; information does not.
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
FAILING: frozenset[Severity] = frozenset({"error", "warning"})


@dataclass(frozen=True)
class Finding:
    """One problem: which check found it, its rule within that check, how severe, and where.

    ``also`` names the other linters' rules (``check/rule``) that report the same defect at
    the same place: one defect, shown once (see :mod:`.dedupe`)."""

    check: str
    rule: str
    message: str
    pointer: str | None = None
    line: int | None = None
    file: str | None = None
    severity: Severity = "error"
    also: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """``check/rule``, as every output names a finding."""
        return f"{self.check}/{self.rule}"

    @property
    def reported_by(self) -> tuple[str, ...]:
        return (self.name, *self.also)

    @property
    def fails(self) -> bool:
        return self.severity in FAILING

    def one_line(self, default_file: str) -> str:
        """``file:line: severity [check/rule] message (at pointer)``, and the other linters
        that report the same defect when there are some."""
        file = self.file or default_file
        where = f"{file}:{self.line}" if self.line else file
        at = f" (at {self.pointer})" if self.pointer else ""
        by = f" (reported by: {', '.join(self.reported_by)})" if self.also else ""
        message = " ".join(self.message.split())
        return f"{where}: {self.severity} [{self.name}] {message}{at}{by}"

    def as_dict(self) -> dict[str, object]:
        return {
            "check": self.check,
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "pointer": self.pointer,
            "line": self.line,
            "file": self.file,
            "reported_by": list(self.reported_by),
        }
