"""Realistic traffic of a team's application, for judging as it passes (``TrafficJudge``, and
the proxy in front of any target): the typed client through programs' lives, and raw httpx
requests where the typed client refuses to send something (a careful app probing edges:
bounds +-1, near-miss enum values, time windows just past their tolerance).

Every scenario takes a :class:`Traffic`: a base URL, an httpx client that reaches it (through a
proxy, or an in-process transport that judges), the organization, the fixture ids and the
credentials. Scenarios never assert on answers: the judge does the judging. Numbers come from
the description (its schemas and rules), never written here.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from contract_tests.context import DAY, HOUR
from contract_tests.limits import MARGIN_MS, bounds, window

from u4b_vouchers.client import NO_RETRY, ClientCredentials, VouchersClient, VouchersError
from u4b_vouchers.spec import Spec, load_spec, parse_rules

SPEC = load_spec()
RULES = {rule.id: rule for rule in parse_rules(SPEC.data)}
SCHEMAS = SPEC.data["components"]["schemas"]


@dataclass
class Traffic:
    base_url: str
    http: httpx.Client
    org: str
    fixtures: dict[str, str]
    auth: ClientCredentials
    token_url: str
    spec: Spec = SPEC

    def client(self, *, validate: bool = True) -> VouchersClient:
        return VouchersClient(
            self.auth,
            base_url=self.base_url,
            token_url=self.token_url,
            http_client=self.http,
            retry=NO_RETRY,
            validate_requests=validate,
        )

    def headers(self, token: bool = True) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.auth.token(self.http, self.token_url)}"} if token else {}

    def path(self, program: str) -> str:
        return f"{self.base_url}/v1/organizations/{self.org}/voucher-programs/{program}"

    def raw_update(self, program: str, body: Any) -> httpx.Response:
        return self.http.patch(self.path(program), json=body, headers=self.headers())

    def raw_generate(self, program: str, body: Any) -> httpx.Response:
        return self.http.post(f"{self.path(program)}/codes/generate", json=body, headers=self.headers())

    def raw_create(self, body: Any) -> httpx.Response:
        url = f"{self.base_url}/v1/organizations/{self.org}/individual_voucher_program/create"
        return self.http.post(url, json=body, headers=self.headers())

    def create_body(self, **changes: Any) -> dict[str, Any]:
        now = now_ms()
        body: dict[str, Any] = {
            "template_uuid": self.fixtures["template_active"],
            "program_uuid": self.fixtures["template_active_program_uuid"],
            "owner_uuid": self.fixtures["template_active_owner_uuid"],
            "owner_type": "ORGANIZATION",
            "name": self.fixtures["template_active_name"],
            "display_name": "Judge Scenario",
            "email_address": "judge@example.com",
            "starts_at": now + HOUR,
            "ends_at": now + 30 * DAY,
        }
        body.update(changes)
        return {k: v for k, v in body.items() if v is not None}

    def create(self, **changes: Any) -> str | None:
        """A program created through the typed client; its id (None when that failed)."""
        with self.client() as client:
            try:
                made = client.create_individual_voucher_program(self.org, self.create_body(**changes))
            except VouchersError:
                return None
            return str(made.data.campaign_uuid)


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def _quietly(call: Callable[[], Any]) -> None:
    """An app that logs a refusal and goes on (the judge decides whether it was right)."""
    with contextlib.suppress(VouchersError):
        call()


def _edges(rule_id: str) -> list[int]:
    found = bounds(SPEC, RULES[rule_id])
    values = []
    if found.minimum is not None:
        values += [int(found.minimum) - 1, int(found.minimum)]
    if found.maximum is not None:
        values += [int(found.maximum), int(found.maximum) + 1]
    return values


def _near_misses(schema: str) -> list[str]:
    values = [str(v) for v in SCHEMAS[schema]["enum"]]
    return [m for v in values[:2] for m in (v.lower(), v.title(), v + "S")] + ["PERSONAL", "NONE", "WEEKLY", "COMFORT"]


def _walk(client: VouchersClient, org: str, program: str, size: int | None, pages: int = 60) -> None:
    """Follow next_token as iter_guests does, but give up after ``pages`` pages (a drifting
    server may hand out tokens for ever)."""
    token: str | None = None
    for _ in range(pages):
        token = client.get_voucher_program_guest_info(org, program, limit=size, page_token=token).data.next_token
        if not token:
            return


# ------------------------------------------------------------------ scenarios


def paging(traffic: Traffic) -> None:
    """Read a program with many guests page by page (small pages, edge limits), and at once."""
    many = traffic.fixtures["program_with_many_guests"]
    with traffic.client() as client:
        for size in (1, 3, 7, None, 3):
            _quietly(lambda s=size: _walk(client, traffic.org, many, s))
        # Larger than any page a server keeps: served capped, or refused (D-013).
        _quietly(lambda: client.get_voucher_program_guest_info(traffic.org, many, limit=10**6))
        other = traffic.fixtures["program_started_multi_code"]
        _quietly(lambda: client.get_voucher_program_guest_info(traffic.org, other))
    for token in ("not-a-token", "eyJvZmZzZXQiOjEwfQ"):
        traffic.http.get(f"{traffic.path(many)}/guests", params={"page_token": token}, headers=traffic.headers())


def codes(traffic: Traffic) -> None:
    """Generate codes (edges of number_of_codes), then try schemes' rules both ways."""
    multi = traffic.fixtures["program_not_started_multi_code"]
    single = traffic.fixtures["program_not_started_single_code"]
    with traffic.client() as client:
        _quietly(lambda: client.generate_voucher_codes(traffic.org, multi, 2))
        # A multi-code program: redemptions_per_code is for single-code ones.
        _quietly(lambda: client.update_voucher_program(traffic.org, multi, {"redemptions_per_code": 3}))
        _quietly(lambda: client.update_voucher_program(traffic.org, single, {"redemptions_per_code": 3}))
        _quietly(lambda: client.generate_voucher_codes(traffic.org, single, 2))
    top = bounds(SPEC, RULES["GEN-COUNT-MAX"]).highest
    for count in (0, -1, top + 1, "5", 1.5):
        traffic.raw_generate(multi, {"number_of_codes": count})
    traffic.raw_generate(multi, {})


