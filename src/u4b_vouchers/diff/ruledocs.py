"""The rule tables of the README, written from the rule table and the registered checks (so
they cannot drift from what the gate reports): ``scripts/rules-table`` rewrites them."""

from __future__ import annotations

from .registry import CHECKS
from .rules import NOT_IMPLEMENTED, RULES

START, END = "<!-- rules:start -->", "<!-- rules:end -->"


def implemented() -> dict[str, str]:
    """Rule id -> the check that reports it."""
    return {rule_id: registered.name for registered in CHECKS.values() for rule_id in sorted(registered.ids)}


def tables() -> str:
    by_check = implemented()
    done = [rule for rule in RULES.values() if rule.id in by_check]
    left = [rule for rule in RULES.values() if rule.id not in by_check]
    lines = [
        f"{len(done)} rules are reported ({sum(r.origin == 'oasdiff' for r in done)} of oasdiff's "
        f"{sum(r.origin == 'oasdiff' for r in RULES.values())}, and {sum(r.origin == 'u4b' for r in done)} of this "
        "project's own); every one has a fixture pair and a test in `tests/diff/`.",
        "",
        "| rule | level | judged from | check |",
        "|---|---|---|---|",
    ]
    for rule in sorted(done, key=lambda r: (r.area, r.id)):
        own = " (this project's)" if rule.origin == "u4b" else ""
        lines.append(f"| `{rule.id}`{own} | {rule.level} | {rule.direction} | `{by_check[rule.id]}` |")
    lines += ["", f"Rules not implemented ({len(left)}):", "", "| rule | oasdiff's level | why not |", "|---|---|---|"]
    for rule in sorted(left, key=lambda r: r.id):
        lines.append(f"| `{rule.id}` | {rule.level} | {NOT_IMPLEMENTED.get(rule.id, 'not yet implemented')} |")
    return "\n".join(lines)


def rewrite(readme: str) -> str:
    """``readme`` with the text between the rule-table markers replaced by :func:`tables`."""
    head, start, rest = readme.partition(START)
    _, end, tail = rest.partition(END)
    if not start or not end:
        raise ValueError(f"the README has no {START} ... {END} block")
    return f"{head}{START}\n{tables()}\n{END}{tail}"
