"""The documented rules carried in the description's root ``x-u4b-rules`` list.

Each rule has a stable id, the operations it concerns, a kind, citations, a basis (whether the
documents state it, only imply it, or leave it open) and (for rules that refuse requests) the
outcomes a request that breaks it may get. ``openapi/extensions.md`` defines the vocabulary;
this module only reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import SpecError

RULES_KEY = "x-u4b-rules"
ALL_OPERATIONS = "*"
COMMON_KEYS = frozenset(
    {"id", "operations", "kind", "summary", "basis", "target", "pointer", "violation", "source", "decisions"}
)

#: The documents say it (or a decision settles a contradiction between them): breaking it fails.
STATED = "stated"
#: The documents' meaning excludes the other behaviour, but no sentence states it: a success
#: answered to a request that breaks it is a warning.
IMPLIED = "implied"
#: The documents allow several outcomes; ``violation`` lists every one of them.
OPEN = "open"
BASES = (STATED, IMPLIED, OPEN)

#: What the gate makes of a response to a request that breaks a rule (:meth:`Rule.verdict`).
PASS, WARNING, FAILURE = "pass", "warning", "failure"


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
    #: :data:`STATED`, :data:`IMPLIED` or :data:`OPEN`.
    basis: str
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

    def verdict(self, status: int, code: str | None = None) -> str:
        """:data:`PASS`, :data:`WARNING` or :data:`FAILURE` for a response to a request that breaks
        the rule: a success to an implied rule warns; an outcome ``violation`` lists passes (for
        an implied rule, its non-success ones); anything else fails."""
        if self.basis == IMPLIED and 200 <= status < 300:
            return WARNING
        return PASS if any(o.matches(status, code) for o in self.violation) else FAILURE


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


def _basis(raw: dict[str, Any], violation: tuple[Outcome, ...], where: str) -> str:
    words = ", ".join(BASES)
    if "basis" not in raw:
        raise SpecError(f"{where}: missing basis (one of {words})")
    basis = raw["basis"]
    if basis not in BASES:
        raise SpecError(f"{where}: basis {basis!r} is not one of {words}")
    if basis == STATED and any(str(o.status).startswith("2") for o in violation):
        raise SpecError(
            f"{where}: a stated rule's violation lists a success; the documents then do not settle "
            "the outcome, so its basis is implied or open"
        )
    return str(basis)


def parse_rule(raw: Any, index: int) -> Rule:
    where = f"{RULES_KEY}[{index}]"
    if not isinstance(raw, dict):
        raise SpecError(f"{where}: a rule must be a mapping")
    missing = [key for key in ("id", "operations", "kind", "summary", "source") if key not in raw]
    if missing:
        raise SpecError(f"{where}: missing {', '.join(missing)}")
    where = f"{RULES_KEY}[{index}] ({raw['id']})"
    sources = raw["source"] if isinstance(raw["source"], list) else [raw["source"]]
    citations = tuple(_citation(s, where) for s in sources)
    violation = tuple(_outcome(o, where) for o in raw.get("violation", []))
    basis = _basis(raw, violation, where)
    return Rule(
        id=str(raw["id"]),
        operations=tuple(str(op) for op in raw["operations"]),
        kind=str(raw["kind"]),
        summary=str(raw["summary"]),
        sources=citations,
        basis=basis,
        target=raw.get("target"),
        pointer=raw.get("pointer"),
        violation=violation,
        decisions=tuple(str(d) for d in raw.get("decisions", [])),
        params={k: v for k, v in raw.items() if k not in COMMON_KEYS},
    )


def parse_rules(document: dict[str, Any]) -> list[Rule]:
    """Every rule in ``document[x-u4b-rules]`` (an empty list when there is none)."""
    raw = document.get(RULES_KEY, [])
    if not isinstance(raw, list):
        raise SpecError(f"{RULES_KEY} must be a list")
    return [parse_rule(item, index) for index, item in enumerate(raw)]
