"""The documented rules, read from the spec's ``x-u4b-rules`` and evaluated against requests.

Each rule kind that depends on state or time has a small evaluator registered below. The store
hands the rule book a :class:`RequestContext`; the rule book evaluates every rule of the
operation whose kind has an evaluator, in the spec's order, and raises the first broken one
with the outcome the readings choose among those the rule documents (:mod:`.catalogue`).
Kinds the schema expresses (``schema``) are checked by :mod:`.validation`; ``auth`` by
:mod:`.auth`; ``paging`` by the guest listing and :mod:`.paging`.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from ..spec import Outcome, Rule, Spec, parse_rules, shift
from . import programs
from .catalogue import Catalogue, first_refusal
from .readings import ACCEPT, Readings, outcome_value


@dataclass
class RequestContext:
    """What an evaluator may look at."""

    operation_id: str
    now_ms: int
    body: dict[str, Any] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    program: dict[str, Any] | None = None
    template: dict[str, Any] | None = None
    code_count: int = 0
    #: ``time-windows`` reading: -1 narrower, 0 exact, +1 wider (by just under the tolerance).
    window_slack: int = 0

    def value(self, target: str | None) -> Any:
        """The request value a target names, or None when absent."""
        if not target or "." not in target:
            return None
        where, name = target.split(".", 1)
        source = {"body": self.body, "query": self.query}.get(where, {})
        return source.get(name)

    def present(self, target: str | None) -> bool:
        if target in ("body", None) or (target or "").startswith("path."):
            return True
        where, name = str(target).split(".", 1)
        return name in {"body": self.body, "query": self.query}.get(where, {})

    def current(self, target: str | None) -> Any:
        """The stored program's value for a ``body.<field>`` target."""
        if self.program is None or not target or not target.startswith("body."):
            return None
        return self.program.get(target.split(".", 1)[1])


Evaluator = Callable[[Rule, RequestContext], bool]
EVALUATORS: dict[str, Evaluator] = {}


def evaluator(kind: str) -> Callable[[Evaluator], Evaluator]:
    def register(function: Evaluator) -> Evaluator:
        EVALUATORS[kind] = function
        return function

    return register


def _in_states(rule_states: Iterable[str], ctx: RequestContext) -> bool:
    return ctx.program is not None and bool(set(rule_states) & programs.states(ctx.program, ctx.now_ms))


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


@evaluator("bound")
def _bound(rule: Rule, ctx: RequestContext) -> bool:
    value = ctx.value(rule.target)
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    low, high = rule.params.get("minimum"), rule.params.get("maximum")
    return (low is not None and value < low) or (high is not None and value > high)


@evaluator("time-window")
def _time_window(rule: Rule, ctx: RequestContext) -> bool:
    value = ctx.value(rule.target)
    if not isinstance(value, int) or isinstance(value, bool):
        return False
    before, after = rule.params.get("not-before"), rule.params.get("not-after")
    slack = 0
    if ctx.window_slack and rule.params.get("tolerance"):
        tolerance = shift(ctx.now_ms, str(rule.params["tolerance"])) - ctx.now_ms
        slack = ctx.window_slack * (tolerance - 60_000)
    return (before is not None and value < shift(ctx.now_ms, before) - slack) or (
        after is not None and value > shift(ctx.now_ms, after) + slack
    )


@evaluator("field-order")
def _field_order(rule: Rule, ctx: RequestContext) -> bool:
    later, earlier = ctx.value(rule.target), ctx.value(rule.params["after"])
    if rule.params.get("scope") == "effective":
        if later is None and earlier is None:
            return False  # the request changes neither date
        later = later if later is not None else ctx.current(rule.target)
        earlier = earlier if earlier is not None else ctx.current(rule.params["after"])
    if not isinstance(later, int) or not isinstance(earlier, int):
        return False
    return later <= earlier


@evaluator("format")
def _format(rule: Rule, ctx: RequestContext) -> bool:
    value = ctx.value(rule.target)
    if value is None or rule.params.get("format") != "iana-time-zone":
        return False
    return not isinstance(value, str) or value not in _time_zones()


@evaluator("reference")
def _reference(rule: Rule, ctx: RequestContext) -> bool:
    if rule.params.get("must-exist") == "template":
        return ctx.template is None
    if rule.params.get("must-exist") == "program":
        return ctx.program is None
    if ctx.template is None:
        return False  # reported by the must-exist rule
    if rule.params.get("must-be") == "active":
        return not bool(ctx.template.get("active", True))
    expected = str(rule.params.get("must-equal", ""))
    if expected.startswith("template."):
        return bool(ctx.value(rule.target) != ctx.template.get(expected.split(".", 1)[1]))
    return False


