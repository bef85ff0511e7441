"""Each fault flag changes what the emulator answers, through its app: the request a flag lets
through is refused without it, and the drift goes no further than the flag says.

The lists of ``edge-*`` and ``near-miss-*`` flags are kept complete against the description:
every bound and enum of a request schema has its flag, naming the rule that states it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests.emulator.conftest import DEMO, FIXTURES, Api, assert_error, create_body
from u4b_vouchers.emulator import FAULT_FLAGS, Emulator, Fault
from u4b_vouchers.spec import Spec, load_spec, parse_rules

SPEC = load_spec()
RULES = parse_rules(SPEC.data)
STARTED = FIXTURES["program_started_multi_code"]
NOT_STARTED = FIXTURES["program_not_started_multi_code"]
MANY = FIXTURES["program_with_many_guests"]
BOUNDS = {"minimum": "min", "maximum": "max", "exclusiveMinimum": "min", "exclusiveMaximum": "max"}


def flagged(shared_spec: Spec, *flags: str, **readings: str) -> Iterator[Api]:
    emulator = Emulator(spec=shared_spec, seed=DEMO, readings=readings)
    emulator.set_switches(fault_flags=flags)
    api = Api(emulator)
    with api.http:
        yield api
    emulator.close()


@pytest.fixture
def make(shared_spec: Spec) -> Iterator[Callable[..., Api]]:
    """``make(*flags, **readings)``: a fresh emulator's Api under those flags and readings."""
    opened: list[Iterator[Api]] = []

    def factory(*flags: str, **readings: str) -> Api:
        generator = flagged(shared_spec, *flags, **readings)
        opened.append(generator)
        return next(generator)

    yield factory
    for generator in opened:
        generator.close()


# ------------------------------------------------------------------ the description's bounds and enums