def lifecycle(traffic: Traffic) -> None:
    """A program that started an hour ago: values raised, then lowered; dates moved."""
    now = now_ms()
    program = traffic.create(starts_at=now - HOUR, ends_at=now + 20 * DAY)
    if program is None:
        return
    raised = {
        "value_per_trip_percentage": 50,
        "value_per_trip_max_amount": 500,
        "value_per_period_max_trips": 50,
        "value_per_period_max_credit": 500,
        "value_recurrence_period": "WEEKLY",
    }
    with traffic.client() as client:
        for _ in range(2):  # raised, then the same again
            for name, value in raised.items():
                _quietly(lambda n=name, v=value: client.update_voucher_program(traffic.org, program, {n: v}))
        _quietly(lambda: client.update_voucher_program(traffic.org, program, {"ends_at": now + 25 * DAY}))
        for name, value in raised.items():
            if isinstance(value, int):
                _quietly(lambda n=name, v=value: client.update_voucher_program(traffic.org, program, {n: v - 10}))
        _quietly(lambda: client.update_voucher_program(traffic.org, program, {"ends_at": now + 21 * DAY}))
        _quietly(lambda: client.update_voucher_program(traffic.org, program, {"starts_at": now + DAY}))
        _quietly(lambda: client.update_voucher_program(traffic.org, program, {"vehicle_category_types": ["UBERX"]}))
    # Not started yet: everything may change.
    later = traffic.create()
    if later is None:
        return
    with traffic.client() as client:
        _quietly(lambda: client.update_voucher_program(traffic.org, later, {"value_per_trip_percentage": 60}))
        _quietly(lambda: client.update_voucher_program(traffic.org, later, {"value_per_trip_percentage": 55}))
        _quietly(lambda: client.update_voucher_program(traffic.org, later, {"starts_at": now + 2 * HOUR}))
    traffic.raw_update(traffic.fixtures["program_without_optional_values"], {"value_per_trip_deductible": 5})
    traffic.raw_update(traffic.fixtures["program_canceled"], {"name": "Renamed"})


