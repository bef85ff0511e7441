"""The control plane against bad input: every body field of every control operation with values
of the wrong type and just past its bounds (cases generated from ``emulator-control.yaml``),
malformed bodies and query strings, the seeds and values that once gave 500s, and the control
token. Each is a 4xx with a documented ``code``, and the vendor's operations work afterwards."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.contract.serving import serving
from tests.emulator.conftest import DEMO, FIXTURES, Api, create_body
from u4b_vouchers.client import SyncASGITransport
from u4b_vouchers.emulator import Emulator
from u4b_vouchers.spec import Spec, load_spec, openapi_dir

CONTROL = load_spec(openapi_dir() / "emulator-control.yaml")
PROGRAM = FIXTURES["program_started_multi_code"]
NOT_STARTED = FIXTURES["program_not_started_multi_code"]
#: One value of each JSON type.
SAMPLES: dict[str, Any] = {
    "string": "x",
    "integer": 7,
    "number": 1.5,
    "boolean": True,
    "null": None,
    "array": [[]],
    "object": {"a": {}},
}


def documented_codes(spec: Spec) -> set[str]:
    """Every ``code`` the control description's error examples show."""
    codes = set()
    for response in spec.data["components"]["responses"].values():
        for example in response.get("content", {}).get("application/json", {}).get("examples", {}).values():
            value = example.get("value")
            if isinstance(value, dict) and "code" in value:
                codes.add(value["code"])
    return codes


CODES = documented_codes(CONTROL)


#: The clock action each ``ClockMove`` field belongs to.
CLOCK_ACTIONS = {"at_ms": "freeze", "now_ms": "set", "by_ms": "advance"}


def json_body_operations() -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """(method, path, operationId, body schema) of every operation with a JSON body."""
    for path, item in CONTROL.data["paths"].items():
        for method, operation in item.items():
            schema = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if schema is None:
                continue
            yield method.upper(), path, operation["operationId"], CONTROL.deref(schema)


def concrete(path: str, field: str) -> str:
    return path.replace("{action}", CLOCK_ACTIONS.get(field, "advance"))


def wrong_types(schema: dict[str, Any]) -> list[Any]:
    schema = CONTROL.deref(schema)
    if "enum" in schema:
        return [v for v in SAMPLES.values() if v not in schema["enum"]]
    if "oneOf" in schema:
        branches = [CONTROL.deref(branch) for branch in schema["oneOf"]]
        return [v for v in SAMPLES.values() if all(_type_refuses(branch, v) for branch in branches)]
    return [v for v in SAMPLES.values() if _type_refuses(schema, v)]


def _type_refuses(schema: dict[str, Any], value: Any) -> bool:
    declared = schema.get("type")
    if declared is None:
        return False
    types = {declared} if isinstance(declared, str) else set(declared)
    actual = {
        bool: "boolean",
        int: "integer",
        float: "number",
        str: "string",
        list: "array",
        dict: "object",
        type(None): "null",
    }[type(value)]
    return actual not in types and not (actual == "integer" and "number" in types)


def past_bounds(schema: dict[str, Any]) -> list[Any]:
    schema = CONTROL.deref(schema)
    values: list[Any] = []
    if "minimum" in schema:
        values.append(schema["minimum"] - 1)
    if "maximum" in schema:
        values.append(schema["maximum"] + 1)
    if "maxLength" in schema:
        values.append("y" * (schema["maxLength"] + 1))
    if "maxItems" in schema:
        values.append(["y"] * (schema["maxItems"] + 1))
    if schema.get("type") == "integer":
        values += [1.0, -0.0, 2**64]
    return values


def at_bounds(schema: dict[str, Any]) -> list[Any]:
    schema = CONTROL.deref(schema)
    return [schema[key] for key in ("minimum", "maximum") if key in schema]


