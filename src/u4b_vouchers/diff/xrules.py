"""Changes to the project's ``x-u4b-rules``: a rule added or tightened breaks clients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .durations import to_days

Add = Callable[[str, str, str, str], None]
STATES_ORDER = ("not-started", "started", "live", "completed", "canceled")
NOT_REQUEST_KINDS = {"response", "behaviour", "default", "acceptance", "deprecation"}


def _refuses(rule: dict[str, Any]) -> bool:
    outcomes = rule.get("violation") or []
    lenient = any(str(o.get("status", "")).upper() == "2XX" for o in outcomes if isinstance(o, dict))
    return bool(outcomes) and not lenient and rule.get("kind") not in NOT_REQUEST_KINDS


def _tightening(kind: str, b: dict[str, Any], r: dict[str, Any]) -> int | None:
    """+1 tighter, -1 looser, 0 equal, None when the change cannot be ranked."""
    signs: list[int] = []

    def rank(value: int) -> None:
        signs.append(value)

    if set(b.get("operations", [])) != set(r.get("operations", [])):
        grew = set(r.get("operations", [])) > set(b.get("operations", [])) or "*" in r.get("operations", [])
        shrank = set(r.get("operations", [])) < set(b.get("operations", [])) or "*" in b.get("operations", [])
        rank(1 if grew else -1 if shrank else 2)
    if kind == "time-window":
        for key, sign in (("not-before", 1), ("not-after", -1)):
            bv, rv = b.get(key), r.get(key)
            if bv != rv:
                if bv is None or rv is None:
                    rank(1 if rv is not None else -1)
                else:
                    rank(sign if to_days(rv) > to_days(bv) else -sign)
    elif kind == "bound":
        for key, sign in (("minimum", 1), ("maximum", -1)):
            bv, rv = b.get(key), r.get(key)
            if bv != rv:
                rank(1 if bv is None else -1 if rv is None else (sign if rv > bv else -sign))
    elif kind == "quota" and b.get("limit") != r.get("limit"):
        rank(1 if r["limit"] < b["limit"] else -1)
    elif kind in ("program-state", "monotonic", "code-scheme"):
        key = {"program-state": "forbidden-when", "monotonic": "when", "code-scheme": "code-schemes"}[kind]
        bs, rs = set(b.get(key) or []), set(r.get(key) or [])
        if bs != rs:
            more = rs > bs
            fewer = rs < bs
            # More forbidden states tighten; fewer allowed code schemes tighten.
            rank((1 if more else -1 if fewer else 2) * (-1 if kind == "code-scheme" else 1))
        if kind == "monotonic" and b.get("equal") != r.get("equal"):
            rank(1 if r.get("equal") == "forbidden" else -1 if b.get("equal") == "forbidden" else 2)
    comparable = {k for k in set(b) | set(r) if k not in ("summary", "source", "decisions", "violation", "operations")}
    ranked_keys = {
        "time-window": {"not-before", "not-after", "tolerance"},
        "bound": {"minimum", "maximum"},
        "quota": {"limit"},
        "program-state": {"forbidden-when"},
        "monotonic": {"when", "equal"},
        "code-scheme": {"code-schemes"},
    }.get(kind, set())
    if any(b.get(k) != r.get(k) for k in comparable - ranked_keys - {"kind", "id"}):
        signs.append(2)
    if not signs:
        return 0
    if 2 in signs or (1 in signs and -1 in signs):
        return None
    return 1 if 1 in signs else -1


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
