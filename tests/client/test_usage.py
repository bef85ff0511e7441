"""The client as the README shows it: keyword-only credentials, the sandbox by default, your own
httpx client, unknown request fields refused by name, and responses with status and headers.

The in-process emulator answers whatever host a request names, so the README's example runs
as written (the sandbox's URLs) with only an in-process transport added: nothing leaves the
process, and the URLs the client chose are recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import httpx
import pytest
import u4b_vouchers_generated as models

from tests.client.conftest import BASE_URL, SPEC, create_request, first_party
from tests.emulator.conftest import FIXTURES, ORG, SECRETS
from u4b_vouchers.client import (
    NO_RETRY,
    PRODUCTION,
    SANDBOX,
    ApiResponse,
    AsyncVouchersClient,
    AuthorizationCode,
    ClientCredentials,
    Environment,
    RequestValidationError,
    ServerError,
    StaticToken,
    SyncASGITransport,
    UnknownFieldError,
    VouchersClient,
)
from u4b_vouchers.emulator import TOKEN_PATH, Emulator

MULTI = FIXTURES["program_started_multi_code"]
MANY = FIXTURES["program_with_many_guests"]
UPDATE_FIELDS = set(SPEC.data["components"]["schemas"]["UpdateVoucherProgramRequest"]["properties"])
LOCATION_FIELDS = set(SPEC.data["components"]["schemas"]["Location"]["properties"])


class Recording(httpx.BaseTransport):
    """A transport that notes each request's URL, then hands it on."""

    def __init__(self, inner: httpx.BaseTransport):
        self.inner = inner
        self.urls: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.urls.append(str(request.url.copy_with(query=None)))
        return self.inner.handle_request(request)


class AsyncRecording(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport):
        self.inner = inner
        self.urls: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.urls.append(str(request.url.copy_with(query=None)))
        return await self.inner.handle_async_request(request)


def nowhere(urls: list[str]) -> httpx.MockTransport:
    """Where requests *would* go: each URL is noted and answered 503, nothing is sent."""

    def handler(request: httpx.Request) -> httpx.Response:
        urls.append(str(request.url))
        return httpx.Response(503)

    return httpx.MockTransport(handler)


def logged(emulator: Emulator, operation: str) -> list[dict[str, Any]]:
    return [e for e in emulator.log.recent(100000) if e["operation"] == operation]


def readme_credentials() -> ClientCredentials:
    return ClientCredentials(
        client_id="demo-first-party",
        client_secret=SECRETS["demo-first-party"],
        scopes="organizations.voucher_programs",
    )


# ------------------------------------------------------------------ the README's example


def test_the_readme_example(emulator: Emulator) -> None:
    transport = Recording(SyncASGITransport(emulator.app))
    auth = readme_credentials()
    with VouchersClient(auth, transport=transport) as client:
        guests = list(client.iter_guests(ORG, MANY, page_size=100))
        changed = client.update_voucher_program(ORG, MULTI, {"expense_memo": "Q4"})
    assert len({g.email for g in guests}) == 250
    assert changed.status_code == 204
    assert emulator.program_view(MULTI)["expense_memo"] == "Q4"  # type: ignore[index]
    assert auth.token_requests == 1
    assert transport.urls[0] == SANDBOX.token_url == "https://auth.uber.com/oauth/v2/token"
    assert {url.split("/v1/")[0] for url in transport.urls[1:]} == {"https://sandbox-api.uber.com"}


def test_the_readme_example_async(emulator: Emulator) -> None:
    transport = AsyncRecording(httpx.ASGITransport(app=emulator.app))

    async def scenario() -> list[models.Guest]:
        async with AsyncVouchersClient(readme_credentials(), transport=transport) as client:
            guests = [guest async for guest in client.iter_guests(ORG, MANY, page_size=100)]
            await client.update_voucher_program(ORG, MULTI, {"expense_memo": "Q4"})
        return guests

    assert len(anyio.run(scenario)) == 250
    assert emulator.program_view(MULTI)["expense_memo"] == "Q4"  # type: ignore[index]
    assert transport.urls[0] == SANDBOX.token_url
    assert all(url.startswith(SANDBOX.base_url + "/v1/") for url in transport.urls[1:])


# ------------------------------------------------------------------ where tokens are asked for