def field_cases() -> Iterator[Any]:
    for method, path, operation_id, schema in json_body_operations():
        if operation_id == "loadSeed":
            continue  # seeds: their own cases below
        whole = concrete(path, "")
        yield pytest.param(method, whole, {"not_a_field": 1}, id=f"{operation_id}-unknown-field")
        yield pytest.param(method, whole, [[]], id=f"{operation_id}-array-body")
        yield pytest.param(method, whole, "x", id=f"{operation_id}-string-body")
        for name, field in schema.get("properties", {}).items():
            url = concrete(path, name)
            for i, value in enumerate(wrong_types(field)):
                yield pytest.param(method, url, {name: value}, id=f"{operation_id}-{name}-type{i}")
            for i, value in enumerate(past_bounds(field)):
                yield pytest.param(method, url, {name: value}, id=f"{operation_id}-{name}-past{i}")
            nested = CONTROL.deref(field)
            if nested.get("type") == "array":
                for i, value in enumerate(wrong_types(nested["items"]) + past_bounds(nested["items"])):
                    yield pytest.param(method, url, {name: [value]}, id=f"{operation_id}-{name}-item{i}")
            if nested.get("type") == "object" and "additionalProperties" in nested:
                for i, value in enumerate(wrong_types(nested["additionalProperties"])):
                    yield pytest.param(
                        method, url, {name: {"page-tokens": value}}, id=f"{operation_id}-{name}-value{i}"
                    )


def bound_cases() -> Iterator[Any]:
    for method, path, operation_id, schema in json_body_operations():
        for name, field in schema.get("properties", {}).items():
            if name == "by_ms":
                continue  # how far the clock may move depends on where it is
            for i, value in enumerate(at_bounds(field)):
                body = {name: value, **({"kind": "error"} if operation_id == "addFault" and name != "kind" else {})}
                yield pytest.param(method, concrete(path, name), body, id=f"{operation_id}-{name}-bound{i}")


@pytest.fixture(scope="module")
def shared() -> Iterator[Api]:
    emulator = Emulator(spec=load_spec(), seed=DEMO)
    api = Api(emulator)
    with api.http:
        yield api
    emulator.close()


def assert_refused(response: httpx.Response, status: int = 400) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] in CODES, body
    assert "\n" not in body["message"]
    assert "Traceback" not in body["message"]


def assert_vendor_works(api: Api) -> None:
    """A normal Generate, Create and Update still succeed."""
    generated = api.generate(PROGRAM, {"number_of_codes": 1})
    assert generated.status_code == 200, generated.text
    created = api.create(create_body(api))
    assert created.status_code == 200, created.text
    updated = api.update(PROGRAM, {"name": "Still fine"})
    assert updated.status_code == 204, updated.text


def test_the_cases_come_from_the_description() -> None:
    assert {"invalid_request", "resource_not_found", "unauthorized"} <= CODES
    operations = {operation_id for _, _, operation_id, _ in json_body_operations()}
    assert operations == {"loadSeed", "moveClock", "addFault", "setFlags", "setReadings", "updateSettings"}
    assert len(list(field_cases())) > 100


@pytest.mark.parametrize(("method", "path", "body"), list(field_cases()))
def test_a_wrong_field_is_refused_and_changes_nothing(shared: Api, method: str, path: str, body: Any) -> None:
    before = shared.http.get("/__emulator/settings").json(), shared.http.get("/__emulator/clock").json()["offset_ms"]
    assert_refused(shared.http.request(method, path, content=json.dumps(body)))
    after = shared.http.get("/__emulator/settings").json(), shared.http.get("/__emulator/clock").json()["offset_ms"]
    assert after[0] == before[0]
    assert abs(after[1] - before[1]) < 60_000
    assert_vendor_works(shared)


@pytest.mark.parametrize(("method", "path", "body"), list(bound_cases()))
def test_a_value_at_its_bound_is_taken(shared: Api, method: str, path: str, body: Any) -> None:
    response = shared.http.request(method, path, content=json.dumps(body))
    assert response.status_code == 200, response.text
    assert shared.http.post("/__emulator/reset").status_code == 204
    shared.forget_tokens()
    assert_vendor_works(shared)


