"""Every documented constraint: valid inputs accepted, each kind of violation refused with the
documented status and code. Each refused request breaks one rule and is otherwise valid for the
fixture it targets, so a refusal is attributable to that rule."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from .context import DAY, HOUR, CheckContext, Deviation, NotCovered
from .findings import WARNING
from .limits import FLOOR, MARGIN_MS, bounds, far_future, monotonic, quota_limit, window
from .operations import SUCCESS_STATUS
from .registry import check
from .schema_judging import attribution as schema_attribution
from .schema_judging import response_deviations
from .violations import (
    below_minimum,
    beyond_maximum,
    email_near_misses,
    near_misses,
    not_emails,
    not_integers,
    not_matching,
    not_time_zones,
    outside,
    pattern_near_misses,
    time_zone_near_misses,
)

LOCATION = {
    "latitude": 37.7754,
    "longitude": -122.4174,
    "radius": 50,
    "address": "1455 Market St, San Francisco",
}
UNKNOWN = "00000000-0000-4000-8000-00000000dead"
CREATE = "createIndividualVoucherProgram"
#: Where monotonic probes go for a field without a schema maximum, and their step for numbers.
OPEN_END, NUMBER_STEP = 10**6, 0.5


def _far_end(ctx: CheckContext) -> int:
    """An ends_at beyond every create window: updates have none (D-053), so it is valid."""
    return far_future(ctx.rules.values(), ctx.now_ms())


# ---------------------------------------------------------------- schema: Update Voucher Program


def _not_started(ctx: CheckContext) -> str:
    return ctx.fixture("program_not_started_multi_code")


@check(
    "rules",
    "update-percentage-range",
    "value_per_trip_percentage outside its schema's range is refused; inside it is accepted",
    rules=("UPD-PERCENT-RANGE",),
)
def percentage_range(ctx: CheckContext) -> None:
    program = _not_started(ctx)
    limits = bounds(ctx.spec, ctx.rules["UPD-PERCENT-RANGE"])
    ctx.explore(
        below_minimum(limits.lowest) | beyond_maximum(limits.highest),
        lambda v: ctx.expect_refused(ctx.update(program, {"value_per_trip_percentage": v}), "UPD-PERCENT-RANGE"),
        edges=[limits.lowest - 1, limits.highest + 1],
    )
    ctx.explore(
        st.integers(limits.lowest, limits.highest),
        lambda v: ctx.expect_success(ctx.update(program, {"value_per_trip_percentage": v}), "UPD-PERCENT-RANGE"),
        examples=3,
        edges=[limits.lowest, limits.highest],
    )


@check(
    "rules",
    "update-max-trips",
    "value_per_period_max_trips above its schema maximum is refused; up to it is accepted",
    rules=("UPD-MAX-TRIPS-MAX",),
)
def max_trips(ctx: CheckContext) -> None:
    program = _not_started(ctx)
    maximum = bounds(ctx.spec, ctx.rules["UPD-MAX-TRIPS-MAX"]).highest
    ctx.explore(
        beyond_maximum(maximum),
        lambda v: ctx.expect_refused(ctx.update(program, {"value_per_period_max_trips": v}), "UPD-MAX-TRIPS-MAX"),
        edges=[maximum + 1],
    )
    ctx.explore(
        st.integers(FLOOR, maximum),
        lambda v: ctx.expect_success(ctx.update(program, {"value_per_period_max_trips": v}), "UPD-MAX-TRIPS-MAX"),
        examples=3,
        edges=[maximum],
    )


def _enum_check(field: str, schema: str, rule: str) -> Any:
    def run(ctx: CheckContext) -> None:
        program = _not_started(ctx)
        values = ctx.spec.resolve(f"#/components/schemas/{schema}/enum")
        wrap = (lambda v: [v]) if field == "vehicle_category_types" else (lambda v: v)
        extra = (
            {"pickup_locations": [LOCATION], "dropoff_locations": [LOCATION]}
            if field == "trip_restriction_type"
            else {}
        )
        ctx.explore(
            outside(values),
            lambda v: ctx.expect_refused(ctx.update(program, {field: wrap(v), **extra}), rule),
            edges=near_misses(values),
        )
        ctx.explore(
            st.sampled_from(values),
            lambda v: ctx.expect_success(ctx.update(program, {field: wrap(v), **extra}), rule),
            examples=len(values),
        )

    return run


check(
    "rules",
    "update-recurrence-enum",
    "value_recurrence_period outside SINGLE/DAILY/MONTHLY is refused",
    rules=("UPD-RECURRENCE-ENUM",),
    rank=1,  # near misses cost the most requests: after the cheaper checks
)(_enum_check("value_recurrence_period", "ValueRecurrencePeriod", "UPD-RECURRENCE-ENUM"))
check(
    "rules",
    "update-trip-restriction-enum",
    "trip_restriction_type outside the four values is refused",
    rules=("UPD-TRIP-RESTRICTION-ENUM",),
    rank=1,  # near misses cost the most requests: after the cheaper checks
)(_enum_check("trip_restriction_type", "TripRestrictionType", "UPD-TRIP-RESTRICTION-ENUM"))
check(
    "rules",
    "update-vehicle-enum",
    "vehicle categories outside PREMIUM/ECONOMY/SHARED_RIDES are refused",
    rules=("UPD-VEHICLE-ENUM",),
    rank=1,  # near misses cost the most requests: after the cheaper checks
)(_enum_check("vehicle_category_types", "VehicleCategoryType", "UPD-VEHICLE-ENUM"))


@check(
    "rules",
    "update-locations",
    "a location needs an address and a radius of at least the schema's minimum",
    rules=("UPD-LOCATION-RADIUS-MIN", "UPD-LOCATION-ADDRESS-REQUIRED"),
)
def locations(ctx: CheckContext) -> None:
    program = _not_started(ctx)
    minimum = bounds(ctx.spec, ctx.rules["UPD-LOCATION-RADIUS-MIN"]).lowest

    def radius(value: int) -> None:
        body = {
            "trip_restriction_type": "PICKUP_ONLY",
            "pickup_locations": [{**LOCATION, "radius": value}],
        }
        ctx.expect_refused(ctx.update(program, body), "UPD-LOCATION-RADIUS-MIN")

    ctx.explore(below_minimum(minimum), radius, edges=[minimum - 1])
    no_address = {k: v for k, v in LOCATION.items() if k != "address"}
    ctx.expect_refused(
        ctx.update(program, {"trip_restriction_type": "DROPOFF_ONLY", "dropoff_locations": [no_address]}),
        "UPD-LOCATION-ADDRESS-REQUIRED",
    )
    ctx.expect_success(
        ctx.update(
            program,
            {
                "trip_restriction_type": "PICKUP_ONLY",
                "pickup_locations": [{**LOCATION, "radius": minimum}],
            },
        ),
        "UPD-LOCATION-RADIUS-MIN",
    )


@check(
    "rules",
    "update-trip-restriction-conditions",
    "each restriction type needs its locations, and locations need a type",
    rules=(
        "UPD-TRIP-BOTH-LOCATIONS",
        "UPD-TRIP-PICKUP-ONLY",
        "UPD-TRIP-DROPOFF-ONLY",
        "UPD-LOCATIONS-NEED-TRIP-TYPE",
    ),
)
def trip_conditions(ctx: CheckContext) -> None:
    program = _not_started(ctx)
    pick, drop = {"pickup_locations": [LOCATION]}, {"dropoff_locations": [LOCATION]}
    refused = [
        ({"trip_restriction_type": "PICKUP_OR_DROPOFF", **pick}, "UPD-TRIP-BOTH-LOCATIONS"),
        ({"trip_restriction_type": "PICKUP_AND_DROPOFF", **drop}, "UPD-TRIP-BOTH-LOCATIONS"),
        ({"trip_restriction_type": "PICKUP_ONLY", **drop}, "UPD-TRIP-PICKUP-ONLY"),
        ({"trip_restriction_type": "PICKUP_ONLY", "pickup_locations": []}, "UPD-TRIP-PICKUP-ONLY"),
        ({"trip_restriction_type": "DROPOFF_ONLY", **pick}, "UPD-TRIP-DROPOFF-ONLY"),
        ({**pick}, "UPD-LOCATIONS-NEED-TRIP-TYPE"),
        ({**drop}, "UPD-LOCATIONS-NEED-TRIP-TYPE"),
    ]
    for index, (body, rule) in enumerate(refused):
        with ctx.step(f"refused:{index}"):
            ctx.expect_refused(ctx.update(program, body), rule)
    accepted = [
        (
            {"trip_restriction_type": "PICKUP_AND_DROPOFF", **pick, **drop},
            "UPD-TRIP-BOTH-LOCATIONS",
        ),
        (
            {"trip_restriction_type": "PICKUP_ONLY", **pick, **drop},
            "UPD-TRIP-PICKUP-ONLY",
        ),  # D-029: as the vendor's example
        ({"trip_restriction_type": "DROPOFF_ONLY", **drop}, "UPD-TRIP-DROPOFF-ONLY"),
    ]
    for index, (body, rule) in enumerate(accepted):
        with ctx.step(f"accepted:{index}"):
            ctx.expect_success(ctx.update(program, body), rule)


@check(
    "rules",
    "update-time-zone",
    "timezone must be an IANA time zone name",
    rules=("UPD-TIMEZONE-IANA",),
)
def update_time_zone(ctx: CheckContext) -> None:
    program = _not_started(ctx)
    ctx.explore(
        not_time_zones(),
        lambda v: ctx.expect_refused(ctx.update(program, {"timezone": v}), "UPD-TIMEZONE-IANA"),
        edges=time_zone_near_misses("America/Los_Angeles"),
    )
    ctx.expect_success(ctx.update(program, {"timezone": "America/Los_Angeles"}), "UPD-TIMEZONE-IANA")


# ---------------------------------------------------------------- Generate Voucher Codes


@check(
    "rules",
    "generate-count",
    "number_of_codes is a required integer of at most the schema's maximum",
    rules=("GEN-COUNT-REQUIRED", "GEN-COUNT-INTEGER", "GEN-COUNT-MAX"),
    rank=-1,
)
def generate_count(ctx: CheckContext) -> None:
    program = ctx.fixture("program_started_multi_code")
    ctx.expect_refused(ctx.generate(program, {}), "GEN-COUNT-REQUIRED")
    ctx.explore(
        not_integers(),
        lambda v: ctx.expect_refused(ctx.generate(program, {"number_of_codes": v}), "GEN-COUNT-INTEGER"),
    )
    highest = bounds(ctx.spec, ctx.rules["GEN-COUNT-MAX"]).highest
    ctx.explore(
        beyond_maximum(highest),
        lambda v: ctx.expect_refused(ctx.generate(program, {"number_of_codes": v}), "GEN-COUNT-MAX"),
        edges=[highest + 1],
    )
    ctx.expect_success(ctx.generate(program, {"number_of_codes": 1}), "GEN-COUNT-MAX", (200,))


@check(
    "rules",
    "generate-count-positive",
    "asking for zero or fewer codes is refused (implied: accepting it is a warning)",
    rules=("GEN-COUNT-POSITIVE",),
    rank=-1,
)
def generate_zero(ctx: CheckContext) -> None:
    program = ctx.fixture("program_started_multi_code")
    ctx.explore(
        st.integers(max_value=0),
        lambda v: ctx.expect_refused(ctx.generate(program, {"number_of_codes": v}), "GEN-COUNT-POSITIVE"),
        edges=[0, -1],
    )


@check(
    "rules",
    "success-statuses",
    "a success is answered with the operation's documented status (implied: another 2xx is a warning)",
    rules=tuple(rule for rule, _ in SUCCESS_STATUS.values()),
    rank=-1,
)
def success_statuses(ctx: CheckContext) -> None:
    rules = {operation: (rule, status) for operation, (rule, status) in SUCCESS_STATUS.items() if rule in ctx.rules}
    if not rules:
        raise NotCovered("the description states no success-status rules")
    ctx.update(_not_started(ctx), {"expense_memo": "contract suite"})
    ctx.generate(ctx.fixture("program_started_multi_code"), {"number_of_codes": 1})
    for exchange in list(ctx.target.exchanges):
        operation = exchange.operation
        if operation not in rules or not 200 <= exchange.status < 300:
            continue
        rule, status = rules[operation]
        if exchange.status != status:
            ctx.record(
                Deviation(
                    f"{operation} answered a success with {exchange.status}; the documents give {status}",
                    rule,
                    exchange,
                    kind=f"success-status:{exchange.status}",
                    expected=str(status),
                    severity=WARNING,
                )
            )


@check(
    "rules",
    "generate-multi-code-only",
    "single-code programs cannot get more codes",
    rules=("GEN-MULTI-CODE-ONLY",),
    rank=-1,
)
def generate_single(ctx: CheckContext) -> None:
    ctx.expect_refused(
        ctx.generate(ctx.fixture("program_started_single_code"), {"number_of_codes": 1}),
        "GEN-MULTI-CODE-ONLY",
    )


@check(
    "rules",
    "program-not-found",
    "an unknown voucher program gets 404 resource_not_found",
    rules=("ERR-PROGRAM-NOT-FOUND",),
    rank=-1,
)
def program_not_found(ctx: CheckContext) -> None:
    with ctx.step():
        ctx.expect_refused(ctx.generate(UNKNOWN, {"number_of_codes": 1}), "ERR-PROGRAM-NOT-FOUND")
    with ctx.step():
        ctx.expect_refused(ctx.guests(UNKNOWN), "ERR-PROGRAM-NOT-FOUND")
    with ctx.step():
        ctx.expect_refused(ctx.update(UNKNOWN, {"expense_memo": "x"}), "ERR-PROGRAM-NOT-FOUND")


# ---------------------------------------------------------------- Create Individual Voucher Program


@check(
    "rules",
    "create-valid",
    "a valid request creates a program with the documented response",
    rules=("CRT-REQUIRED-FIELDS", "CRT-CONTACT-REQUIRED", "RSP-SCHEMA"),
    rank=-1,
)
def create_valid(ctx: CheckContext) -> None:
    exchange = ctx.create(ctx.valid_create(mobile_number="+14155550123", memo="contract suite"))
    ctx.expect_success(exchange, "CRT-REQUIRED-FIELDS", (200,))
    schema = (
        ctx.spec.operation("createIndividualVoucherProgram").pointer + "/responses/200/content/application~1json/schema"
    )
    for deviation in response_deviations(schema_attribution(ctx), schema, exchange, CREATE):
        ctx.record(deviation)


@check(
    "rules",
    "create-required",
    "each required field, and a contact, must be sent",
    rules=("CRT-REQUIRED-FIELDS", "CRT-CONTACT-REQUIRED"),
)
def create_required(ctx: CheckContext) -> None:
    base = ctx.valid_create()
    required = ctx.spec.resolve("#/components/schemas/CreateIndividualVoucherProgramRequest/required")
    ctx.explore(
        st.sampled_from(required),
        lambda field: ctx.expect_refused(
            ctx.create({k: v for k, v in base.items() if k != field}), "CRT-REQUIRED-FIELDS"
        ),
        edges=list(required),  # each one missing, in every run
    )
    with ctx.step("no contact"):
        ctx.expect_refused(ctx.create({k: v for k, v in base.items() if k != "email_address"}), "CRT-CONTACT-REQUIRED")


@check(
    "rules",
    "create-formats",
    "owner_type, email_address and mobile_number have their documented forms",
    rules=("CRT-OWNER-TYPE-ENUM", "CRT-EMAIL-FORMAT", "CRT-MOBILE-FORMAT"),
)
def create_formats(ctx: CheckContext) -> None:
    base = ctx.valid_create()
    owner_types = ctx.spec.resolve(ctx.rules["CRT-OWNER-TYPE-ENUM"].pointer or "")
    ctx.explore(
        outside(owner_types),
        lambda v: ctx.expect_refused(ctx.create({**base, "owner_type": v}), "CRT-OWNER-TYPE-ENUM"),
        edges=near_misses(owner_types),
    )
    ctx.explore(
        not_emails(),
        lambda v: ctx.expect_refused(ctx.create({**base, "email_address": v}), "CRT-EMAIL-FORMAT"),
        edges=email_near_misses(),
    )
    pattern = ctx.spec.resolve("#/components/schemas/MobileNumber/pattern")
    ctx.explore(
        not_matching(pattern),
        lambda v: ctx.expect_refused(ctx.create({**base, "mobile_number": v}), "CRT-MOBILE-FORMAT"),
        edges=pattern_near_misses(pattern, "+14155550123"),
    )


@check(
    "rules",
    "create-time-windows",
    "starts_at and ends_at within their windows relative to now (beyond tolerance), ends_at after starts_at",
    rules=(
        "CRT-STARTS-NOT-TOO-EARLY",
        "CRT-STARTS-NOT-TOO-LATE",
        "CRT-ENDS-NOT-TOO-LATE",
        "CRT-ENDS-AFTER-STARTS",
    ),
)
def create_time_windows(ctx: CheckContext) -> None:
    now = ctx.now_ms()
    early = window(ctx.rules["CRT-STARTS-NOT-TOO-EARLY"], now)
    starts_late = window(ctx.rules["CRT-STARTS-NOT-TOO-LATE"], now)
    ends_late = window(ctx.rules["CRT-ENDS-NOT-TOO-LATE"], now)
    # Outside each window by more than the rule's tolerance (D-031), everything else valid.
    with ctx.step("starts too early"):
        ctx.expect_refused(
            ctx.create(ctx.valid_create(starts_at=early.too_early(), ends_at=now + 7 * DAY)),
            "CRT-STARTS-NOT-TOO-EARLY",
        )
    late = starts_late.too_late()
    with ctx.step("starts too late"):
        ctx.expect_refused(
            ctx.create(ctx.valid_create(starts_at=late, ends_at=late + DAY)),
            "CRT-STARTS-NOT-TOO-LATE",
            "CRT-ENDS-NOT-TOO-LATE",
        )
    with ctx.step("ends too late"):
        ctx.expect_refused(ctx.create(ctx.valid_create(ends_at=ends_late.too_late())), "CRT-ENDS-NOT-TOO-LATE")
    start = now + 2 * DAY
    with ctx.step("ends at starts"):
        ctx.expect_refused(ctx.create(ctx.valid_create(starts_at=start, ends_at=start)), "CRT-ENDS-AFTER-STARTS")
    with ctx.step("ends before starts"):
        ctx.expect_refused(ctx.create(ctx.valid_create(starts_at=start, ends_at=start - HOUR)), "CRT-ENDS-AFTER-STARTS")
    # Inside the windows, beyond the tolerances.
    with ctx.step("starts early inside"):
        ctx.expect_success(
            ctx.create(ctx.valid_create(starts_at=early.early_inside(), ends_at=now + 7 * DAY)),
            "CRT-STARTS-NOT-TOO-EARLY",
            (200,),
        )
    ends = ends_late.late_inside()
    with ctx.step("late inside"):
        ctx.expect_success(
            ctx.create(ctx.valid_create(starts_at=min(starts_late.late_inside(), ends - DAY), ends_at=ends)),
            "CRT-STARTS-NOT-TOO-LATE",
            (200,),
        )
    # At each tolerance, plus and minus a margin: the edges a lenient or a strict reading moves.
    now = ctx.now_ms()
    early = window(ctx.rules["CRT-STARTS-NOT-TOO-EARLY"], now)
    starts_late = window(ctx.rules["CRT-STARTS-NOT-TOO-LATE"], now)
    ends_late = window(ctx.rules["CRT-ENDS-NOT-TOO-LATE"], now)
    with ctx.step("edge:starts before the window by tolerance + margin"):
        ctx.expect_refused(
            ctx.create(ctx.valid_create(starts_at=early.too_early(MARGIN_MS), ends_at=now + 7 * DAY)),
            "CRT-STARTS-NOT-TOO-EARLY",
        )
    with ctx.step("edge:starts inside the window by tolerance + margin"):
        ctx.expect_success(
            ctx.create(ctx.valid_create(starts_at=early.early_inside(MARGIN_MS), ends_at=now + 7 * DAY)),
            "CRT-STARTS-NOT-TOO-EARLY",
            (200,),
        )
    late = starts_late.too_late(MARGIN_MS)
    with ctx.step("edge:starts after the window by tolerance + margin"):
        ctx.expect_refused(
            ctx.create(ctx.valid_create(starts_at=late, ends_at=late + DAY)),
            "CRT-STARTS-NOT-TOO-LATE",
            "CRT-ENDS-NOT-TOO-LATE",
        )
    with ctx.step("edge:ends after the window by tolerance + margin"):
        ctx.expect_refused(ctx.create(ctx.valid_create(ends_at=ends_late.too_late(MARGIN_MS))), "CRT-ENDS-NOT-TOO-LATE")
    ends = ends_late.late_inside(MARGIN_MS)
    with ctx.step("edge:starts and ends inside the windows by tolerance + margin"):
        ctx.expect_success(
            ctx.create(ctx.valid_create(starts_at=min(starts_late.late_inside(MARGIN_MS), ends - DAY), ends_at=ends)),
            "CRT-ENDS-NOT-TOO-LATE",
            (200,),
        )


@check(
    "rules",
    "create-display-time-zone",
    "display_timezone must be an IANA time zone name",
    rules=("CRT-DISPLAY-TIMEZONE-IANA",),
)
def create_time_zone(ctx: CheckContext) -> None:
    base = ctx.valid_create()
    ctx.explore(
        not_time_zones(),
        lambda v: ctx.expect_refused(ctx.create({**base, "display_timezone": v}), "CRT-DISPLAY-TIMEZONE-IANA"),
        edges=time_zone_near_misses(),
    )
    ctx.expect_success(
        ctx.create({**base, "display_timezone": "Europe/Paris"}),
        "CRT-DISPLAY-TIMEZONE-IANA",
        (200,),
    )


@check(
    "rules",
    "create-template",
    "the template must exist, be active, and match program_uuid and name",
    rules=(
        "CRT-TEMPLATE-EXISTS",
        "CRT-TEMPLATE-ACTIVE",
        "CRT-PROGRAM-MATCHES-TEMPLATE",
        "CRT-NAME-MATCHES-TEMPLATE",
    ),
    rank=-1,
)
def create_template(ctx: CheckContext) -> None:
    base = ctx.valid_create()
    with ctx.step("unknown template"):
        ctx.expect_refused(ctx.create({**base, "template_uuid": UNKNOWN}), "CRT-TEMPLATE-EXISTS")
    with ctx.step("other program"):
        ctx.expect_refused(ctx.create({**base, "program_uuid": UNKNOWN}), "CRT-PROGRAM-MATCHES-TEMPLATE")
    with ctx.step("other name"):
        ctx.expect_refused(
            ctx.create({**base, "name": base["name"].swapcase() + " (copy)"}),
            "CRT-NAME-MATCHES-TEMPLATE",
        )
    inactive = {**base, "template_uuid": ctx.fixture("template_inactive")}
    program, name = (
        ctx.target.profile.fixture("template_inactive_program_uuid"),
        ctx.target.profile.fixture("template_inactive_name"),
    )
    if program and name:
        ctx.expect_refused(ctx.create({**inactive, "program_uuid": program, "name": name}), "CRT-TEMPLATE-ACTIVE")
    else:  # the inactive template's program and name are unknown, so those rules may answer too
        ctx.expect_refused(
            ctx.create(inactive),
            "CRT-TEMPLATE-ACTIVE",
            "CRT-PROGRAM-MATCHES-TEMPLATE",
            "CRT-NAME-MATCHES-TEMPLATE",
        )


# ---------------------------------------------------------------- state rules of Update Voucher Program


@check(
    "rules",
    "update-canceled",
    "a canceled program cannot be updated",
    rules=("UPD-CANCELED-IMMUTABLE",),
    rank=-1,
)
def canceled(ctx: CheckContext) -> None:
    program = ctx.fixture("program_canceled")
    for body in ({"expense_memo": "after cancel"}, {"ends_at": _far_end(ctx)}):
        with ctx.step(next(iter(body))):
            ctx.expect_refused(ctx.update(program, body), "UPD-CANCELED-IMMUTABLE")


@check(
    "rules",
    "update-before-start-only",
    "starts_at and vehicle categories change only before the start",
    rules=(
        "UPD-STARTS-BEFORE-START-ONLY",
        "UPD-VEHICLE-BEFORE-START-ONLY",
        "UPD-VEHICLE-EMPTY-CLEARS",
    ),
)
def before_start(ctx: CheckContext) -> None:
    started = ctx.fixture("program_started_multi_code")
    now = ctx.now_ms()
    with ctx.step("started:starts_at"):
        ctx.expect_refused(ctx.update(started, {"starts_at": now + HOUR}), "UPD-STARTS-BEFORE-START-ONLY")
    with ctx.step("started:vehicles"):
        ctx.expect_refused(
            ctx.update(started, {"vehicle_category_types": ["PREMIUM"]}),
            "UPD-VEHICLE-BEFORE-START-ONLY",
        )
    for kind in ("program_not_started_multi_code", "program_not_started_single_code"):
        program = ctx.fixture(kind)
        # Move the start later (never earlier) and the end far away: the program stays not started.
        with ctx.step(f"{kind}:starts_at"):
            ctx.expect_success(
                ctx.update(program, {"starts_at": now + 20 * DAY, "ends_at": _far_end(ctx)}),
                "UPD-STARTS-BEFORE-START-ONLY",
            )
        with ctx.step(f"{kind}:vehicles"):
            ctx.expect_success(
                ctx.update(program, {"vehicle_category_types": ["ECONOMY", "PREMIUM"]}),
                "UPD-VEHICLE-BEFORE-START-ONLY",
            )
        with ctx.step(f"{kind}:no-vehicles"):
            ctx.expect_success(ctx.update(program, {"vehicle_category_types": []}), "UPD-VEHICLE-EMPTY-CLEARS")


#: Monotonic rules and the fixture each is probed on (one in a state the rule holds in).
MONOTONIC = [
    ("UPD-MAX-AMOUNT-INCREASE-ONLY", "program_started_multi_code"),
    ("UPD-DEDUCTIBLE-INCREASE-ONLY", "program_started_multi_code"),
    ("UPD-PERCENT-INCREASE-ONLY", "program_started_multi_code"),
    ("UPD-MAX-TRIPS-INCREASE-ONLY", "program_started_multi_code"),
    ("UPD-MAX-CREDIT-INCREASE-ONLY", "program_started_multi_code"),
    ("UPD-REDEMPTIONS-INCREASE-ONLY", "program_started_single_code"),
]


@check(
    "rules",
    "update-increase-only",
    "once started, value limits only move their way (a move is kept: the next step back is refused)",
    rules=tuple(rule for rule, _ in MONOTONIC),
)
def increase_only(ctx: CheckContext) -> None:
    for rule, fixture in MONOTONIC:
        probe = monotonic(ctx.spec, ctx.rules[rule], open_end=OPEN_END, number_step=NUMBER_STEP)
        if not probe.holds_for(fixture):
            raise NotCovered(f"{rule} does not hold for the {fixture} fixture's states")
        program = ctx.fixture(fixture)
        with ctx.step(rule):
            moved = ctx.update(program, {probe.name: probe.far})
            if moved.status not in (200, 204):
                # Equal to the current value is unspecified (D-032); anything else is a deviation.
                ctx.expect_refused(moved, rule)
            ctx.expect_refused(ctx.update(program, {probe.name: probe.back(probe.far)}), rule)


@check(
    "rules",
    "update-ends-not-reduced",
    "once started, ends_at may move later but not earlier",
    rules=("UPD-ENDS-NOT-REDUCED", "UPD-ENDS-EXTENDABLE"),
)
def ends_not_reduced(ctx: CheckContext) -> None:
    program = ctx.fixture("program_started_multi_code")
    probe = monotonic(ctx.spec, ctx.rules["UPD-ENDS-NOT-REDUCED"], open_end=OPEN_END, number_step=NUMBER_STEP)
    far = _far_end(ctx)
    with ctx.step("later"):
        ctx.expect_success(ctx.update(program, {"ends_at": far}), "UPD-ENDS-EXTENDABLE")
    with ctx.step("earlier"):
        ctx.expect_refused(ctx.update(program, {"ends_at": probe.back(far, DAY)}), "UPD-ENDS-NOT-REDUCED")
    completed = ctx.target.profile.fixture("program_completed")
    if completed:
        with ctx.step("completed:later"):
            ctx.expect_success(ctx.update(completed, {"ends_at": far}), "UPD-ENDS-EXTENDABLE")


@check(
    "rules",
    "update-ends-after-starts",
    "ends_at before starts_at: refused or accepted, both allowed (lenient)",
    rules=("UPD-ENDS-AFTER-STARTS",),
)
def ends_after_starts(ctx: CheckContext) -> None:
    program = ctx.fixture("program_not_started_single_code")
    start = ctx.now_ms() + 20 * DAY
    ctx.expect_refused(ctx.update(program, {"starts_at": start, "ends_at": start - DAY}), "UPD-ENDS-AFTER-STARTS")
    ctx.update(program, {"starts_at": start, "ends_at": _far_end(ctx)})  # leave it valid


PRESENT_ONLY = [
    ("UPD-DEDUCTIBLE-IF-PRESENT", "value_per_trip_deductible", 3.5),
    ("UPD-PERCENT-IF-PRESENT", "value_per_trip_percentage", 50),
    ("UPD-MAX-TRIPS-IF-PRESENT", "value_per_period_max_trips", 3),
    ("UPD-MAX-CREDIT-IF-PRESENT", "value_per_period_max_credit", 25.0),
]


@check(
    "rules",
    "update-only-if-present",
    "optional value fields change only if the program has them",
    rules=tuple(rule for rule, *_ in PRESENT_ONLY),
    rank=-1,
)
def only_if_present(ctx: CheckContext) -> None:
    program = ctx.fixture("program_without_optional_values")
    for rule, field, value in PRESENT_ONLY:
        with ctx.step(field):
            ctx.expect_refused(ctx.update(program, {field: value}), rule)


@check(
    "rules",
    "update-redemptions-single-code-only",
    "redemptions_per_code changes only on single-code programs",
    rules=("UPD-REDEMPTIONS-SINGLE-CODE-ONLY",),
)
def redemptions_scheme(ctx: CheckContext) -> None:
    with ctx.step("multi-code"):
        ctx.expect_refused(
            ctx.update(ctx.fixture("program_not_started_multi_code"), {"redemptions_per_code": 5}),
            "UPD-REDEMPTIONS-SINGLE-CODE-ONLY",
        )
    ctx.expect_success(
        ctx.update(ctx.fixture("program_not_started_single_code"), {"redemptions_per_code": OPEN_END}),
        "UPD-REDEMPTIONS-SINGLE-CODE-ONLY",
    )


@check(
    "rules",
    "generate-in-progress",
    "while codes are generated, another request gets 409 (emulator control plane)",
    rules=("GEN-IN-PROGRESS",),
)
def in_progress(ctx: CheckContext) -> None:
    control = ctx.control
    program = ctx.fixture("program_started_multi_code")
    before = control.settings()
    clock = control.clock()
    try:
        control.move_clock("freeze")
        control.settings(code_generation_ms_per_code=60_000)
        ctx.expect_success(ctx.generate(program, {"number_of_codes": 1}), "GEN-IN-PROGRESS", (200,))
        ctx.expect_refused(ctx.generate(program, {"number_of_codes": 1}), "GEN-IN-PROGRESS")
    finally:
        control.settings(code_generation_ms_per_code=before["code_generation_ms_per_code"])
        control.move_clock("advance", by_ms=120_000)  # let that generation finish
        if not clock["frozen"]:
            control.move_clock("unfreeze")


@check(
    "rules",
    "not-observable",
    "rules the four operations give no way to observe",
    rules=(
        "GEN-TOTAL-CODES-MAX",
        "GST-UBER-DISTRIBUTED",
        "UPD-TIMEZONE-DEFAULT",
        "UPD-RECURRENCE-DEFAULT",
        "CRT-DEPRECATED",
    ),
)
def not_observable(ctx: CheckContext) -> None:
    limit = quota_limit(ctx.rules["GEN-TOTAL-CODES-MAX"])
    raise NotCovered(
        f"not observable through the four operations: the {limit:,}-code total needs {limit:,} codes, guest "
        "origin and program defaults are read with other operations, deprecation is a flag in the description"
    )