def test_a_provider_without_a_token_url_asks_the_clients(emulator: Emulator) -> None:
    """The README's credentials named no token URL, and the first call failed with "the token
    expired or was refused and cannot be renewed" before any token was asked for: the provider
    had no URL, the client never gave it its own, and a missing URL was reported as a token that
    cannot be renewed."""
    transport = Recording(SyncASGITransport(emulator.app))
    auth = first_party()
    assert auth.token_url is None
    with VouchersClient(auth, base_url=BASE_URL, transport=transport) as client:
        assert client.get_voucher_program_guest_info(ORG, MULTI).status_code == 200
    assert auth.token_requests == 1
    assert transport.urls[0] == BASE_URL + TOKEN_PATH  # where the emulator serves tokens


def test_a_provider_of_its_own_keeps_its_token_url(emulator: Emulator) -> None:
    transport = Recording(SyncASGITransport(emulator.app))
    auth = ClientCredentials(
        client_id="demo-first-party",
        client_secret=SECRETS["demo-first-party"],
        token_url="http://tokens.test" + TOKEN_PATH,
    )
    with VouchersClient(auth, base_url=BASE_URL, transport=transport) as client:
        client.get_voucher_program_guest_info(ORG, MULTI)
    assert transport.urls[0] == "http://tokens.test" + TOKEN_PATH


def test_a_provider_used_alone_without_a_token_url_says_so() -> None:
    urls: list[str] = []
    with httpx.Client(transport=nowhere(urls)) as http, pytest.raises(ValueError, match="no token URL") as raised:
        first_party().token(http)
    assert "token_url=" in str(raised.value)
    assert "renewed" not in str(raised.value)
    assert urls == []


# ------------------------------------------------------------------ keyword-only credentials


@pytest.mark.parametrize(
    "make",
    [
        lambda: ClientCredentials("id", "secret", "organizations.voucher_programs"),  # type: ignore[call-arg]
        lambda: ClientCredentials("id", client_secret="secret"),  # type: ignore[call-arg]
        lambda: AuthorizationCode("id", "secret", "code", "http://127.0.0.1/cb"),  # type: ignore[call-arg]
    ],
    ids=["client-credentials", "client-credentials-one-positional", "authorization-code"],
)
def test_credentials_are_keyword_only(make: Callable[[], object]) -> None:
    with pytest.raises(TypeError, match="positional"):
        make()


def test_scopes_are_a_string_or_a_sequence() -> None:
    one = ClientCredentials(client_id="i", client_secret="s", scopes="a b")
    many = ClientCredentials(client_id="i", client_secret="s", scopes=["a", "b"])
    none = ClientCredentials(client_id="i", client_secret="s")
    assert one.scopes == many.scopes == ("a", "b")
    assert one._form()["scope"] == many._form()["scope"] == "a b"
    assert "scope" not in none._form()
    assert StaticToken("t").has_valid_token  # one value: positional is fine


# ------------------------------------------------------------------ environments


def test_environments_come_from_the_description() -> None:
    servers = {s["description"].split()[0].rstrip("."): s["url"] for s in SPEC.data["servers"]}
    flows = SPEC.data["components"]["securitySchemes"]["ClientCredentials"]["flows"]
    assert (SANDBOX.base_url, PRODUCTION.base_url) == (servers["Sandbox"], servers["Production"])
    assert SANDBOX.token_url == PRODUCTION.token_url == flows["clientCredentials"]["tokenUrl"]
    assert (Environment.SANDBOX, Environment.PRODUCTION) == (SANDBOX, PRODUCTION)
    assert Environment.custom("http://127.0.0.1:8080/").token_url == "http://127.0.0.1:8080" + TOKEN_PATH


def test_the_default_environment_is_the_sandbox_and_production_must_be_named() -> None:
    where: dict[str, list[str]] = {}
    named: tuple[tuple[str, Environment | None], ...] = (("default", None), ("production", PRODUCTION))
    for label, environment in named:
        urls = where[label] = []
        client = VouchersClient(StaticToken("t"), environment=environment, transport=nowhere(urls), retry=NO_RETRY)
        with client, pytest.raises(ServerError, match="503"):
            client.get_voucher_program_guest_info(ORG, MULTI)
        assert client.environment is (environment or SANDBOX)
    assert {url.split("/v1/")[0] for url in where["default"]} == {"https://sandbox-api.uber.com"}
    assert {url.split("/v1/")[0] for url in where["production"]} == {"https://api.uber.com"}