def invalid_updates(traffic: Traffic) -> None:
    """Update requests a careless app might send, each breaking one rule (raw: the client refuses)."""
    program = traffic.fixtures["program_not_started_single_code"]
    for rule, name in (
        ("UPD-PERCENT-RANGE", "value_per_trip_percentage"),
        ("UPD-MAX-TRIPS-MAX", "value_per_period_max_trips"),
    ):
        for value in _edges(rule):
            traffic.raw_update(program, {name: value})
    for radius in _edges("UPD-LOCATION-RADIUS-MIN"):
        location = {"address": "1 Main St", "latitude": 1.0, "longitude": 1.0, "radius": radius}
        traffic.raw_update(program, {"trip_restriction_type": "PICKUP_ONLY", "pickup_locations": [location]})
    for schema, name in (
        ("TripRestrictionType", "trip_restriction_type"),
        ("ValueRecurrencePeriod", "value_recurrence_period"),
    ):
        for value in _near_misses(schema):
            traffic.raw_update(program, {name: value})
    for value in _near_misses("VehicleCategoryType"):
        traffic.raw_update(program, {"vehicle_category_types": [value]})
    for zone in ("Europe/Pari", "europe/paris", "Mars/Olympus"):
        traffic.raw_update(program, {"timezone": zone})
    traffic.raw_update(program, {"trip_restriction_type": "PICKUP_ONLY"})
    traffic.raw_update(program, {"pickup_locations": [{"address": "1 Main St", "radius": 100}]})
    traffic.raw_update(program, {"name": None})
    traffic.raw_update(program, [])
    traffic.http.patch(
        traffic.path(program), content=b"{not json", headers={**traffic.headers(), "Content-Type": "application/json"}
    )
    traffic.raw_update("a1000000-0000-4000-8000-00000000ffff", {"name": "Nobody"})
    traffic.http.get(f"{traffic.path(program)}/guests")  # no token


def invalid_creates(traffic: Traffic) -> None:
    """Create requests just past each documented limit, and a few valid ones at the edges."""
    now = now_ms()
    early = window(RULES["CRT-STARTS-NOT-TOO-EARLY"], now)
    late = window(RULES["CRT-STARTS-NOT-TOO-LATE"], now)
    ends = window(RULES["CRT-ENDS-NOT-TOO-LATE"], now)
    bodies = [
        traffic.create_body(starts_at=early.too_early(), ends_at=now + 7 * DAY),
        traffic.create_body(starts_at=early.too_early(MARGIN_MS), ends_at=now + 7 * DAY),
        traffic.create_body(starts_at=late.too_late(MARGIN_MS), ends_at=late.too_late(MARGIN_MS) + DAY),
        traffic.create_body(ends_at=ends.too_late(MARGIN_MS)),
        traffic.create_body(starts_at=now + 2 * DAY, ends_at=now + 2 * DAY),
        traffic.create_body(starts_at=now + 2 * DAY, ends_at=now + 2 * DAY - HOUR),
        traffic.create_body(email_address=None),
        traffic.create_body(email_address="judge.example.com"),
        traffic.create_body(mobile_number="5551234567"),
        traffic.create_body(display_timezone="Europe/Pari"),
        traffic.create_body(name="Another Name"),
        traffic.create_body(
            template_uuid=traffic.fixtures["template_inactive"],
            program_uuid=traffic.fixtures["template_inactive_program_uuid"],
            name=traffic.fixtures["template_inactive_name"],
        ),
        # Inside the windows by the tolerance and a margin: valid.
        traffic.create_body(starts_at=early.early_inside(MARGIN_MS), ends_at=now + 7 * DAY),
        traffic.create_body(starts_at=now + DAY, ends_at=ends.late_inside(MARGIN_MS)),
        traffic.create_body(display_timezone="Europe/Paris", mobile_number="+15551234567"),
    ]
    bodies += [traffic.create_body(owner_type=value) for value in _near_misses("OwnerType")]
    for body in bodies:
        traffic.raw_create(body)


SCENARIOS: dict[str, Callable[[Traffic], None]] = {
    "paging": paging,
    "codes": codes,
    "lifecycle": lifecycle,
    "invalid-updates": invalid_updates,
    "invalid-creates": invalid_creates,
}


def run_all(traffic: Traffic) -> None:
    for scenario in SCENARIOS.values():
        scenario(traffic)
