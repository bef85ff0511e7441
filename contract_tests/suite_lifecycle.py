"""A state machine over the program lifecycle: updates before and after the start, "only
increase once started" (which also proves an accepted update was kept), "only if present",
scheme-specific fields and canceled programs, in random order."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

from .context import DAY, HOUR, CheckContext, NotCovered
from .limits import Monotonic, far_future, monotonic
from .registry import check

#: Monotonic rule of each value field -> the field's present-only rule, or None.
VALUE_RULES: dict[str, str | None] = {
    "UPD-MAX-AMOUNT-INCREASE-ONLY": None,
    "UPD-DEDUCTIBLE-INCREASE-ONLY": "UPD-DEDUCTIBLE-IF-PRESENT",
    "UPD-PERCENT-INCREASE-ONLY": "UPD-PERCENT-IF-PRESENT",
    "UPD-MAX-TRIPS-INCREASE-ONLY": "UPD-MAX-TRIPS-IF-PRESENT",
    "UPD-MAX-CREDIT-INCREASE-ONLY": "UPD-MAX-CREDIT-IF-PRESENT",
}
REDEMPTIONS = "UPD-REDEMPTIONS-INCREASE-ONLY"
#: Where probes go for a field without a schema maximum, and their step for numbers.
OPEN_END, NUMBER_STEP = 10**9, 1.0
#: Where the redemptions probe starts when nothing is known: the rules suite's open end.
REDEMPTIONS_OPEN_END = 10**6


def machine(ctx: CheckContext) -> type[RuleBasedStateMachine]:
    probes: dict[str, Monotonic] = {}
    for rule_id in VALUE_RULES:
        probe = monotonic(ctx.spec, ctx.rules[rule_id], open_end=OPEN_END, number_step=NUMBER_STEP)
        probes[probe.name] = probe
    present_only = {probe.name: VALUE_RULES[probe.rule.id] for probe in probes.values()}
    counts = monotonic(ctx.spec, ctx.rules[REDEMPTIONS], open_end=REDEMPTIONS_OPEN_END, number_step=NUMBER_STEP)
    started = ctx.fixture("program_started_multi_code")
    started_single = ctx.fixture("program_started_single_code")
    not_started = ctx.fixture("program_not_started_multi_code")
    #: The fixture each program is, for the states a rule holds in.
    fixture_of = {started: "program_started_multi_code", not_started: "program_not_started_multi_code"}
    canceled = ctx.fixture("program_canceled")
    bare = ctx.fixture("program_without_optional_values")

    class Lifecycle(RuleBasedStateMachine):
        """``known`` holds values the target accepted; on a started program each must hold.

        "Raise" and "lower" below mean a move in the rule's direction and against it."""

        def __init__(self) -> None:
            super().__init__()
            self.known: dict[tuple[str, str], float] = {}

        @initialize()
        def count(self) -> None:
            ctx.cases += 1

        @rule(
            field=st.sampled_from(sorted(probes)),
            program=st.sampled_from([started, not_started]),
        )
        def raise_value(self, field: str, program: str) -> None:
            probe = probes[field]
            start = probe.back(probe.far, 10 * probe.step)
            value = probe.clamp(probe.forward(self.known.get((program, field), start)))
            exchange = ctx.update(program, {field: value})
            if not probe.holds_for(fixture_of[program]):  # e.g. before the start: any value in range is accepted
                ctx.expect_success(exchange, probe.rule.id)
            elif exchange.status not in (200, 204):
                # Refused where the rule holds: the current value is at least as far as this one
                # (or, per D-032, equal); moving back from here must be refused too.
                ctx.expect_refused(exchange, probe.rule.id)
            self.known[(program, field)] = value

        @rule(field=st.sampled_from(sorted(probes)))
        def lower_on_started(self, field: str) -> None:
            probe = probes[field]
            current = self.known.get((started, field))
            if current is None or not probe.holds_for(fixture_of[started]):
                return
            ctx.expect_refused(ctx.update(started, {field: probe.back(current)}), probe.rule.id)

        @rule(field=st.sampled_from(sorted(probes)))
        def lower_before_start(self, field: str) -> None:
            probe = probes[field]
            current = self.known.get((not_started, field))
            if current is None or probe.holds_for(fixture_of[not_started]):
                return
            lowered = probe.back(current)
            if not probe.within(lowered):
                return
            ctx.expect_success(ctx.update(not_started, {field: lowered}), probe.rule.id)
            self.known[(not_started, field)] = lowered

        @rule(field=st.sampled_from([f for f, present in present_only.items() if present]))
        def set_absent_value(self, field: str) -> None:
            present = present_only[field]
            assert present is not None
            ctx.expect_refused(ctx.update(bare, {field: 10}), present)

        @rule(days=st.integers(min_value=15, max_value=60))
        def move_start(self, days: int) -> None:
            now = ctx.now_ms()
            ctx.expect_refused(ctx.update(started, {"starts_at": now + HOUR}), "UPD-STARTS-BEFORE-START-ONLY")
            ctx.expect_success(
                ctx.update(
                    not_started, {"starts_at": now + days * DAY, "ends_at": far_future(ctx.rules.values(), now)}
                ),
                "UPD-STARTS-BEFORE-START-ONLY",
            )

        @rule(amount=st.integers(min_value=1, max_value=50))
        def redemptions(self, amount: int) -> None:
            ctx.expect_refused(
                ctx.update(not_started, {"redemptions_per_code": amount}),
                "UPD-REDEMPTIONS-SINGLE-CODE-ONLY",
            )
            current = self.known.get((started_single, counts.name), counts.far)
            moved = counts.forward(current, amount)
            exchange = ctx.update(started_single, {counts.name: moved})
            if exchange.status in (200, 204):
                self.known[(started_single, counts.name)] = moved
                if counts.holds_for("program_started_single_code"):
                    ctx.expect_refused(ctx.update(started_single, {counts.name: counts.back(moved)}), REDEMPTIONS)

        @rule(
            body=st.sampled_from(
                [
                    {"expense_memo": "late"},
                    {"name": "renamed"},
                    {"value_per_trip_max_amount": 10**9},
                ]
            )
        )
        def touch_canceled(self, body: dict[str, Any]) -> None:
            ctx.expect_refused(ctx.update(canceled, body), "UPD-CANCELED-IMMUTABLE")

    return Lifecycle