RAW_CASES = [
    # The failures of issue 11, one by one.
    ("PATCH", "/__emulator/settings", b'{"max_body_bytes": "x"}'),
    ("PATCH", "/__emulator/settings", b'{"token_ttl_seconds": "x"}'),
    ("PATCH", "/__emulator/settings", b'{"client_credentials_tokens_per_hour": []}'),
    ("PATCH", "/__emulator/settings", b'{"code_generation_ms_per_code": "fast"}'),
    ("PATCH", "/__emulator/settings", b'{"code_generation_ms_per_code": 1e400}'),
    ("PATCH", "/__emulator/settings", b'{"max_body_bytes": -1}'),
    ("PATCH", "/__emulator/settings", b'{"token_ttl_seconds": 0}'),
    ("POST", "/__emulator/clock/set", b'{"now_ms": 10000000000000000000}'),
    ("POST", "/__emulator/clock/freeze", b'{"at_ms": 9.9e18}'),
    ("POST", "/__emulator/clock/advance", b'{"by_ms": 253402300799999}'),
    ("POST", "/__emulator/clock/advance", b'{"by_ms": -253402300799999}'),
    ("POST", "/__emulator/clock/advance", b'{"by_ms": 1.5}'),
    ("POST", "/__emulator/clock/set", b'{"now_ms": -0.0}'),
    ("POST", "/__emulator/clock/set", b'{"by_ms": 5}'),
    ("POST", "/__emulator/clock/unfreeze", b'{"at_ms": 5}'),
    ("POST", "/__emulator/faults", b'{"kind": "error", "count": 1e400}'),
    ("POST", "/__emulator/faults", b'{"kind": "error", "count": 18446744073709551616}'),
    ("POST", "/__emulator/faults", b"{}"),
    ("PUT", "/__emulator/flags", b"[[]]"),
    ("PUT", "/__emulator/flags", b'{"disabled_rules": [[]]}'),
    ("PUT", "/__emulator/flags", b'{"fault_flags": "paging-overlaps"}'),
    ("PUT", "/__emulator/readings", b'{"readings": {"page-size-cap": "\\u00b2"}}'),
    ("PUT", "/__emulator/readings", b'{"readings": {"page-size-cap": "10000000000000000000000000000"}}'),
    ("PUT", "/__emulator/readings", b'{"readings": {"page-size-cap": 10000000000000000000000000000}}'),
    ("PUT", "/__emulator/readings", b'{"readings": ["page-tokens"]}'),
    # Malformed bodies.
    ("PATCH", "/__emulator/settings", b"{"),
    ("PATCH", "/__emulator/settings", b'{"max_body_bytes": NaN}'),
    ("PATCH", "/__emulator/settings", b'{"max_body_bytes": Infinity}'),
    ("PATCH", "/__emulator/settings", b"\xff\xfe{}"),
    ("PATCH", "/__emulator/settings", b"[" * 10_000),
    ("POST", "/__emulator/faults", b"null"),
    ("POST", "/__emulator/faults", b'{"kind": "error", "operation": ""}'),
]


@pytest.mark.parametrize(
    ("method", "path", "raw"), RAW_CASES, ids=[f"{m}-{p}-{i}" for i, (m, p, _) in enumerate(RAW_CASES)]
)
def test_known_bad_bodies_are_400s(shared: Api, method: str, path: str, raw: bytes) -> None:
    assert_refused(shared.http.request(method, path, content=raw, headers={"content-type": "application/json"}))
    assert_vendor_works(shared)


QUERY_CASES = [
    "/__emulator/requests?limit=%C2%B2",
    "/__emulator/requests?limit=10000000000000000000000000000",
    "/__emulator/requests?limit=-1",
    "/__emulator/requests?limit=10001",
    "/__emulator/requests?limit=1.5",
    "/__emulator/requests?limit=",
    f"/__emulator/programs/{PROGRAM}/codes?limit=%C2%B2",
    f"/__emulator/programs/{PROGRAM}/codes?limit=10000000000000000000000000000",
    f"/__emulator/programs/{PROGRAM}/codes?limit=100001",
    f"/__emulator/programs/{PROGRAM}/codes?after=10000000000000000000000000000",
    f"/__emulator/programs/{PROGRAM}/codes?after=9007199254740992",
    f"/__emulator/programs/{PROGRAM}/codes?after=%00",
]


@pytest.mark.parametrize("url", QUERY_CASES)
def test_bad_query_numbers_are_400s(shared: Api, url: str) -> None:
    assert_refused(shared.http.get(url))


