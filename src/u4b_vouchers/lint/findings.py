"""What a lint check reports."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    """One problem: which check found it, its rule within that check, and where."""

    check: str
    rule: str
    message: str
    pointer: str | None = None
    line: int | None = None
    file: str | None = None

    def one_line(self, default_file: str) -> str:
        file = self.file or default_file
        where = f"{file}:{self.line}" if self.line else file
        at = f" (at {self.pointer})" if self.pointer else ""
        message = " ".join(self.message.split())
        return f"{where}: [{self.check}/{self.rule}] {message}{at}"

    def as_dict(self) -> dict[str, object]:
        return {
            "check": self.check,
            "rule": self.rule,
            "message": self.message,
            "pointer": self.pointer,
            "line": self.line,
            "file": self.file,
        }