@evaluator("program-state")
def _program_state(rule: Rule, ctx: RequestContext) -> bool:
    return ctx.present(rule.target) and _in_states(rule.params["forbidden-when"], ctx)


@evaluator("monotonic")
def _monotonic(rule: Rule, ctx: RequestContext) -> bool:
    new, old = ctx.value(rule.target), ctx.current(rule.target)
    if not isinstance(new, int | float) or not isinstance(old, int | float):
        return False
    if not _in_states(rule.params["when"], ctx):
        return False
    backwards = new > old if rule.params.get("direction") == "decrease" else new < old
    return backwards or (new == old and rule.params.get("equal") == "forbidden")


@evaluator("present-only")
def _present_only(rule: Rule, ctx: RequestContext) -> bool:
    return ctx.present(rule.target) and ctx.value(rule.target) is not None and ctx.current(rule.target) is None


@evaluator("code-scheme")
def _code_scheme(rule: Rule, ctx: RequestContext) -> bool:
    if ctx.program is None or not ctx.present(rule.target):
        return False
    return ctx.program.get("code_scheme") not in rule.params["code-schemes"]


@evaluator("quota")
def _quota(rule: Rule, ctx: RequestContext) -> bool:
    requested = ctx.value(rule.target)
    if not isinstance(requested, int):
        return False
    return ctx.code_count + requested > int(rule.params["limit"])


@evaluator("conflict")
def _conflict(rule: Rule, ctx: RequestContext) -> bool:
    if rule.params.get("while") != "code-generation" or ctx.program is None:
        return False
    return int(ctx.program.get("generating_until") or 0) > ctx.now_ms


class RuleBook:
    """The spec's rules, grouped by operation, in the spec's order."""

    def __init__(self, spec: Spec, catalogue: Catalogue | None = None):
        self.rules = parse_rules(spec.data)
        self.by_id = {rule.id: rule for rule in self.rules}
        self.catalogue = catalogue or Catalogue(spec)
        #: Per operation, the rules the rule book evaluates (a kind with an evaluator).
        self._evaluated: dict[str, list[Rule]] = {}

    def for_operation(self, operation_id: str, kinds: Iterable[str] | None = None) -> list[Rule]:
        wanted = set(kinds) if kinds is not None else None
        return [
            rule for rule in self.rules if rule.applies_to(operation_id) and (wanted is None or rule.kind in wanted)
        ]

    def evaluated(self, operation_id: str) -> list[Rule]:
        found = self._evaluated.get(operation_id)
        if found is None:
            found = self._evaluated[operation_id] = self.for_operation(operation_id, EVALUATORS)
        return found

    def outcome(self, rule: Rule, readings: Readings | None, operation_id: str | None = None) -> Outcome | None:
        """The outcome breaking ``rule`` on ``operation_id`` gets under ``readings``; None when
        it is accepted. A chosen outcome whose status the operation does not document gives way
        to the operation's first documented one among the rule's (:meth:`.Catalogue.documented_outcome`)."""
        if readings is None or rule.id not in readings.known:
            chosen = first_refusal(rule)
        elif readings[rule.id] == ACCEPT:
            return None
        else:
            chosen = next((o for o in rule.violation if outcome_value(o) == readings[rule.id]), None)
        return self.catalogue.documented_outcome(rule, operation_id, chosen)

    def check(
        self,
        ctx: RequestContext,
        *,
        ignored: frozenset[str] = frozenset(),
        readings: Readings | None = None,
    ) -> None:
        """Raise the error of the first broken rule (skipping ``ignored`` ids and rules whose
        reading accepts the request)."""
        equal_refused = readings is not None and readings.is_("increase-only-equal", "refused")
        for rule in self.evaluated(ctx.operation_id):
            if rule.id in ignored:
                continue
            judged = rule
            if equal_refused and rule.kind == "monotonic" and rule.params.get("equal") == "unspecified":
                judged = replace(rule, params={**rule.params, "equal": "forbidden"})
            if EVALUATORS[rule.kind](judged, ctx):
                if readings is not None and rule.id in readings.known and readings[rule.id] == ACCEPT:
                    continue
                raise self.catalogue.broken(rule, self.outcome(rule, readings, ctx.operation_id))