def test_query_numbers_at_their_bounds(shared: Api) -> None:
    assert shared.http.get("/__emulator/requests?limit=10000").status_code == 200
    page = shared.http.get(f"/__emulator/programs/{PROGRAM}/codes?limit=100000&after=9007199254740991")
    assert (page.status_code, page.json()) == (200, {"codes": []})


@pytest.mark.parametrize(
    "program_id",
    ["nope", "%00", "a" * 5000, "..%2F..%2Fetc%2Fpasswd", "%F0%9F%92%A5", "'; DROP TABLE programs; --"],
)
def test_odd_program_ids_are_404s(shared: Api, program_id: str) -> None:
    for method, suffix in (("GET", ""), ("POST", "/cancel"), ("GET", "/codes")):
        response = shared.http.request(method, f"/__emulator/programs/{program_id}{suffix}")
        assert response.status_code == 404, response.text
        assert response.json()["code"] in CODES | {"not_found"}


def test_an_unknown_clock_action_is_a_404(shared: Api) -> None:
    assert_refused(shared.http.post("/__emulator/clock/rewind", json={}), 404)


def one_program(fields: bytes) -> bytes:
    return b"programs: [{id: p, org_id: o, code_scheme: MULTI_CODE_SINGLE_REDEEM, " + fields + b"}]"


SEED_CASES = [
    one_program(b"starts_at: now, ends_at: now+P1D, codes: 100000000000"),
    one_program(b"starts_at: now, ends_at: now+P1D, generated_guests: 1000001"),
    one_program(b"starts_at: now, ends_at: now+P1D, codes: x"),
    one_program(b"starts_at: [1], ends_at: now"),
    one_program(b"starts_at: now+P99999999Y, ends_at: now"),
    one_program(b"starts_at: .inf, ends_at: now"),
    one_program(b"starts_at: 1, ends_at: 2, guests: [{usage_count: x}]"),
    one_program(b"starts_at: 1, ends_at: 2, guests: [7]"),
    b"programs: {id: p}",
    b"organizations: [1]",
    b"organizations: [{id: [1]}]",
    b"clients: [{id: c, secret: 5, scopes: []}]",
    b"tokens: [{token: t, client_id: ghost, grant: client_credentials, scopes: []}]",
    b"tokens: [{token: t, client_id: c, grant: g, scopes: [], expires_at: {a: 1}}]",
    b"templates: [{id: t}]",
    b"colour: blue",
    b"a: &a [1, 1]\nb: &b [*a, *a]\nc: [*b, *b]\n",
    b"\xff\xfe",
    b"{:",
    b"[" * 100_000,
    b"",
    json.dumps(
        {
            "programs": [
                {
                    "id": "p",
                    "org_id": "o",
                    "code_scheme": "MULTI_CODE_SINGLE_REDEEM",
                    "starts_at": 1,
                    "ends_at": 2,
                    "generated_guests": 1_000_000,
                }
            ]
            * 3
        }
    ).encode(),
]


@pytest.mark.parametrize("raw", SEED_CASES, ids=[f"seed{i}" for i in range(len(SEED_CASES))])
def test_a_bad_seed_is_refused_and_changes_nothing(shared: Api, raw: bytes) -> None:
    before = shared.http.get(f"/__emulator/programs/{PROGRAM}").json()
    assert_refused(shared.http.put("/__emulator/seed", content=raw))
    assert shared.http.get(f"/__emulator/programs/{PROGRAM}").json() == before
    assert shared.http.post("/__emulator/reset").status_code == 204  # the seed reset reloads is the old one
    shared.forget_tokens()
    assert shared.http.get(f"/__emulator/programs/{PROGRAM}").status_code == 200
    assert_vendor_works(shared)


def test_a_wrong_setting_no_longer_breaks_the_operations(shared: Api) -> None:
    # Issue 11: {"max_body_bytes": "x"} was taken, then every Generate, Create and Update was a 500.
    assert_refused(shared.http.patch("/__emulator/settings", json={"max_body_bytes": "x"}))
    assert shared.http.get("/__emulator/settings").json()["max_body_bytes"] == 1_048_576
    assert_vendor_works(shared)


