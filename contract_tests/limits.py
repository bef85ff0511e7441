"""The numbers checks probe at, read from the spec's rules: bounds, time windows, quota limits,
monotonic directions and the program states a rule holds in. A rule changed in the description
moves the probes; no suite restates it. A rule that lacks what a check needs raises
``ValueError``, which the run reports as an error of that check.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from u4b_vouchers.spec import Rule, Spec, parse_duration, shift, target_schema

Number = int | float

#: Probes lie this many tolerances from a time window's bound: beyond the tolerance (within
#: which nothing is asserted, D-031) by as much again, so neither the reading of the bound nor
#: the time a request spends in flight decides the outcome.
TOLERANCES = 2
#: The edge probes of a time window lie just past its tolerance, by this margin (ms): outside by
#: tolerance + margin must be refused and inside by as much accepted, by every reading.
MARGIN_MS = 60_000
#: The lowest value a probe sends where the schema sets no minimum (counts and amounts).
FLOOR = 1
#: The program states of the profile's program fixtures (openapi/extensions.md, D-033).
FIXTURE_STATES: dict[str, frozenset[str]] = {
    "program_not_started_single_code": frozenset({"not-started"}),
    "program_not_started_multi_code": frozenset({"not-started"}),
    "program_started_single_code": frozenset({"started", "live"}),
    "program_started_multi_code": frozenset({"started", "live"}),
    "program_canceled": frozenset({"canceled"}),
    "program_completed": frozenset({"started", "completed"}),
}


def _integer(value: Number | None, what: str) -> int:
    if value is None or int(value) != value:
        raise ValueError(f"{what} is not an integer")
    return int(value)


@dataclass(frozen=True)
class Bounds:
    """The bounds a rule sets (either may be absent)."""

    rule: str
    minimum: Number | None = None
    maximum: Number | None = None

    @property
    def lowest(self) -> int:
        return _integer(self.minimum, f"{self.rule}: the minimum")

    @property
    def highest(self) -> int:
        return _integer(self.maximum, f"{self.rule}: the maximum")


def bounds(spec: Spec, rule: Rule) -> Bounds:
    """A ``bound`` rule's own bounds, or those of the schema at a ``schema`` rule's pointer (a
    ``minimum``/``maximum`` keyword, or a schema carrying them)."""
    if rule.kind == "bound":
        return Bounds(rule.id, rule.params.get("minimum"), rule.params.get("maximum"))
    if rule.pointer is None:
        return Bounds(rule.id)
    node, keyword = spec.resolve(rule.pointer), rule.pointer.rsplit("/", 1)[-1]
    if keyword in ("minimum", "maximum"):
        return Bounds(rule.id, **{keyword: node})
    node = spec.deref(node)
    return Bounds(rule.id, node.get("minimum"), node.get("maximum")) if isinstance(node, dict) else Bounds(rule.id)


@dataclass(frozen=True)
class Field:
    """A request body field a rule targets: its name, whether it is an integer, its range."""

    name: str
    integer: bool
    lowest: Number
    highest: Number


def target_field(spec: Spec, rule: Rule, open_end: Number) -> Field:
    """The ``body.<field>`` a rule targets in its first operation; ``open_end`` stands in for a
    maximum the schema does not set, :data:`FLOOR` for a minimum."""
    target = rule.target or ""
    if not target.startswith("body.") or "[]" in target[5:] or "." in target[5:]:
        raise ValueError(f"{rule.id}: {target!r} is not a top-level body field")
    schema = target_schema(spec, spec.operation(rule.operations[0]), target)
    if schema is None:
        raise ValueError(f"{rule.id}: {rule.operations[0]} has no {target}")
    return Field(
        name=target[5:],
        integer=schema.get("type") == "integer",
        lowest=schema.get("minimum", FLOOR),
        highest=schema.get("maximum", open_end),
    )


@dataclass(frozen=True)
class Window:
    """A time-window rule at one moment: its bounds and tolerance in epoch milliseconds."""

    rule: str
    earliest: int | None
    latest: int | None
    tolerance: int

    def _bound(self, value: int | None, which: str) -> int:
        if value is None:
            raise ValueError(f"{self.rule} has no {which}")
        return value

    def too_early(self, margin: int | None = None) -> int:
        """Before the window: by twice the tolerance, or by the tolerance and ``margin``."""
        away = TOLERANCES * self.tolerance if margin is None else self.tolerance + margin
        return self._bound(self.earliest, "not-before") - away

    def early_inside(self, margin: int | None = None) -> int:
        away = TOLERANCES * self.tolerance if margin is None else self.tolerance + margin
        return self._bound(self.earliest, "not-before") + away

    def too_late(self, margin: int | None = None) -> int:
        away = TOLERANCES * self.tolerance if margin is None else self.tolerance + margin
        return self._bound(self.latest, "not-after") + away

    def late_inside(self, margin: int | None = None) -> int:
        away = TOLERANCES * self.tolerance if margin is None else self.tolerance + margin
        return self._bound(self.latest, "not-after") - away


def window(rule: Rule, now_ms: int) -> Window:
    def at(key: str) -> int | None:
        value = rule.params.get(key)
        return shift(now_ms, str(value)) if value is not None else None

    tolerance = at("tolerance")
    return Window(rule.id, at("not-before"), at("not-after"), tolerance - now_ms if tolerance is not None else 0)


def far_future(rules: Iterable[Rule], now_ms: int, times: int = 5) -> int:
    """An instant ``times`` over as far ahead as the longest ``not-after`` of any time window
    (a year when there is none): later than anything a create may set, valid for updates,
    which have no window (D-053)."""
    ahead = [str(r.params["not-after"]) for r in rules if r.kind == "time-window" and "not-after" in r.params]
    longest = max((parse_duration(d) for d in ahead), key=lambda d: d.days, default=parse_duration("P1Y"))
    moment = now_ms
    for _ in range(times):
        moment = longest.add_to(moment)
    return moment


def quota_limit(rule: Rule) -> int:
    return _integer(rule.params.get("limit"), f"{rule.id}: the limit")


@dataclass(frozen=True)
class Monotonic:
    """How to probe a ``monotonic`` rule: ``forward`` moves a value the way the rule allows,
    ``back`` the way it refuses; ``far`` is the farthest value forward within the field's range."""

    rule: Rule
    field: Field
    sign: int
    step: Number

    @property
    def name(self) -> str:
        return self.field.name

    @property
    def far(self) -> Number:
        return self.field.highest if self.sign > 0 else self.field.lowest

    def forward(self, value: Number, by: Number | None = None) -> Number:
        return value + self.sign * (self.step if by is None else by)

    def back(self, value: Number, by: Number | None = None) -> Number:
        return value - self.sign * (self.step if by is None else by)

    def clamp(self, value: Number) -> Number:
        return min(self.field.highest, max(self.field.lowest, value))

    def within(self, value: Number) -> bool:
        return self.field.lowest <= value <= self.field.highest

    def holds_for(self, fixture: str) -> bool:
        """Whether the rule holds for a program fixture (its states meet the rule's ``when``)."""
        return bool(FIXTURE_STATES.get(fixture, frozenset()) & set(self.rule.params.get("when") or []))


def monotonic(spec: Spec, rule: Rule, *, open_end: Number, number_step: Number) -> Monotonic:
    """The probe of a ``monotonic`` rule: steps of 1 for integers, ``number_step`` otherwise."""
    if rule.kind != "monotonic":
        raise ValueError(f"{rule.id} is not a monotonic rule")
    direction = rule.params.get("direction", "increase")
    if direction not in ("increase", "decrease"):
        raise ValueError(f"{rule.id}: unknown direction {direction!r}")
    field = target_field(spec, rule, open_end)
    return Monotonic(rule, field, 1 if direction == "increase" else -1, 1 if field.integer else number_step)
