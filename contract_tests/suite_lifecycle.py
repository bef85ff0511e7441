"""A state machine over the program lifecycle: updates before and after the start, "only
increase once started" (which also proves an accepted update was kept), "only if present",
scheme-specific fields and canceled programs, in random order."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

from .context import DAY, HOUR, CheckContext, NotCovered
from .registry import check

#: field -> (monotonic rule, present-only rule or None, step, ceiling)
VALUE_FIELDS: dict[str, tuple[str, str | None, float, float]] = {
    "value_per_trip_max_amount": ("UPD-MAX-AMOUNT-INCREASE-ONLY", None, 1.0, 10**9),
    "value_per_trip_deductible": (
        "UPD-DEDUCTIBLE-INCREASE-ONLY",
        "UPD-DEDUCTIBLE-IF-PRESENT",
        1.0,
        10**9,
    ),
    "value_per_trip_percentage": ("UPD-PERCENT-INCREASE-ONLY", "UPD-PERCENT-IF-PRESENT", 1, 99),
    "value_per_period_max_trips": (
        "UPD-MAX-TRIPS-INCREASE-ONLY",
        "UPD-MAX-TRIPS-IF-PRESENT",
        1,
        999,
    ),
    "value_per_period_max_credit": (
        "UPD-MAX-CREDIT-INCREASE-ONLY",
        "UPD-MAX-CREDIT-IF-PRESENT",
        1.0,
        10**9,
    ),
}


def machine(ctx: CheckContext) -> type[RuleBasedStateMachine]:
    started = ctx.fixture("program_started_multi_code")
    started_single = ctx.fixture("program_started_single_code")
    not_started = ctx.fixture("program_not_started_multi_code")
    canceled = ctx.fixture("program_canceled")
    bare = ctx.fixture("program_without_optional_values")

    class Lifecycle(RuleBasedStateMachine):
        """``known`` holds values the target accepted; on a started program each must hold."""

        def __init__(self) -> None:
            super().__init__()
            self.known: dict[tuple[str, str], float] = {}

        @initialize()
        def count(self) -> None:
            ctx.cases += 1

        @rule(
            field=st.sampled_from(sorted(VALUE_FIELDS)),
            program=st.sampled_from([started, not_started]),
        )
        def raise_value(self, field: str, program: str) -> None:
            monotonic, _, step, ceiling = VALUE_FIELDS[field]
            value = min(ceiling, self.known.get((program, field), ceiling - 10 * step) + step)
            exchange = ctx.update(program, {field: value})
            if program == not_started:  # before the start any value in range is accepted
                ctx.expect_success(exchange, monotonic)
            elif exchange.status not in (200, 204):
                # Refused on a started program: the current value is at least this one (a
                # lower or, per D-032, an equal value); lowering from here must be refused too.
                ctx.expect_refused(exchange, monotonic)
            self.known[(program, field)] = value

        @rule(field=st.sampled_from(sorted(VALUE_FIELDS)))
        def lower_on_started(self, field: str) -> None:
            monotonic, _, step, _ = VALUE_FIELDS[field]
            current = self.known.get((started, field))
            if current is None:
                return
            ctx.expect_refused(ctx.update(started, {field: current - step}), monotonic)

        @rule(field=st.sampled_from(sorted(VALUE_FIELDS)))
        def lower_before_start(self, field: str) -> None:
            monotonic, _, step, _ = VALUE_FIELDS[field]
            current = self.known.get((not_started, field))
            if current is None:
                return
            lowered = current - step
            if lowered < (5 if field == "value_per_trip_percentage" else 1):
                return
            ctx.expect_success(ctx.update(not_started, {field: lowered}), monotonic)
            self.known[(not_started, field)] = lowered

        @rule(field=st.sampled_from([f for f, (_, present, *_) in VALUE_FIELDS.items() if present]))
        def set_absent_value(self, field: str) -> None:
            present = VALUE_FIELDS[field][1]
            assert present is not None
            ctx.expect_refused(ctx.update(bare, {field: 10}), present)

        @rule(days=st.integers(min_value=15, max_value=60))
        def move_start(self, days: int) -> None:
            now = ctx.now_ms()
            ctx.expect_refused(ctx.update(started, {"starts_at": now + HOUR}), "UPD-STARTS-BEFORE-START-ONLY")
            ctx.expect_success(
                ctx.update(not_started, {"starts_at": now + days * DAY, "ends_at": now + 5 * 365 * DAY}),
                "UPD-STARTS-BEFORE-START-ONLY",
            )

        @rule(amount=st.integers(min_value=1, max_value=50))
        def redemptions(self, amount: int) -> None:
            ctx.expect_refused(
                ctx.update(not_started, {"redemptions_per_code": amount}),
                "UPD-REDEMPTIONS-SINGLE-CODE-ONLY",
            )
            current = self.known.get((started_single, "redemptions_per_code"), 10**6)
            exchange = ctx.update(started_single, {"redemptions_per_code": current + amount})
            if exchange.status in (200, 204):
                self.known[(started_single, "redemptions_per_code")] = current + amount
                ctx.expect_refused(
                    ctx.update(started_single, {"redemptions_per_code": current + amount - 1}),
                    "UPD-REDEMPTIONS-INCREASE-ONLY",
                )

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
