"""What a voucher program is, for the rules: its state at a given time, and its settable fields.

DECISIONS.md, D-033: a program has *started* once the time reaches ``starts_at`` (live or
completed); *completed* once ``ends_at`` has passed; *canceled* is a status, whatever the dates.
"""

from __future__ import annotations

from typing import Any

SINGLE_CODE = "SINGLE_CODE_MULTI_REDEEM"
MULTI_CODE = "MULTI_CODE_SINGLE_REDEEM"
CODE_SCHEMES = (SINGLE_CODE, MULTI_CODE)

#: Fields Update Voucher Program may set (003, Request Parameters), in table order.
UPDATABLE_FIELDS = (
    "name",
    "pickup_locations",
    "dropoff_locations",
    "trip_restriction_type",
    "starts_at",
    "ends_at",
    "timezone",
    "redemptions_per_code",
    "expense_memo",
    "value_recurrence_period",
    "value_per_trip_max_amount",
    "value_per_trip_deductible",
    "value_per_trip_percentage",
    "value_per_period_max_trips",
    "value_per_period_max_credit",
    "vehicle_category_types",
)


def states(program: dict[str, Any], now_ms: int) -> set[str]:
    """The state words of ``x-u4b-rules`` that hold for ``program`` at ``now_ms``."""
    if program.get("status") == "canceled":
        return {"canceled"}
    if now_ms < int(program["starts_at"]):
        return {"not-started"}
    if now_ms >= int(program["ends_at"]):
        return {"started", "completed"}
    return {"started", "live"}


def status(program: dict[str, Any], now_ms: int) -> str:
    """A readable status for the control plane: scheduled, active, completed or canceled."""
    current = states(program, now_ms)
    if "canceled" in current:
        return "canceled"
    if "not-started" in current:
        return "scheduled"
    return "completed" if "completed" in current else "active"