def test_the_async_default_is_the_sandbox_too() -> None:
    urls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        urls.append(str(request.url))
        return httpx.Response(200, json={"guests": []})

    async def scenario() -> None:
        async with AsyncVouchersClient(StaticToken("t"), transport=httpx.MockTransport(handler)) as client:
            assert client.environment is SANDBOX
            await client.get_voucher_program_guest_info(ORG, MULTI)

    anyio.run(scenario)
    assert urls == [f"{SANDBOX.base_url}/v1/organizations/{ORG}/voucher-programs/{MULTI}/guests"]


def test_an_environment_and_a_base_url_together_are_refused() -> None:
    with pytest.raises(TypeError, match="not both"):
        VouchersClient(StaticToken("t"), environment=SANDBOX, base_url=BASE_URL)
    with pytest.raises(TypeError, match="token_url= goes with base_url="):
        VouchersClient(StaticToken("t"), token_url="http://127.0.0.1/token")


# ------------------------------------------------------------------ your own httpx client


def test_your_own_httpx_client_is_used_for_everything_and_left_open(emulator: Emulator) -> None:
    seen: list[tuple[str, str | None]] = []

    def note(request: httpx.Request) -> None:
        seen.append((str(request.url.copy_with(query=None)), request.headers.get("user-agent")))

    http = httpx.Client(
        transport=SyncASGITransport(emulator.app),
        base_url="http://not-this-one.test",  # the client's base URL is applied, not this
        headers={"User-Agent": "my-app/1.0"},
        event_hooks={"request": [note]},
    )
    with http:
        with VouchersClient(first_party(), base_url=BASE_URL, http_client=http) as client:
            client.get_voucher_program_guest_info(ORG, MULTI)
        assert not http.is_closed  # the caller owns it
        assert http.get(f"{BASE_URL}/v1/organizations/{ORG}/voucher-programs/{MULTI}/guests").status_code == 401
    assert [url for url, _ in seen[:2]] == [
        BASE_URL + TOKEN_PATH,  # the token request went through it too
        f"{BASE_URL}/v1/organizations/{ORG}/voucher-programs/{MULTI}/guests",
    ]
    assert {agent for _, agent in seen} == {"my-app/1.0"}


def test_your_own_async_httpx_client_is_used_for_everything_and_left_open(emulator: Emulator) -> None:
    transport = AsyncRecording(httpx.ASGITransport(app=emulator.app))

    async def scenario() -> None:
        async with httpx.AsyncClient(transport=transport) as http:
            async with AsyncVouchersClient(first_party(), base_url=BASE_URL, http_client=http) as client:
                assert (await client.get_voucher_program_guest_info(ORG, MULTI)).status_code == 200
            assert not http.is_closed
            await http.get(f"{BASE_URL}/v1/organizations/{ORG}/voucher-programs/{MULTI}/guests")

    anyio.run(scenario)
    assert transport.urls[0] == BASE_URL + TOKEN_PATH
    assert len(transport.urls) == 3


def test_the_clients_own_httpx_client_is_closed(emulator: Emulator) -> None:
    client = VouchersClient(first_party(), base_url=BASE_URL, transport=SyncASGITransport(emulator.app))
    with client:
        client.get_voucher_program_guest_info(ORG, MULTI)
    with pytest.raises(RuntimeError, match="closed"):
        client.get_voucher_program_guest_info(ORG, MULTI)


def test_options_for_the_own_httpx_client_do_not_go_with_yours() -> None:
    with httpx.Client() as http, pytest.raises(TypeError, match="configure your http_client"):
        VouchersClient(StaticToken("t"), http_client=http, timeout=5)
    with httpx.Client() as http, pytest.raises(TypeError, match=r"httpx\.AsyncClient"):
        AsyncVouchersClient(StaticToken("t"), http_client=http)  # type: ignore[arg-type]


# ------------------------------------------------------------------ unknown request fields


def test_an_unknown_field_is_refused_by_name_before_sending(client: VouchersClient, emulator: Emulator) -> None:
    with pytest.raises(UnknownFieldError) as raised:
        client.update_voucher_program(ORG, MULTI, {"expense_memoo": "Q4"})
    error = raised.value
    assert isinstance(error, RequestValidationError)
    assert isinstance(error, ValueError)
    assert "unknown field 'expense_memoo'" in str(error)
    assert "did you mean 'expense_memo'?" in str(error)
    assert (error.field, error.path, error.suggestion) == ("expense_memoo", "", "expense_memo")
    assert set(error.allowed) == UPDATE_FIELDS
    assert all(name in str(error) for name in UPDATE_FIELDS)
    assert logged(emulator, "updateVoucherProgram") == []