def test_a_tiny_body_limit_does_not_lock_out_the_control_plane(shared: Api) -> None:
    assert shared.http.patch("/__emulator/settings", json={"max_body_bytes": 1}).status_code == 200
    assert shared.update(PROGRAM, {"name": "x"}).status_code == 400
    restored = shared.http.patch("/__emulator/settings", json={"max_body_bytes": 1_048_576})
    assert restored.status_code == 200, restored.text
    assert_vendor_works(shared)


def test_a_float_count_is_not_an_integer(shared: Api) -> None:
    assert_refused(shared.http.post("/__emulator/faults", json={"kind": "error", "count": 2.0}))
    assert shared.http.get("/__emulator/faults").json() == {"faults": []}


# ------------------------------------------------------------------ the control token


@pytest.fixture
def guarded(shared_spec: Spec) -> Iterator[httpx.Client]:
    emulator = Emulator(spec=shared_spec, seed=DEMO, control_token="s3cret-control")
    with httpx.Client(transport=SyncASGITransport(emulator.app), base_url="http://emulator.test") as http:
        yield http
    emulator.close()


@pytest.fixture(scope="module")
def shared_spec() -> Spec:
    return load_spec()


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Bearer wrong",
        "Basic czNjcmV0LWNvbnRyb2w=",
        "Bearer s3cret-control2",
        "s3cret-control",
    ],
)
def test_with_a_control_token_every_control_route_needs_it(guarded: httpx.Client, authorization: str | None) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    for path, item in CONTROL.data["paths"].items():
        for method in item:
            url = path.replace("{action}", "freeze").replace("{program_id}", PROGRAM)
            response = guarded.request(method.upper(), url, headers=headers, json={})
            assert response.status_code == 401, (method, url, response.text)
            assert response.json()["code"] == "unauthorized"
    assert (
        guarded.get(f"/__emulator/programs/{PROGRAM}", headers={"Authorization": "Bearer s3cret-control"}).json()[
            "status"
        ]
        == "active"
    )  # nothing was canceled or reset


def test_the_right_control_token_opens_it(guarded: httpx.Client) -> None:
    headers = {"Authorization": "Bearer s3cret-control"}
    assert guarded.get("/__emulator/health", headers=headers).json() == {"status": "ok"}
    assert guarded.post("/__emulator/clock/advance", headers=headers, json={"by_ms": 5}).status_code == 200
    token = guarded.post(
        "/oauth/v2/token",
        data={
            "client_id": "demo-first-party",
            "client_secret": "demo-first-party-secret",
            "grant_type": "client_credentials",
        },
    )
    assert token.status_code == 200  # the vendor's own paths do not need it


# ------------------------------------------------------------------ over HTTP


def test_over_http_bad_control_requests_are_400s_and_the_server_stays_up(tmp_path: Path) -> None:
    with serving(tmp_path, control=True) as profile:
        base = profile.base_url
        with httpx.Client(base_url=base, timeout=10) as http:
            for method, path, raw in RAW_CASES[:20]:
                response = http.request(method, path, content=raw, headers={"content-type": "application/json"})
                assert response.status_code == 400, (path, raw, response.text)
                assert response.json()["code"] == "invalid_request"
            for url in QUERY_CASES:
                assert http.get(url).status_code == 400, url
            seeded = http.put("/__emulator/seed", content=SEED_CASES[0])
            assert seeded.status_code == 400
            assert "codes" in seeded.json()["message"]
            assert http.get("/__emulator/health").json() == {"status": "ok"}
            first = profile.identity("first_party")
            assert first is not None
            token = http.post(
                "/oauth/v2/token",
                data={
                    "client_id": first.client_id,
                    "client_secret": first.client_secret,
                    "grant_type": "client_credentials",
                },
            ).json()["access_token"]
            url = f"/v1/organizations/{profile.organization_id}/voucher-programs/{NOT_STARTED}/codes/generate"
            generated = http.post(url, json={"number_of_codes": 1}, headers={"Authorization": f"Bearer {token}"})
            assert generated.status_code == 200, generated.text
