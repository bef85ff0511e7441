"""Changes to the project's ``x-u4b-rules``: a rule added or tightened breaks clients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..spec import KINDS, combine_rankings
from .registry import Report, check
from .tree import DocDiff

Add = Callable[[str, str, str, str], None]
#: Fields that never change what a rule refuses (``violation`` is compared on its own).
UNRANKED = frozenset({"id", "kind", "summary", "source", "decisions", "violation", "operations", "basis"})
#: How firmly a basis makes a server follow a rule: moving up tightens, down loosens.
FIRMNESS = {"open": 0, "implied": 1, "stated": 2}


def _refuses(rule: dict[str, Any]) -> bool:
    outcomes = rule.get("violation") or []
    lenient = any(str(o.get("status", "")).upper() == "2XX" for o in outcomes if isinstance(o, dict))
    kind = KINDS.get(str(rule.get("kind")))
    firm = rule.get("basis", "stated") == "stated"  # a success to an implied rule only warns
    return bool(outcomes) and not lenient and firm and (kind is None or kind.refuses)


def _basis(b: dict[str, Any], r: dict[str, Any]) -> int | None:
    """A firmer basis tightens, a weaker one loosens; a side without one (older descriptions)
    is not ranked."""
    old, new = FIRMNESS.get(str(b.get("basis"))), FIRMNESS.get(str(r.get("basis")))
    if old is None or new is None or old == new:
        return 0
    return 1 if new > old else -1


def _operations(b: dict[str, Any], r: dict[str, Any]) -> int | None:
    """More operations tighten, fewer loosen (``*`` is every operation)."""
    old, new = set(b.get("operations", [])), set(r.get("operations", []))
    if old == new:
        return 0
    if new > old or "*" in new:
        return 1
    if new < old or "*" in old:
        return -1
    return None


def _tightening(kind: str, b: dict[str, Any], r: dict[str, Any]) -> int | None:
    """+1 tighter, -1 looser, 0 equal, None when the change cannot be ranked: the operations,
    the basis, the kind's own parameters (ranked by the kind, see ``spec.kinds``), and any other field
    (target, pointer, a parameter the kind does not know), which must be unchanged."""
    entry = KINDS.get(kind)
    own = entry.own if entry is not None else frozenset()
    others = {k for k in set(b) | set(r) if k not in UNRANKED | own}
    return combine_rankings(
        [
            _operations(b, r),
            _basis(b, r),
            entry.tightening(b, r) if entry is not None else 0,
            None if any(b.get(k) != r.get(k) for k in others) else 0,
        ]
    )


def compare_rules(base: list[Any], rev: list[Any], add: Add) -> None:
    b_rules = {r["id"]: r for r in base if isinstance(r, dict) and "id" in r}
    r_rules = {r["id"]: r for r in rev if isinstance(r, dict) and "id" in r}
    for rule_id in sorted(set(b_rules) | set(r_rules)):
        at = "#/x-u4b-rules"
        b, r = b_rules.get(rule_id), r_rules.get(rule_id)
        operation = ",".join((r or b or {}).get("operations", []))
        if b is None:
            assert r is not None
            add(
                "x-u4b-rule-added" if _refuses(r) else "x-u4b-rule-added-lenient",
                operation,
                at,
                f"rule {rule_id} added: {r.get('summary', '')}",
            )
            continue
        if r is None:
            add("x-u4b-rule-removed", operation, at, f"rule {rule_id} removed")
            continue
        if b.get("violation") != r.get("violation"):
            if _refuses(r) and not _refuses(b):
                add("x-u4b-rule-tightened", operation, at, f"rule {rule_id} now refuses requests for certain")
            elif _refuses(b) and not _refuses(r):
                add("x-u4b-rule-loosened", operation, at, f"rule {rule_id} may now accept what it refused")
            else:
                add(
                    "x-u4b-rule-outcome-changed",
                    operation,
                    at,
                    f"rule {rule_id}: outcome {b.get('violation')} -> {r.get('violation')}",
                )
        verdict = _tightening(str(r.get("kind")), b, r) if b.get("kind") == r.get("kind") else None
        if verdict == 1:
            add("x-u4b-rule-tightened", operation, at, f"rule {rule_id} tightened")
        elif verdict == -1:
            add("x-u4b-rule-loosened", operation, at, f"rule {rule_id} loosened")
        elif verdict is None:
            add("x-u4b-rule-changed", operation, at, f"rule {rule_id} changed")


@check(
    "x-u4b-rule-added",
    "x-u4b-rule-added-lenient",
    "x-u4b-rule-removed",
    "x-u4b-rule-tightened",
    "x-u4b-rule-loosened",
    "x-u4b-rule-outcome-changed",
    "x-u4b-rule-changed",
)
def x_u4b_rules(d: DocDiff, out: Report) -> None:
    """This project's own rules (``x-u4b-rules``), compared rule by rule."""
    compare_rules(d.base.data.get("x-u4b-rules") or [], d.revision.data.get("x-u4b-rules") or [], out.add)