def _resolve(node: Any, pointer: str) -> tuple[Any, str]:
    """Follow local ``$ref``s, keeping the pointer of where the schema really is."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
        pointer = node["$ref"][1:]
        node = SPEC.deref(node)
    return node, pointer


def _request_fields() -> Iterator[tuple[str, dict[str, Any], str]]:
    """(field name, schema, pointer of the schema) for every property of every request body,
    through nested objects and array items (not through conditionals)."""
    seen: set[str] = set()

    def walk(name: str, node: Any, pointer: str) -> Iterator[tuple[str, dict[str, Any], str]]:
        schema, pointer = _resolve(node, pointer)
        if not isinstance(schema, dict) or pointer in seen:
            return
        seen.add(pointer)
        yield name, schema, pointer
        for prop, sub in (schema.get("properties") or {}).items():
            yield from walk(prop, sub, f"{pointer}/properties/{prop}")
        if "items" in schema:
            yield from walk(name, schema["items"], f"{pointer}/items")

    for op in SPEC.operations():
        body = SPEC.deref(op.raw.get("requestBody") or {})
        for content in (body.get("content") or {}).values():
            yield from walk("body", content.get("schema"), "")


def _rule_at(*pointers: str) -> str:
    found = [rule.id for rule in RULES if rule.pointer and rule.pointer.lstrip("#") in pointers]
    assert len(found) == 1, (pointers, found)
    return found[0]


def _kebab(name: str) -> str:
    return name.replace("_", "-")


def test_every_request_bound_has_an_edge_flag_naming_its_rule() -> None:
    expected = {}
    for name, schema, pointer in _request_fields():
        for keyword, side in BOUNDS.items():
            if keyword in schema:
                expected[f"edge-{_kebab(name)}-{side}"] = _rule_at(pointer, f"{pointer}/{keyword}")
    assert len(expected) >= 5
    actual = {name: flag.expected for name, flag in FAULT_FLAGS.items() if name.startswith("edge-")}
    assert actual == expected
    assert all("schema" in FAULT_FLAGS[name].hooks for name in actual)


def test_every_request_enum_has_a_near_miss_flag_naming_its_rule() -> None:
    expected = {}
    for name, schema, pointer in _request_fields():
        if "enum" in schema:
            expected[f"near-miss-{_kebab(name)}"] = _rule_at(f"{pointer}/enum")
    assert len(expected) >= 4
    actual = {name: flag.expected for name, flag in FAULT_FLAGS.items() if name.startswith("near-miss-")}
    assert actual == expected


def test_severities() -> None:
    assert {flag.severity for flag in FAULT_FLAGS.values()} == {"failure", "warning"}
    warnings = {name for name, flag in FAULT_FLAGS.items() if flag.severity == "warning"}
    assert {"update-200-with-body", "accept-nonpositive-count"} <= warnings
    assert FAULT_FLAGS["limit-ignored"].severity == "failure"
    assert "rate-limit-without-retry-after" not in FAULT_FLAGS  # D-019: Retry-After is optional


# ------------------------------------------------------------------ edge-*


def _location(radius: int) -> dict[str, Any]:
    return {"trip_restriction_type": "PICKUP_ONLY", "pickup_locations": [{"address": "1 Main St", "radius": radius}]}


#: flag → (request with the value one past the edge, the same two past it, the rule).
EDGES: dict[str, tuple[Callable[[Api], httpx.Response], Callable[[Api], httpx.Response], str]] = {
    "edge-radius-min": (
        lambda api: api.update(NOT_STARTED, _location(19)),
        lambda api: api.update(NOT_STARTED, _location(18)),
        "UPD-LOCATION-RADIUS-MIN",
    ),
    "edge-value-per-trip-percentage-min": (
        lambda api: api.update(NOT_STARTED, {"value_per_trip_percentage": 4}),
        lambda api: api.update(NOT_STARTED, {"value_per_trip_percentage": 3}),
        "UPD-PERCENT-RANGE",
    ),
    "edge-value-per-trip-percentage-max": (
        lambda api: api.update(NOT_STARTED, {"value_per_trip_percentage": 100}),
        lambda api: api.update(NOT_STARTED, {"value_per_trip_percentage": 101}),
        "UPD-PERCENT-RANGE",
    ),
    "edge-value-per-period-max-trips-max": (
        lambda api: api.update(NOT_STARTED, {"value_per_period_max_trips": 1000}),
        lambda api: api.update(NOT_STARTED, {"value_per_period_max_trips": 1001}),
        "UPD-MAX-TRIPS-MAX",
    ),
    "edge-number-of-codes-max": (
        lambda api: api.generate(STARTED, {"number_of_codes": 30_001}),
        lambda api: api.generate(STARTED, {"number_of_codes": 30_002}),
        "GEN-COUNT-MAX",
    ),
}


def test_every_edge_flag_has_a_case() -> None:
    assert set(EDGES) == {name for name in FAULT_FLAGS if name.startswith("edge-")}


@pytest.mark.parametrize("name", sorted(EDGES))
def test_an_edge_flag_accepts_the_value_one_past_its_edge_and_no_further(make: Callable[..., Api], name: str) -> None:
    one_past, two_past, rule = EDGES[name]
    assert_error(one_past(make()), 400, "invalid_request", rule)
    api = make(name)
    response = one_past(api)
    assert response.status_code in (200, 204), response.text
    assert_error(two_past(api), 400, "invalid_request", rule)
    assert api.guests(STARTED, limit=1).status_code == 200


def test_edge_radius_min_keeps_the_location(make: Callable[..., Api]) -> None:
    api = make("edge-radius-min")
    assert api.update(NOT_STARTED, _location(19)).status_code == 204
    assert api.program(NOT_STARTED)["pickup_locations"][0]["radius"] == 19


def test_edge_number_of_codes_max_generates_them(make: Callable[..., Api]) -> None:
    api = make("edge-number-of-codes-max")
    before = api.program(STARTED)["code_count"]
    assert api.generate(STARTED, {"number_of_codes": 30_001}).status_code == 200
    assert api.program(STARTED)["code_count"] == before + 30_001


# ------------------------------------------------------------------ near-miss-*

#: flag → (field, the documented values, a sibling the flag takes, a request sending a value).
NEAR_MISSES: dict[str, tuple[str, str, Callable[[Api, str], httpx.Response]]] = {
    "near-miss-owner-type": ("ORGANIZATION", "PERSONAL", lambda api, v: api.create(create_body(api, owner_type=v))),
    "near-miss-trip-restriction-type": (
        "PICKUP_ONLY",
        "NONE",
        lambda api, v: api.update(
            NOT_STARTED, {"trip_restriction_type": v, "pickup_locations": [{"address": "1 Main St"}]}
        ),
    ),
    "near-miss-value-recurrence-period": (
        "DAILY",
        "WEEKLY",
        lambda api, v: api.update(NOT_STARTED, {"value_recurrence_period": v}),
    ),
    "near-miss-vehicle-category-types": (
        "ECONOMY",
        "COMFORT",
        lambda api, v: api.update(NOT_STARTED, {"vehicle_category_types": ["PREMIUM", v]}),
    ),
}


def test_every_near_miss_flag_has_a_case() -> None:
    assert set(NEAR_MISSES) == {name for name in FAULT_FLAGS if name.startswith("near-miss-")}


@pytest.mark.parametrize("name", sorted(NEAR_MISSES))
def test_a_near_miss_flag_takes_other_cases_and_a_sibling_and_nothing_else(make: Callable[..., Api], name: str) -> None:
    value, sibling, send = NEAR_MISSES[name]
    rule = FAULT_FLAGS[name].expected
    near = [value.lower(), value.title(), sibling]
    correct = make()
    for miss in near:
        assert_error(send(correct, miss), 400, "invalid_request", rule)
    api = make(name)
    assert send(api, value).status_code in (200, 204)
    for miss in near:
        response = send(api, miss)
        assert response.status_code in (200, 204), (miss, response.text)
    assert_error(send(api, "BANANA"), 400, "invalid_request", rule)


@pytest.mark.parametrize("name", sorted(NEAR_MISSES))
def test_a_stored_near_miss_breaks_nothing_later(make: Callable[..., Api], name: str) -> None:
    """The domain takes the stored value as it is: later listings and updates still work."""
    value, sibling, send = NEAR_MISSES[name]
    api = make(name)
    response = send(api, sibling)
    assert response.status_code in (200, 204), response.text
    program = response.json()["campaign_uuid"] if response.status_code == 200 else NOT_STARTED
    page = api.guests(program, limit=5)
    assert page.status_code == 200, page.text
    assert api.update(program, {"expense_memo": "after a near miss"}).status_code == 204
    assert send(api, value.lower()).status_code in (200, 204)
    assert api.program(program)["expense_memo"] == "after a near miss"


# ------------------------------------------------------------------ the others


def test_update_200_with_body(make: Callable[..., Api]) -> None:
    correct = make().update(NOT_STARTED, {"expense_memo": "x"})
    assert (correct.status_code, correct.content) == (204, b"")
    api = make("update-200-with-body")
    response = api.update(NOT_STARTED, {"expense_memo": "y"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert isinstance(response.json(), dict)
    assert response.json()
    assert api.program(NOT_STARTED)["expense_memo"] == "y"  # the update is kept
    assert_error(api.update(NOT_STARTED, {"value_per_trip_percentage": 1}), 400, "invalid_request")


@pytest.mark.parametrize("readings", [{}, {"page-size-cap": "5"}, {"page-size-above-cap": "refuse"}])
def test_limit_ignored_serves_every_guest_on_one_page(make: Callable[..., Api], readings: dict[str, str]) -> None:
    correct = make(**readings).guests(MANY, limit=7).json()
    assert len(correct["guests"]) in (5, 7)
    assert "next_token" in correct
    api = make("limit-ignored", **readings)
    for params in ({"limit": 7}, {"limit": 2000}, {}):
        page = api.guests(MANY, **params)
        assert page.status_code == 200, page.text
        assert len(page.json()["guests"]) == 250  # the demo program's every guest
        assert "next_token" not in page.json()


def test_accept_nonpositive_count(make: Callable[..., Api]) -> None:
    assert_error(make().generate(STARTED, {"number_of_codes": 0}), 400, "invalid_request", "GEN-COUNT-POSITIVE")
    api = make("accept-nonpositive-count")
    before = api.program(STARTED)["code_count"]
    for count in (0, -1, -30):
        assert api.generate(STARTED, {"number_of_codes": count}).status_code == 200
    assert api.program(STARTED)["code_count"] == before  # nothing generated
    assert_error(api.generate(STARTED, {"number_of_codes": 30_001}), 400, "invalid_request", "GEN-COUNT-MAX")


@pytest.mark.parametrize("retry_after", ["seconds", "http-date", "omitted"])
def test_rate_limit_bad_retry_after(make: Callable[..., Api], retry_after: str) -> None:
    def limited(api: Api) -> httpx.Response:
        api.emulator.faults.add(Fault(operation="*", kind="rate-limit", remaining=1, retry_after=30))
        response = api.guests(STARTED)
        assert response.status_code == 429
        return response

    correct = limited(make(**{"retry-after": retry_after})).headers.get("retry-after")
    assert correct != "soon"
    response = limited(make("rate-limit-bad-retry-after", **{"retry-after": retry_after}))
    assert response.headers.get_list("retry-after") == ["soon"]
    assert response.json()["code"] == "rate_limit_exceeded"