def test_an_unknown_field_in_a_nested_object_is_refused(client: VouchersClient, emulator: Emulator) -> None:
    change = {
        "trip_restriction_type": "PICKUP_ONLY",
        "pickup_locations": [{"address": "1 Main St"}, {"adress": "2 Main St"}],
    }
    with pytest.raises(UnknownFieldError) as raised:
        client.update_voucher_program(ORG, MULTI, change)
    assert (raised.value.field, raised.value.path) == ("adress", "pickup_locations/1")
    assert set(raised.value.allowed) == LOCATION_FIELDS
    assert "unknown field 'adress' (did you mean 'address'?" in str(raised.value)
    assert "(at pickup_locations/1)" in str(raised.value)
    assert logged(emulator, "updateVoucherProgram") == []


def test_an_unknown_field_of_a_create_request_or_a_model_is_refused(client: VouchersClient, emulator: Emulator) -> None:
    with pytest.raises(UnknownFieldError, match="unknown field 'memmo'"):
        client.create_individual_voucher_program(ORG, create_request(emulator, memmo="m"))
    with pytest.raises(UnknownFieldError, match="unknown field 'expense_memoo'"):  # the models allow extras
        client.update_voucher_program(
            ORG, MULTI, models.UpdateVoucherProgramRequest.model_validate({"expense_memoo": "Q4"})
        )
    assert logged(emulator, "updateVoucherProgram") == logged(emulator, "createIndividualVoucherProgram") == []


def test_unknown_fields_can_be_sent_on_purpose(emulator: Emulator) -> None:
    transport = SyncASGITransport(emulator.app)
    strict = VouchersClient(first_party(), base_url=BASE_URL, transport=transport, validate_requests=False)
    with strict, pytest.raises(UnknownFieldError):  # leaving the rules to the server keeps this check
        strict.update_voucher_program(ORG, MULTI, {"expense_memoo": "Q4"})
    with VouchersClient(first_party(), base_url=BASE_URL, transport=transport, allow_unknown_fields=True) as lax:
        assert lax.update_voucher_program(ORG, MULTI, {"expense_memoo": "Q4"}).status_code == 204  # D-024
    assert [e["status"] for e in logged(emulator, "updateVoucherProgram")] == [204]


def test_the_async_client_refuses_unknown_fields_too(emulator: Emulator) -> None:
    async def scenario() -> None:
        transport = httpx.ASGITransport(app=emulator.app)
        async with AsyncVouchersClient(first_party(), base_url=BASE_URL, transport=transport) as client:
            with pytest.raises(UnknownFieldError, match="unknown field 'radiuss'"):
                await client.update_voucher_program(ORG, MULTI, {"pickup_locations": [{"address": "a", "radiuss": 30}]})

    anyio.run(scenario)
    assert logged(emulator, "updateVoucherProgram") == []


# ------------------------------------------------------------------ what operations return


def test_operations_return_status_headers_and_data(client: VouchersClient, emulator: Emulator) -> None:
    page = client.get_voucher_program_guest_info(ORG, MULTI, limit=2)
    assert isinstance(page, ApiResponse)
    assert (page.status_code, page.operation_id) == (200, "getVoucherProgramGuestInfo")
    assert page.headers["content-type"].startswith("application/json")
    assert isinstance(page.data, models.GuestList)
    assert len(page.data.guests or []) == 2
    generated = client.generate_voucher_codes(ORG, MULTI, 1)
    assert (generated.status_code, generated.data) == (200, None)  # no body is documented (D-003)
    created = client.create_individual_voucher_program(ORG, create_request(emulator))
    assert created.status_code == 200
    assert isinstance(created.data, models.CreateIndividualVoucherProgramResponse)
    updated = client.update_voucher_program(ORG, str(created.data.campaign_uuid), {"expense_memo": "m"})
    assert (updated.status_code, updated.data) == (204, None)


def test_headers_of_a_response_reach_the_caller() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == TOKEN_PATH:
            return httpx.Response(200, json={"access_token": "t", "expires_in": 60})
        return httpx.Response(200, json={"guests": []}, headers={"X-Trace": "abc"})

    async def scenario() -> ApiResponse[models.GuestList]:
        transport = httpx.MockTransport(handler)
        async with AsyncVouchersClient(first_party(), base_url=BASE_URL, transport=transport) as client:
            return await client.get_voucher_program_guest_info(ORG, MULTI)

    response = anyio.run(scenario)
    assert (response.status_code, response.headers["x-trace"], response.data.guests) == (200, "abc", [])
