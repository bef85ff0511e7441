"""The auth matrix (every identity x every operation), organization isolation, and the token
endpoint as related-facts.md describes it."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.emulator.conftest import (
    FIXTURES,
    ORG,
    OTHER_ORG,
    SECRETS,
    Api,
    assert_error,
    create_body,
    program_path,
)
from u4b_vouchers.spec import Rule, load_spec, parse_rules

OPERATIONS = [
    "generateVoucherCodes",
    "createIndividualVoucherProgram",
    "getVoucherProgramGuestInfo",
    "updateVoucherProgram",
]
#: Test identities, and the identity word x-u4b-rules uses for each.
RULE_IDENTITY = {
    None: "none",
    "first_party": "client-credentials",
    "delegated": "authorization-code",
    "no_voucher_scope": "no-voucher-scope",
    "third_party_authorized": "third-party-authorized",
    "third_party_unauthorized": "third-party-unauthorized",
    "other_org": "foreign-organization",
}
AUTH_RULES = [rule for rule in parse_rules(load_spec().data) if rule.kind == "auth"]


def call(api: Api, operation: str, identity: str | None) -> httpx.Response:
    """A request that succeeds for a caller with access."""
    if operation == "generateVoucherCodes":
        return api.generate(FIXTURES["program_started_multi_code"], {"number_of_codes": 1}, identity)
    if operation == "createIndividualVoucherProgram":
        return api.create(create_body(api), identity)
    if operation == "getVoucherProgramGuestInfo":
        return api.guests(FIXTURES["program_started_multi_code"], identity, limit=2)
    return api.update(FIXTURES["program_not_started_multi_code"], {"expense_memo": "matrix"}, identity)


def governing_rule(operation: str, identity: str | None) -> Rule:
    matching = [r for r in AUTH_RULES if r.applies_to(operation) and r.params["identity"] == RULE_IDENTITY[identity]]
    assert len(matching) == 1, (operation, identity, [r.id for r in matching])
    return matching[0]


#: The emulator's own choices among the outcomes the rules allow (DECISIONS.md D-036..D-038).
EMULATOR_STATUS = {
    None: 401,
    "first_party": None,
    "delegated": None,
    "no_voucher_scope": 403,
    "third_party_authorized": None,
    "third_party_unauthorized": 403,
    "other_org": 404,
}


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("identity", list(RULE_IDENTITY))
def test_auth_matrix(api: Api, identity: str | None, operation: str) -> None:
    rule = governing_rule(operation, identity)
    response = call(api, operation, identity)
    if rule.params["outcome"] == "allowed":
        assert response.status_code < 300, response.text
        return
    body = response.json()
    assert any(o.matches(response.status_code, body.get("code")) for o in rule.violation), (
        rule.id,
        response.text,
    )
    expected = EMULATOR_STATUS[identity]
    if operation == "createIndividualVoucherProgram" and identity in ("delegated", "other_org"):
        expected = 403
    assert response.status_code == expected
    assert response.headers.get("x-u4b-rule") == rule.id or identity == "delegated"


@pytest.mark.parametrize("header", ["Bearer not-a-token", "Bearer ", "Basic ZGVtbzpkZW1v", "bearer"])
def test_invalid_tokens_get_401(api: Api, header: str) -> None:
    response = api.http.get(
        f"{program_path(FIXTURES['program_started_multi_code'])}/guests",
        headers={"Authorization": header},
    )
    assert_error(response, 401, "unauthorized", "AUTH-TOKEN-REQUIRED")


def test_missing_token_message_is_the_vendors(api: Api) -> None:
    response = api.guests(FIXTURES["program_started_multi_code"], identity=None)
    assert response.json() == {"code": "unauthorized", "message": "No authentication provided."}


# ------------------------------------------------------------------ isolation


def test_a_program_of_another_organization_is_not_found_under_ones_own(api: Api) -> None:
    foreign = FIXTURES["foreign_program"]
    assert_error(api.guests(foreign), 404, "resource_not_found")
    assert_error(api.update(foreign, {"name": "mine now"}), 404, "resource_not_found")
    assert_error(api.generate(foreign, {"number_of_codes": 1}), 404, "resource_not_found")


def test_a_token_never_reaches_another_organization(api: Api) -> None:
    foreign = FIXTURES["foreign_program"]
    before = api.program(foreign)
    for identity in ("first_party", "delegated", "third_party_authorized"):
        for response in (
            api.guests(foreign, identity, org=OTHER_ORG),
            api.update(foreign, {"name": "taken"}, identity, org=OTHER_ORG),
            api.generate(foreign, {"number_of_codes": 1}, identity, org=OTHER_ORG),
            api.create(create_body(api), identity, org=OTHER_ORG),
        ):
            assert response.status_code in (403, 404), response.text
            assert "Not Yours" not in response.text
            assert "secret@other.example" not in response.text
    after = api.program(foreign)
    assert after == before


def test_the_other_organization_sees_its_own(api: Api) -> None:
    response = api.guests(FIXTURES["foreign_program"], "other_org", org=OTHER_ORG)
    assert response.status_code == 200
    assert [g["email"] for g in response.json()["guests"]] == ["secret@other.example"]


# ------------------------------------------------------------------ token endpoint


def token(api: Api, **form: str) -> httpx.Response:
    return api.http.post("/oauth/v2/token", data=form)


def cc(client_id: str, **extra: str) -> dict[str, str]:
    return {
        "client_id": client_id,
        "client_secret": SECRETS[client_id],
        "grant_type": "client_credentials",
        **extra,
    }


def test_token_response_shape(api: Api) -> None:
    response = token(api, **cc("demo-first-party", scope="organizations.voucher_programs"))
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 2592000
    assert body["scope"] == "organizations.voucher_programs"


@pytest.mark.parametrize(
    ("form", "status", "error"),
    [
        (
            {
                "client_id": "demo-first-party",
                "client_secret": "wrong",
                "grant_type": "client_credentials",
            },
            401,
            "invalid_client",
        ),
        (
            {"client_id": "nobody", "client_secret": "x", "grant_type": "client_credentials"},
            401,
            "invalid_client",
        ),
        (cc("demo-first-party", grant_type="password"), 400, "unsupported_grant_type"),
        (
            {"client_id": "demo-first-party", "client_secret": SECRETS["demo-first-party"]},
            400,
            "invalid_request",
        ),
        (
            cc("demo-first-party", scope="organizations.voucher_programs.aggregator"),
            400,
            "invalid_scope",
        ),
        (cc("demo-delegated-app"), 400, "unauthorized_client"),
    ],
)
def test_token_errors(api: Api, form: dict[str, str], status: int, error: str) -> None:
    response = token(api, **form)
    assert response.status_code == status
    assert response.json()["error"] == error


def test_token_requests_must_be_form_encoded(api: Api) -> None:
    response = api.http.post("/oauth/v2/token", json=cc("demo-first-party"))
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_multipart_and_basic_authentication(api: Api) -> None:
    multipart = api.http.post(
        "/oauth/v2/token",
        files={
            "grant_type": (None, "client_credentials"),
            "client_id": (None, "demo-first-party"),
            "client_secret": (None, SECRETS["demo-first-party"]),
        },
    )
    assert multipart.status_code == 200, multipart.text
    basic = api.http.post(
        "/oauth/v2/token",
        data={"grant_type": "client_credentials"},
        auth=("demo-first-party", SECRETS["demo-first-party"]),
    )
    assert basic.status_code == 200, basic.text


def test_tokens_expire(api: Api) -> None:
    access = token(api, **cc("demo-first-party")).json()["access_token"]
    guests = f"{program_path(FIXTURES['program_started_multi_code'])}/guests"
    assert api.http.get(guests, headers={"Authorization": f"Bearer {access}"}).status_code == 200
    api.http.post("/__emulator/clock/advance", json={"by_ms": 2592000 * 1000})
    assert_error(api.http.get(guests, headers={"Authorization": f"Bearer {access}"}), 401, "unauthorized")


def test_the_101st_client_credentials_token_invalidates_the_oldest(api: Api) -> None:
    """related-facts.md, OAuth 2.0 tokens: 100 an hour; a 101st invalidates the oldest."""
    issued = [token(api, **cc("demo-first-party")).json()["access_token"] for _ in range(101)]
    guests = f"{program_path(FIXTURES['program_started_multi_code'])}/guests"
    status = [
        api.http.get(guests, headers={"Authorization": f"Bearer {t}"}).status_code
        for t in (issued[0], issued[1], issued[-1])
    ]
    assert status == [401, 200, 200]


def test_a_token_in_use_is_refused_once_the_101st_replaces_it(api: Api) -> None:
    """The emulator remembers callers of tokens in use; a revoked one must not be remembered."""
    guests = f"{program_path(FIXTURES['program_started_multi_code'])}/guests"
    first = token(api, **cc("demo-first-party")).json()["access_token"]
    assert api.http.get(guests, headers={"Authorization": f"Bearer {first}"}).status_code == 200
    for _ in range(100):
        token(api, **cc("demo-first-party"))
    assert_error(api.http.get(guests, headers={"Authorization": f"Bearer {first}"}), 401, "unauthorized")
    api.http.post("/__emulator/reset")
    assert_error(api.http.get(guests, headers={"Authorization": f"Bearer {first}"}), 401, "unauthorized")


def test_authorization_code_flow(api: Api) -> None:
    redirect = "http://127.0.0.1:8765/callback"
    consent = api.http.get(
        "/oauth/v2/authorize",
        params={
            "response_type": "code",
            "client_id": "demo-delegated-app",
            "redirect_uri": redirect,
            "scope": "organizations.voucher_programs.delegated",
            "state": "xyz",
        },
    )
    assert consent.status_code == 302
    location = urlsplit(consent.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == redirect
    query = parse_qs(location.query)
    assert query["state"] == ["xyz"]
    exchange: Callable[[], httpx.Response] = lambda: token(  # noqa: E731
        api,
        client_id="demo-delegated-app",
        client_secret=SECRETS["demo-delegated-app"],
        grant_type="authorization_code",
        code=query["code"][0],
        redirect_uri=redirect,
    )
    first = exchange()
    assert first.status_code == 200, first.text
    granted = first.json()
    headers = {"Authorization": f"Bearer {granted['access_token']}"}
    assert (
        api.http.get(f"{program_path(FIXTURES['program_started_multi_code'])}/guests", headers=headers).status_code
        == 200
    )
    assert exchange().json()["error"] == "invalid_grant"  # codes are single-use
    refreshed = token(
        api,
        client_id="demo-delegated-app",
        client_secret=SECRETS["demo-delegated-app"],
        grant_type="refresh_token",
        refresh_token=granted["refresh_token"],
    )
    assert refreshed.status_code == 200
    create = api.http.post(
        f"/v1/organizations/{ORG}/individual_voucher_program/create",
        json=create_body(api),
        headers={"Authorization": f"Bearer {refreshed.json()['access_token']}"},
    )
    assert_error(create, 403, "user_not_allowed")


def test_authorize_refuses_unknown_redirects(api: Api) -> None:
    response = api.http.get(
        "/oauth/v2/authorize",
        params={
            "response_type": "code",
            "client_id": "demo-delegated-app",
            "redirect_uri": "https://evil.example/cb",
        },
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