@check(
    "lifecycle",
    "program-lifecycle",
    "random sequences of updates across started, not-started, canceled and bare programs",
    rules=(
        "UPD-MAX-AMOUNT-INCREASE-ONLY",
        "UPD-DEDUCTIBLE-INCREASE-ONLY",
        "UPD-PERCENT-INCREASE-ONLY",
        "UPD-MAX-TRIPS-INCREASE-ONLY",
        "UPD-MAX-CREDIT-INCREASE-ONLY",
        "UPD-REDEMPTIONS-INCREASE-ONLY",
        "UPD-DEDUCTIBLE-IF-PRESENT",
        "UPD-PERCENT-IF-PRESENT",
        "UPD-MAX-TRIPS-IF-PRESENT",
        "UPD-MAX-CREDIT-IF-PRESENT",
        "UPD-STARTS-BEFORE-START-ONLY",
        "UPD-REDEMPTIONS-SINGLE-CODE-ONLY",
        "UPD-CANCELED-IMMUTABLE",
    ),
)
def lifecycle(ctx: CheckContext) -> None:
    run_state_machine_as_test(
        machine(ctx),
        settings=settings(
            max_examples=max(5, ctx.max_examples),
            stateful_step_count=10,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
            derandomize=True,
        ),
    )


@check(
    "lifecycle",
    "start-moves-with-the-clock",
    "a program becomes started when the clock reaches starts_at (emulator control plane)",
    rules=(
        "UPD-STARTS-BEFORE-START-ONLY",
        "UPD-VEHICLE-BEFORE-START-ONLY",
        "UPD-PERCENT-INCREASE-ONLY",
    ),
)
def clock_moves(ctx: CheckContext) -> None:
    control = ctx.control
    created = ctx.create(ctx.valid_create(starts_at=ctx.now_ms() + 2 * HOUR, ends_at=ctx.now_ms() + 30 * DAY))
    ctx.expect_success(created, "UPD-STARTS-BEFORE-START-ONLY", (200,))
    program = str((created.json() or {}).get("campaign_uuid") or "")
    if not program:
        raise NotCovered("the create response carried no campaign_uuid")
    clock = control.clock()
    try:
        ctx.expect_success(
            ctx.update(program, {"vehicle_category_types": ["ECONOMY"]}),
            "UPD-VEHICLE-BEFORE-START-ONLY",
        )
        control.move_clock("advance", by_ms=3 * HOUR)
        ctx.expect_refused(
            ctx.update(program, {"vehicle_category_types": ["PREMIUM"]}),
            "UPD-VEHICLE-BEFORE-START-ONLY",
        )
        ctx.expect_refused(
            ctx.update(program, {"starts_at": ctx.now_ms() + 10 * DAY}),
            "UPD-STARTS-BEFORE-START-ONLY",
        )
    finally:
        control.move_clock("advance", by_ms=-3 * HOUR)
        if clock["frozen"]:
            control.move_clock("freeze")
