"""What the gate reports: one finding per change."""

from __future__ import annotations

from dataclasses import dataclass, field

from .rules import LEVELS, RULES


@dataclass(frozen=True)
class Finding:
    id: str
    operation: str  # "PATCH /v1/..." or "" for document-wide changes
    location: str  # JSON pointer into the revision (the base, for something removed)
    message: str
    #: The rule's level unless a configuration (a severity-levels file, a level profile) set another.
    level: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.level:
            object.__setattr__(self, "level", RULES[self.id].level)

    def as_dict(self) -> dict[str, str]:
        return {
            "id": self.id,
            "level": self.level,
            "operation": self.operation,
            "location": self.location,
            "message": self.message,
        }


def ordered(findings: list[Finding]) -> list[Finding]:
    return sorted(set(findings), key=lambda f: (LEVELS.index(f.level), f.operation, f.location, f.id, f.message))
