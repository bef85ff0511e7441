"""Bad input is a documented 4xx with a JSON body: never a 500, never a traceback."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.emulator.conftest import FIXTURES, ORG, Api, assert_error, program_path

PROGRAM = FIXTURES["program_not_started_multi_code"]


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"{not json", "application/json"),
        (b"", "application/json"),
        (b"   ", "application/json"),
        (b'{"name": NaN}', "application/json"),
        (b'{"name": Infinity}', "application/json"),
        (b"[" * 100_000, "application/json"),  # past the decoder's recursion limit
        (b'{"name": ' + b"[" * 65 + b"]" * 65 + b"}", "application/json"),  # past the nesting cap
        (b"\xff\xfe", "application/json"),
        (b'{"name": "x"}', "text/plain"),
        (b"name=x", "application/x-www-form-urlencoded"),
        (b'{"name": "x"}', ""),
    ],
)
def test_unreadable_bodies(api: Api, content: bytes, content_type: str) -> None:
    headers = {**api.headers("first_party"), "Content-Type": content_type}
    response = api.http.patch(program_path(PROGRAM), content=content, headers=headers)
    assert_error(response, 400, "invalid_request")


@pytest.mark.parametrize(
    "body",
    [
        [],
        "name",
        5,
        None,
        True,
        {"name": 5},
        {"starts_at": "tomorrow"},
        {"vehicle_category_types": "ECONOMY"},
        {"ends_at": 2**63},  # format int64: beyond what the service can store
        {"starts_at": -(2**63) - 1},
    ],
)
def test_wrong_json_types(api: Api, body: object) -> None:
    assert_error(api.update(PROGRAM, body), 400, "invalid_request")


def test_oversized_bodies(api: Api) -> None:
    response = api.update(PROGRAM, {"name": "x" * 2_000_000})
    assert_error(response, 400, "invalid_request")
    assert "larger than" in response.json()["message"]


def test_vendor_json_media_type_variants_are_accepted(api: Api) -> None:
    headers = {**api.headers("first_party"), "Content-Type": "application/json; charset=utf-8"}
    assert api.http.patch(program_path(PROGRAM), content=b'{"expense_memo": "m"}', headers=headers).status_code == 204


def test_a_bad_body_from_a_caller_without_access_gets_the_access_error(api: Api) -> None:
    response = api.http.patch(
        program_path(PROGRAM),
        content=b"{",
        headers={**api.headers("no_voucher_scope"), "Content-Type": "application/json"},
    )
    assert_error(response, 403, "user_not_allowed")


@pytest.mark.parametrize("limit", ["ten", "1.5", "", "-"])
def test_non_integer_limits(api: Api, limit: str) -> None:
    assert_error(api.guests(PROGRAM, limit=limit), 400, "invalid_request")


def test_unknown_ids(api: Api) -> None:
    unknown = "00000000-0000-4000-8000-000000000000"
    assert_error(api.guests(unknown), 404, "resource_not_found")
    assert_error(api.generate(unknown, {"number_of_codes": 1}), 404, "resource_not_found")
    assert_error(api.update("not-even-a-uuid", {"name": "x"}), 404, "resource_not_found")


def test_unknown_routes_are_json_404(api: Api) -> None:
    for path in ("/", "/v1", f"/v1/organizations/{ORG}/voucher-programs", "/v2/anything"):
        response = api.http.get(path)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_wrong_methods_are_405_with_allow(api: Api) -> None:
    response = api.http.get(program_path(PROGRAM), headers=api.headers("first_party"))
    assert response.status_code == 405
    assert response.headers["allow"] == "PATCH"
    assert response.json()["code"] == "method_not_allowed"
    response = api.http.delete(f"{program_path(PROGRAM)}/guests")
    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD"}


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
#: Bodies built from the documented field names, with values of any JSON type.
field_bodies = st.dictionaries(
    st.sampled_from(
        [
            "name",
            "starts_at",
            "ends_at",
            "timezone",
            "number_of_codes",
            "pickup_locations",
            "trip_restriction_type",
            "value_per_trip_percentage",
            "vehicle_category_types",
            "template_uuid",
            "email_address",
            "redemptions_per_code",
        ]
    ),
    json_values,
    max_size=5,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=json_values | field_bodies, operation=st.sampled_from(["update", "generate", "create"]))
def test_no_body_is_ever_a_500(api: Api, body: object, operation: str) -> None:
    if operation == "update":
        response = api.update(PROGRAM, body)
    elif operation == "generate":
        response = api.generate(PROGRAM, body)
    else:
        response = api.create(body)
    assert response.status_code in (200, 204, 400, 402), response.text
    if response.status_code >= 400:
        assert response.json()["code"] in ("invalid_request", "campaign_template_inactive")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(st.sampled_from(["limit", "page_token", "other"]), st.text(max_size=30), max_size=3))
def test_no_query_is_ever_a_500(api: Api, params: dict[str, str]) -> None:
    response = api.guests(PROGRAM, **params)
    assert response.status_code in (200, 400), response.text


def test_non_ascii_credentials_are_refused_not_crashed(api: Api) -> None:
    response = api.http.post(
        "/oauth/v2/token",
        data={
            "client_id": "demo-first-party",
            "client_secret": "sécret",
            "grant_type": "client_credentials",
        },
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_an_unexpected_failure_is_the_documented_500(
    api: Api, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A bug in the store must still answer with the vendor's error body, and be logged."""

    def broken(*args: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(api.emulator.store, "update_voucher_program", broken)
    response = api.update(PROGRAM, {"name": "x"})
    assert response.status_code == 500
    assert response.json() == {
        "code": "internal_server_error",
        "message": "We have experienced a problem",
    }
    assert "simulated bug" in caplog.text
