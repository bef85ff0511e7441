"""Malformed requests to every operation and the token endpoint: each gets a status its operation
documents and a JSON body with a code documented for that status; never a 5xx or a traceback,
and nothing of a refused request is stored.

The corpus is generated from the description (operations, request schemas, documented
responses) and run in process; a representative part runs again over real HTTP.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.contract.serving import serving
from tests.emulator.conftest import (
    DEMO,
    FIXTURES,
    Api,
    create_body_at,
    create_path,
    program_path,
    request_token,
)
from u4b_vouchers.emulator import Emulator, Settings
from u4b_vouchers.spec import Spec, load_spec

SPEC = load_spec()
SETTINGS = Settings()
GENERATE, CREATE, GUESTS, UPDATE = (
    "generateVoucherCodes",
    "createIndividualVoucherProgram",
    "getVoucherProgramGuestInfo",
    "updateVoucherProgram",
)
BODY_OPERATIONS = (GENERATE, CREATE, UPDATE)
PROGRAM = FIXTURES["program_not_started_single_code"]
MULTI = FIXTURES["program_not_started_multi_code"]
#: A Create far in the future of the emulated clock is still valid when the corpus runs.
NOW = 1_900_000_000_000
OAUTH_ERRORS = {
    "invalid_request",
    "invalid_client",
    "invalid_grant",
    "unauthorized_client",
    "unsupported_grant_type",
    "invalid_scope",
}


# ------------------------------------------------------------------ what the description documents


def documented(spec: Spec, operation_id: str) -> dict[int, set[str]]:
    """Status → the body codes its examples document, for one operation."""
    op = next(o for o in spec.operations() if o.operation_id == operation_id)
    out: dict[int, set[str]] = {}
    for status, response in (op.raw.get("responses") or {}).items():
        content = (spec.deref(response).get("content") or {}).get("application/json") or {}
        examples = (spec.deref(e).get("value") or {} for e in (content.get("examples") or {}).values())
        out[int(status)] = {str(v["code"]) for v in examples if isinstance(v, dict) and "code" in v}
    return out


DOCUMENTED = {op.operation_id: documented(SPEC, op.operation_id) for op in SPEC.operations()}


def body_schema(operation_id: str) -> dict[str, Any]:
    op = next(o for o in SPEC.operations() if o.operation_id == operation_id)
    content = SPEC.deref(op.raw["requestBody"])["content"]["application/json"]
    return dict(SPEC.deref(content["schema"]))


def field_types(schema: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, set[str]]]:
    """Every property (nested through arrays of objects) with the JSON types its schema allows."""
    for name, raw in (schema.get("properties") or {}).items():
        node = SPEC.deref(raw)
        kinds = node.get("type")
        allowed = {kinds} if isinstance(kinds, str) else set(kinds or [])
        yield f"{prefix}{name}", allowed
        items = SPEC.deref(node.get("items") or {})
        if "array" in allowed and items.get("type") == "object":
            yield from field_types(items, f"{prefix}{name}[0].")


#: A value of each JSON type, and the types it counts as.
SAMPLES: dict[str, tuple[Any, set[str]]] = {
    "null": (None, {"null"}),
    "boolean": (True, {"boolean"}),
    "integer": (7, {"integer", "number"}),
    "float": (1.5, {"number"}),
    "string": ("x", {"string"}),
    "array": ([], {"array"}),
    "object": ({}, {"object"}),
}


# ------------------------------------------------------------------ valid bodies to spoil


def valid_body(operation_id: str) -> dict[str, Any]:
    if operation_id == GENERATE:
        return {"number_of_codes": 1}
    if operation_id == CREATE:
        return create_body_at(NOW, display_timezone="UTC", memo="m", description="d", mobile_number="+14155550123")
    return {
        "name": "n",
        "trip_restriction_type": "PICKUP_ONLY",
        "pickup_locations": [{"address": "a", "latitude": 1.0, "longitude": 2.0, "radius": 25}],
        "dropoff_locations": [{"address": "a", "latitude": 1.0, "longitude": 2.0, "radius": 25}],
        "starts_at": NOW + 1_000,
        "ends_at": NOW + 2_000,
        "timezone": "UTC",
        "redemptions_per_code": 2,
        "expense_memo": "m",
        "value_recurrence_period": "SINGLE",
        "value_per_trip_max_amount": 10,
        "value_per_trip_deductible": 1,
        "value_per_trip_percentage": 50,
        "value_per_period_max_trips": 2,
        "value_per_period_max_credit": 10,
        "vehicle_category_types": ["ECONOMY"],
    }


def with_field(body: dict[str, Any], dotted: str, value: Any) -> dict[str, Any]:
    copy = json.loads(json.dumps(body))
    node = copy
    parts = dotted.split(".")
    for part in parts[:-1]:
        name, _, index = part.partition("[")
        node = node[name][int(index.rstrip("]"))] if index else node[name]
    node[parts[-1]] = value
    return copy


def integer_fields(operation_id: str) -> list[str]:
    return [name for name, kinds in field_types(body_schema(operation_id)) if kinds == {"integer"}]


def array_fields(operation_id: str) -> list[str]:
    return [name for name, kinds in field_types(body_schema(operation_id)) if "array" in kinds]


def string_fields(operation_id: str) -> list[str]:
    return [name for name, kinds in field_types(body_schema(operation_id)) if kinds == {"string"}]


# ------------------------------------------------------------------ the corpus


@dataclass
class Case:
    id: str
    operation: str
    content: bytes | None = None
    content_type: str | None = "application/json"
    headers: dict[str, Any] = field(default_factory=dict)
    path: str | None = None
    query: str = ""
    #: The one status expected, where the documents leave no choice.
    status: int | None = None


def raw(operation_id: str, text: str | bytes, case: str, **options: Any) -> Case:
    content = text.encode() if isinstance(text, str) else text
    return Case(f"{operation_id}-{case}", operation_id, content, **options)


def body_cases(op: str) -> Iterator[Case]:
    valid = valid_body(op)
    text = json.dumps(valid)
    first_int = next(name for name in integer_fields(op) if "." not in name)
    for name, malformed in {
        "truncated": text[:-1],
        "trailing-comma": text[:-1] + ",}",
        "empty": "",
        "whitespace": "  \n",
        "garbage": "not json",
        "single-quotes": text.replace('"', "'"),
        "bom": "\ufeff" + text,
        "nul-byte": text[:-1] + "\u0000}",
        "null": "null",
        "array": "[]",
        "string": '"x"',
        "number": "1",
    }.items():
        yield raw(op, malformed, f"invalid-json-{name}", status=400)
    for literal in ("NaN", "Infinity", "-Infinity", "1e400", "-1e400", str(2**64), str(2**53), str(-(2**53))):
        yield raw(op, text.replace(json.dumps(valid[first_int]), literal, 1), f"number-{literal}", status=400)
    for name in integer_fields(op):
        for number in ("1.0", "1.5", "-0.0", "1e3", "0.0", "1E0"):
            spoilt = json.dumps(with_field(valid, name, 0)).replace(
                f'"{name.split(".")[-1]}": 0', f'"{name.split(".")[-1]}": {number}', 1
            )
            yield raw(op, spoilt, f"float-{name}-{number}", status=400)
    for name, allowed in field_types(body_schema(op)):
        for kind, (value, counts_as) in SAMPLES.items():
            if not counts_as & allowed and not (kind == "float" and "integer" in allowed and "number" not in allowed):
                yield raw(op, json.dumps(with_field(valid, name, value)), f"type-{name}-{kind}", status=400)
    key = next(iter(valid))
    yield raw(op, text[:-1] + f', "{key}": {json.dumps(valid[key])}}}', "duplicate-key", status=400)
    yield raw(op, text[:-1] + ', "x": ' + "[" * 200 + "]" * 200 + "}", "deep-nesting", status=400)
    yield raw(op, text[:-1] + ', "x": ' + '{"a":' * 100 + "1" + "}" * 100 + "}", "deep-objects", status=400)
    yield raw(op, text[:-1] + ', "x": "\\ud800"}', "lone-surrogate-value", status=400)
    yield raw(op, text[:-1] + ', "\\udfff": 1}', "lone-surrogate-key", status=400)
    yield raw(op, text[:-1].encode() + b', "x": "\xed\xa0\x80"}', "surrogate-bytes", status=400)
    yield raw(op, text[:-1].encode() + b', "x": "\xff\xfe"}', "invalid-utf8", status=400)
    yield raw(op, text[:-1].encode() + b', "x": "\xc3"}', "truncated-utf8", status=400)
    yield raw(op, text.encode("utf-16"), "utf-16", status=400)
    for name in array_fields(op):
        item = [] if name != "vehicle_category_types" else "ECONOMY"
        over = with_field(valid, name, [item] * (SETTINGS.max_array_items + 1))
        yield raw(op, json.dumps(over), f"array-over-limit-{name}", status=400)
        huge = with_field(valid, name, [0] * 400_000)
        yield raw(op, json.dumps(huge, separators=(",", ":")), f"array-huge-{name}", status=400)
    for name in string_fields(op):
        over = with_field(valid, name, "x" * (SETTINGS.max_string_length + 1))
        yield raw(op, json.dumps(over), f"string-over-limit-{name}", status=400)
    yield raw(op, text[:-1] + ', "' + "k" * (SETTINGS.max_string_length + 1) + '": 1}', "key-over-limit", status=400)
    yield raw(op, text[:-1] + ', "x": [' + ",".join(["0"] * 300_000) + "]}", "undocumented-array-huge", status=400)
    yield raw(op, b"{" + b" " * (SETTINGS.max_body_bytes + 1) + b"}", "body-over-limit", status=400)
    for name, content_type in {
        "none": None,
        "text-plain": "text/plain",
        "multipart": "multipart/form-data; boundary=x",
        "form": "application/x-www-form-urlencoded",
        "xml": "application/xml",
    }.items():
        # Update reads JSON under another content type as "nothing" under one reading; the
        # default refuses it.
        yield raw(
            op,
            text.replace(json.dumps(valid[first_int]), "1.5", 1),
            f"content-type-{name}",
            content_type=content_type,
            status=400,
        )
    yield raw(
        op,
        text.replace(json.dumps(valid[first_int]), "1.5", 1),
        "content-type-latin-1",
        content_type="application/json; charset=latin-1",
        status=400,
    )


def path_cases(op: str) -> Iterator[Case]:
    """Odd program and organization ids: never found, never a 5xx."""
    content = json.dumps(valid_body(op)).encode() if op != GUESTS else None
    for name, program in {
        "long": "a" * 10_000,
        "unicode": "%C3%A9%E2%9C%93",
        "nul": "%00",
        "dots": "%2E%2E",
        "surrogate-escape": "%ED%A0%80",
        "bad-utf8": "%FF",
    }.items():
        if op == CREATE:
            yield Case(f"{op}-org-{name}", op, content, path=create_path(program))
            continue
        suffix = {GENERATE: "/codes/generate", GUESTS: "/guests", UPDATE: ""}[op]
        yield Case(f"{op}-program-{name}", op, content, path=program_path(program) + suffix, status=404)
        yield Case(f"{op}-org-{name}", op, content, path=program_path(PROGRAM, program) + suffix)


def query_cases() -> Iterator[Case]:
    for name, query in {
        "superscript-two": "limit=%C2%B2",
        "arabic-digit": "limit=%D9%A1",
        "underscore": "limit=1_0",
        "spaces": "limit=%201%20",
        "plus": "limit=+1",
        "float": "limit=1.0",
        "huge": "limit=" + "9" * 28,
        "int64-max-plus-one": f"limit={2**63}",
        "empty": "limit=",
        "hex": "limit=0x10",
        "nul": "limit=1%00",
        "page-token-garbage": "page_token=%FF%FE",
        "page-token-huge": "page_token=" + "A" * 10_000,
        "page-token-unicode": "page_token=%C3%A9",
    }.items():
        yield Case(f"{GUESTS}-query-{name}", GUESTS, query=query, status=400)
    for name, query in {"repeated": "limit=1&limit=2", "unknown": "x=1&y=%FF", "no-value": "limit"}.items():
        yield Case(f"{GUESTS}-query-{name}", GUESTS, query=query)


def auth_cases(op: str) -> Iterator[Case]:
    content = json.dumps(valid_body(op)).encode() if op != GUESTS else None
    for name, header in {
        "missing": None,
        "bearer-alone": b"Bearer",
        "bearer-space": b"Bearer ",
        "two-tokens": b"Bearer demo-delegated-access-token demo-delegated-access-token",
        "two-headers": [b"Bearer a", b"Bearer b"],
        "non-ascii": "Bearer d\u00e9mo".encode(),
        "raw-bytes": b"Bearer \xff\xfe",
        "ten-kb": b"Bearer " + b"A" * 10_240,
        "basic": b"Basic ZGVtbzpkZW1v",
        "nul": b"Bearer \x00",
    }.items():
        yield Case(f"{op}-auth-{name}", op, content, headers={"authorization": header}, status=401)


def corpus() -> list[Case]:
    cases: list[Case] = []
    for op in BODY_OPERATIONS:
        cases.extend(body_cases(op))
    for op in (GENERATE, CREATE, GUESTS, UPDATE):
        cases.extend(path_cases(op))
        cases.extend(auth_cases(op))
    cases.extend(query_cases())
    return cases


CORPUS = corpus()


# ------------------------------------------------------------------ running a case


def target_path(case: Case) -> str:
    if case.path is not None:
        return case.path
    return {
        GENERATE: program_path(MULTI) + "/codes/generate",
        CREATE: create_path(),
        GUESTS: program_path(PROGRAM) + "/guests",
        UPDATE: program_path(PROGRAM),
    }[case.operation]


def send(http: httpx.Client, case: Case, token: str) -> httpx.Response:
    headers: list[tuple[bytes, bytes]] = []
    auth = case.headers.get("authorization", f"Bearer {token}".encode()) if "authorization" in case.headers else None
    if "authorization" not in case.headers:
        headers.append((b"authorization", f"Bearer {token}".encode()))
    elif isinstance(auth, list):
        headers.extend((b"authorization", value) for value in auth)
    elif auth is not None:
        headers.append((b"authorization", auth))
    if case.content is not None and case.content_type is not None:
        headers.append((b"content-type", case.content_type.encode()))
    method = "GET" if case.operation == GUESTS else "PATCH" if case.operation == UPDATE else "POST"
    url = target_path(case) + (f"?{case.query}" if case.query else "")
    request = http.build_request(method, url, content=case.content)
    request.headers = httpx.Headers([*(h for h in request.headers.raw if h[0].lower() != b"content-type"), *headers])
    return http.send(request)


def _not_json(name: str) -> None:
    raise AssertionError(f"{name} in a response body")


def assert_documented(response: httpx.Response, case: Case) -> None:
    statuses = DOCUMENTED[case.operation]
    assert response.status_code < 500, (case.id, response.status_code, response.text[:300])
    assert "Traceback" not in response.text, case.id
    assert response.status_code in statuses, (case.id, response.status_code, response.text[:300])
    if case.status is not None:
        assert response.status_code == case.status, (case.id, response.status_code, response.text[:300])
    if response.status_code >= 400:
        assert response.headers["content-type"] == "application/json", case.id
        body = response.json()
        assert body["code"] in statuses[response.status_code], (case.id, body)
    if response.content:
        json.loads(response.content, parse_constant=_not_json)  # no NaN or Infinity emitted


@pytest.fixture(scope="module")
def hostile_api() -> Iterator[Api]:
    emulator = Emulator(spec=SPEC, seed=DEMO)
    api = Api(emulator)
    with api.http:
        yield api
    emulator.close()


def snapshot(api: Api) -> dict[str, Any]:
    """What a refused request must not change: every fixture program, with its code and guest counts."""
    programs = {}
    for name, program in FIXTURES.items():
        if name.startswith("program_") or name == "foreign_program":
            view = api.program(program)
            programs[name] = view
    return programs


def test_the_corpus_covers_every_operation_and_group() -> None:
    by_operation = {case.operation for case in CORPUS}
    assert by_operation == {op.operation_id for op in SPEC.operations()}
    assert len({case.id for case in CORPUS}) == len(CORPUS)
    for op in BODY_OPERATIONS:
        ids = [case.id for case in CORPUS if case.operation == op]
        for group in (
            "invalid-json",
            "number-",
            "float-",
            "type-",
            "duplicate-key",
            "deep-nesting",
            "lone-surrogate",
            "invalid-utf8",
            "array-huge",
            "content-type",
            "auth-",
            "org-",
        ):
            assert any(group in i for i in ids), (op, group)


@pytest.mark.parametrize("case", CORPUS, ids=lambda c: c.id)
def test_a_malformed_request_gets_a_documented_refusal(hostile_api: Api, case: Case) -> None:
    response = send(hostile_api.http, case, hostile_api.token("first_party"))
    assert_documented(response, case)


def test_nothing_of_a_refused_request_is_stored(hostile_api: Api) -> None:
    before = snapshot(hostile_api)
    token = hostile_api.token("first_party")
    for case in CORPUS:
        if case.status is not None and case.status >= 400:
            send(hostile_api.http, case, token)
    assert snapshot(hostile_api) == before


# ------------------------------------------------------------------ limits at their bound


@pytest.fixture
def api() -> Iterator[Api]:
    emulator = Emulator(spec=SPEC, seed=DEMO)
    client = Api(emulator)
    with client.http:
        yield client
    emulator.close()


def test_an_array_at_the_limit_is_accepted_and_one_more_is_refused(api: Api) -> None:
    limit = SETTINGS.max_array_items
    at = api.update(PROGRAM, {"vehicle_category_types": ["ECONOMY"] * limit})
    assert at.status_code == 204, at.text
    assert api.program(PROGRAM)["vehicle_category_types"] == ["ECONOMY"] * limit
    over = api.update(PROGRAM, {"vehicle_category_types": ["PREMIUM"] * (limit + 1)})
    assert over.status_code == 400
    assert over.json()["code"] == "invalid_request"
    assert f"longer than {limit}" in over.json()["message"]
    assert api.program(PROGRAM)["vehicle_category_types"] == ["ECONOMY"] * limit


def test_a_string_at_the_limit_is_accepted_and_one_more_is_refused(api: Api) -> None:
    limit = SETTINGS.max_string_length
    assert api.update(PROGRAM, {"expense_memo": "m" * limit}).status_code == 204
    over = api.update(PROGRAM, {"expense_memo": "n" * (limit + 1)})
    assert over.status_code == 400
    assert over.json()["code"] == "invalid_request"
    assert api.program(PROGRAM)["expense_memo"] == "m" * limit


def test_the_limits_are_settings_of_the_control_plane(api: Api) -> None:
    changed = api.http.patch("/__emulator/settings", json={"max_array_items": 2, "max_string_length": 25})
    assert changed.status_code == 200, changed.text
    ok = api.update(PROGRAM, {"vehicle_category_types": ["ECONOMY"] * 2, "name": "a" * 25})
    assert ok.status_code == 204, ok.text
    assert api.update(PROGRAM, {"vehicle_category_types": ["ECONOMY"] * 3}).status_code == 400
    assert api.update(PROGRAM, {"name": "a" * 26}).status_code == 400


def test_a_bound_the_description_states_wins_over_the_setting(api: Api) -> None:
    """``maxItems``/``maxLength`` in the description are read from it, and a refusal names its rule."""
    data = json.loads(json.dumps(SPEC.data))
    schema = data["components"]["schemas"]["UpdateVoucherProgramRequest"]["properties"]
    schema["vehicle_category_types"]["maxItems"] = 2
    schema["name"]["maxLength"] = 4
    emulator = Emulator(spec=Spec.from_data(data, "bounded"), seed=DEMO)
    client = Api(emulator)
    with client.http:
        assert client.update(PROGRAM, {"vehicle_category_types": ["ECONOMY"] * 2, "name": "abcd"}).status_code == 204
        items = client.update(PROGRAM, {"vehicle_category_types": ["ECONOMY"] * 3})
        assert items.status_code == 400, items.text
        assert items.headers["x-u4b-rule"] == "REQ-SCHEMA", items.text
        assert "longer than 2" in items.json()["message"]
        name = client.update(PROGRAM, {"name": "abcde"})
        assert name.status_code == 400
        assert "longer than 4" in name.json()["message"]
    emulator.close()


@pytest.mark.parametrize("value", ["1.0", "-0.0", "1e3", "1.5", "1E0"])
@pytest.mark.parametrize("name", ["starts_at", "ends_at"])
def test_a_float_timestamp_is_refused_before_any_time_rule(api: Api, name: str, value: str) -> None:
    body = json.dumps(create_body_at(api.now(), **{name: 0})).replace(f'"{name}": 0', f'"{name}": {value}')
    headers = {**api.headers("first_party"), "content-type": "application/json"}
    response = api.http.post(create_path(), content=body, headers=headers)
    assert response.status_code == 400, response.text
    assert response.headers["x-u4b-rule"] == "REQ-SCHEMA"
    assert "not an integer" in response.json()["message"]
    update = api.http.patch(program_path(PROGRAM), content=f'{{"{name}": {value}}}', headers=headers)
    assert update.status_code == 400, update.text
    assert update.headers["x-u4b-rule"] == "REQ-SCHEMA", update.text


def test_an_integer_as_written_is_still_a_timestamp(api: Api) -> None:
    now = api.now()
    assert api.create(create_body_at(now)).status_code == 200
    assert api.update(PROGRAM, {"ends_at": now + 40 * 86_400_000}).status_code == 204


def test_the_largest_interoperable_integer_reaches_the_rules(api: Api) -> None:
    largest = 2**53 - 1
    at = api.update(PROGRAM, {"ends_at": largest})
    # Past the type checks: the time rules judge it (a refusal there names a time rule).
    assert at.status_code in (204, 400), at.text
    assert at.headers.get("x-u4b-rule") != "REQ-SCHEMA", at.text
    over = api.http.patch(
        program_path(PROGRAM),
        content=f'{{"ends_at": {largest + 1}}}',
        headers={**api.headers("first_party"), "content-type": "application/json"},
    )
    assert over.status_code == 400
    assert "interoperable" in over.json()["message"]


# ------------------------------------------------------------------ the token endpoint


TOKEN_CASES: dict[str, tuple[bytes | None, str | None]] = {
    "no-body": (None, None),
    "json": (b'{"grant_type": "client_credentials"}', "application/json"),
    "text": (b"grant_type=client_credentials", "text/plain"),
    "no-grant": (b"client_id=a&client_secret=b", "application/x-www-form-urlencoded"),
    "unknown-grant": (b"grant_type=password&client_id=a", "application/x-www-form-urlencoded"),
    "bad-secret": (
        b"grant_type=client_credentials&client_id=demo-first-party&client_secret=x",
        "application/x-www-form-urlencoded",
    ),
    "invalid-utf8": (
        b"grant_type=client_credentials&client_id=\xff\xfe&client_secret=%FF",
        "application/x-www-form-urlencoded",
    ),
    "surrogate-escape": (
        b"grant_type=client_credentials&client_id=%ED%A0%80",
        "application/x-www-form-urlencoded",
    ),
    "nul": (b"grant_type=client_credentials%00&client_id=%00", "application/x-www-form-urlencoded"),
    "repeated": (
        b"grant_type=client_credentials&grant_type=x&client_id=a&client_id=b",
        "application/x-www-form-urlencoded",
    ),
    "huge-field": (b"grant_type=client_credentials&client_id=" + b"a" * 200_000, "application/x-www-form-urlencoded"),
    "bad-multipart": (b"--x\r\nContent-Disposition: form-data\r\n\r\nzz", "multipart/form-data; boundary=x"),
    "multipart-no-boundary": (b"zz", "multipart/form-data"),
    "bad-scope": (
        b"grant_type=client_credentials&client_id=demo-first-party&client_secret=%s&scope=%FF",
        "application/x-www-form-urlencoded",
    ),
}


@pytest.mark.parametrize("name", sorted(TOKEN_CASES))
def test_a_malformed_token_request_gets_an_oauth_error(hostile_api: Api, name: str) -> None:
    content, content_type = TOKEN_CASES[name]
    headers = {"content-type": content_type} if content_type else {}
    response = hostile_api.http.post("/oauth/v2/token", content=content, headers=headers)
    assert response.status_code in (400, 401), (response.status_code, response.text[:300])
    body = response.json()
    assert body["error"] in OAUTH_ERRORS, body
    assert "Traceback" not in response.text


@pytest.mark.parametrize(
    "header",
    [b"Basic", b"Basic !!!", b"Basic " + b"A" * 10_240, b"Basic w6k=", b"Basic \xff", b"Basic OnRvb2xvbmc="],
    ids=["alone", "not-base64", "ten-kb", "not-utf8-inside", "raw-bytes", "empty-id"],
)
def test_bad_basic_credentials_get_an_oauth_error(hostile_api: Api, header: bytes) -> None:
    request = hostile_api.http.build_request(
        "POST",
        "/oauth/v2/token",
        content=b"grant_type=client_credentials",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    request.headers = httpx.Headers([*request.headers.raw, (b"authorization", header)])
    response = hostile_api.http.send(request)
    assert response.status_code in (400, 401), response.text
    assert response.json()["error"] in OAUTH_ERRORS


# ------------------------------------------------------------------ over real HTTP


OVER_HTTP = [
    case
    for case in CORPUS
    if any(
        mark in case.id
        for mark in ("surrogate-bytes", "number-1e400", "float-", "array-huge", "duplicate-key", "auth-ten-kb")
    )
    and ("float-" not in case.id or "-1.0" in case.id)
]


def test_a_representative_part_of_the_corpus_over_http(tmp_path: Path) -> None:
    assert len(OVER_HTTP) >= 10
    with serving(tmp_path / "served") as profile, httpx.Client(base_url=profile.base_url, timeout=30) as http:
        token = request_token(http)
        for case in OVER_HTTP:
            assert_documented(send(http, case, token), case)
        health = http.get(program_path(PROGRAM) + "/guests", headers={"Authorization": f"Bearer {token}"})
        assert health.status_code == 200
