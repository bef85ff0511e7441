"""The documented rules carried in the description's root ``x-u4b-rules`` list.

Each rule has a stable id, the operations it concerns, a kind, citations, and (for rules that
refuse requests) the outcomes a request that breaks it may get. ``openapi/extensions.md``
defines the vocabulary; this module only reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import SpecError

RULES_KEY = "x-u4b-rules"
ALL_OPERATIONS = "*"
COMMON_KEYS = frozenset(
    {"id", "operations", "kind", "summary", "target", "pointer", "violation", "source", "decisions"}
)


@dataclass(frozen=True)
class Citation:
    document: str
    section: str
    quote: str
    row: str | None = None

    def __str__(self) -> str:
        row = f", row {self.row}" if self.row else ""
        return f"{self.document}, {self.section}{row}"


@dataclass(frozen=True)
class Outcome:
    """An acceptable response: an exact status or a class such as ``2XX``, and maybe a code."""

    status: int | str
    code: str | None = None

    def matches(self, status: int, code: str | None) -> bool:
        if isinstance(self.status, str):
            if str(status)[0] != self.status[0]:
                return False
        elif status != self.status:
            return False
        return self.code is None or self.code == code

    def __str__(self) -> str:
        return f"{self.status} {self.code}" if self.code else str(self.status)


@dataclass(frozen=True)
class Rule:
    id: str
    operations: tuple[str, ...]
    kind: str
    summary: str
    sources: tuple[Citation, ...]
    target: str | None = None
    pointer: str | None = None
    violation: tuple[Outcome, ...] = ()
    decisions: tuple[str, ...] = ()
    params: dict[str, Any] = field(default_factory=dict)

    def applies_to(self, operation_id: str) -> bool:
        return ALL_OPERATIONS in self.operations or operation_id in self.operations

    @property
    def lenient(self) -> bool:
        """True when a success is among the accepted outcomes of breaking the rule."""
        return any(o.matches(200, None) or o.matches(204, None) for o in self.violation)


def _outcome(raw: Any, where: str) -> Outcome:
    if not isinstance(raw, dict) or "status" not in raw:
        raise SpecError(f"{where}: an outcome needs a status")
    status = raw["status"]
    if not (isinstance(status, int) or (isinstance(status, str) and len(status) == 3)):
        raise SpecError(f"{where}: status must be a number or a class such as 2XX")
    code = raw.get("code")
    return Outcome(status=status, code=str(code) if code is not None else None)


def _citation(raw: Any, where: str) -> Citation:
    if not isinstance(raw, dict) or not {"document", "section", "quote"} <= raw.keys():
        raise SpecError(f"{where}: a source needs document, section and quote")
    row = raw.get("row")
    return Citation(
        document=str(raw["document"]),
        section=str(raw["section"]),
        quote=str(raw["quote"]),
        row=str(row) if row is not None else None,
    )


def parse_rule(raw: Any, index: int) -> Rule:
    where = f"{RULES_KEY}[{index}]"
    if not isinstance(raw, dict):
        raise SpecError(f"{where}: a rule must be a mapping")
    missing = [key for key in ("id", "operations", "kind", "summary", "source") if key not in raw]
    if missing:
        raise SpecError(f"{where}: missing {', '.join(missing)}")
    where = f"{RULES_KEY}[{index}] ({raw['id']})"
    sources = raw["source"] if isinstance(raw["source"], list) else [raw["source"]]
    return Rule(
        id=str(raw["id"]),
        operations=tuple(str(op) for op in raw["operations"]),
        kind=str(raw["kind"]),
        summary=str(raw["summary"]),
        sources=tuple(_citation(s, where) for s in sources),
        target=raw.get("target"),
        pointer=raw.get("pointer"),
        violation=tuple(_outcome(o, where) for o in raw.get("violation", [])),
        decisions=tuple(str(d) for d in raw.get("decisions", [])),
        params={k: v for k, v in raw.items() if k not in COMMON_KEYS},
    )


def parse_rules(document: dict[str, Any]) -> list[Rule]:
    """Every rule in ``document[x-u4b-rules]`` (an empty list when there is none)."""
    raw = document.get(RULES_KEY, [])
    if not isinstance(raw, list):
        raise SpecError(f"{RULES_KEY} must be a list")
    return [parse_rule(item, index) for index, item in enumerate(raw)]
