"""The typed client: one method per operation, typed errors, token caching, retries, paging,
client-side checks of what the models cannot express."""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import u4b_vouchers_generated as models

from tests.client.conftest import BASE_URL, TOKEN_URL, create_request, first_party
from tests.emulator.conftest import FIXTURES, ORG, SECRETS
from u4b_vouchers.client import (
    PRODUCTION_URL,
    SANDBOX_URL,
    AuthorizationCode,
    BadRequestError,
    ClientCredentials,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    RequestValidationError,
    ResponseValidationError,
    RetryPolicy,
    ServerError,
    StaticToken,
    SyncASGITransport,
    TemplateInactiveError,
    TokenError,
    UnauthorizedError,
    VouchersClient,
)
from u4b_vouchers.client import (
    TOKEN_URL as VENDOR_TOKEN_URL,
)
from u4b_vouchers.emulator import Emulator
from u4b_vouchers.emulator.faults import Fault

MULTI = FIXTURES["program_started_multi_code"]
MANY = FIXTURES["program_with_many_guests"]


def logged(emulator: Emulator, operation: str) -> list[dict[str, Any]]:
    return [e for e in emulator.log.recent(100000) if e["operation"] == operation]


def test_urls_come_from_the_description() -> None:
    assert (PRODUCTION_URL, SANDBOX_URL) == ("https://api.uber.com", "https://sandbox-api.uber.com")
    assert VENDOR_TOKEN_URL == "https://auth.uber.com/oauth/v2/token"


def test_each_operation(client: VouchersClient, emulator: Emulator) -> None:
    assert client.generate_voucher_codes(ORG, MULTI, 3).data is None
    created = client.create_individual_voucher_program(ORG, create_request(emulator, memo="m")).data
    assert isinstance(created, models.CreateIndividualVoucherProgramResponse)
    assert str(created.template_uuid) == FIXTURES["template_active"]
    page = client.get_voucher_program_guest_info(ORG, str(created.campaign_uuid)).data
    assert isinstance(page, models.GuestList)
    assert [g.email for g in page.guests or []] == ["jane@example.com"]
    assert client.update_voucher_program(ORG, str(created.campaign_uuid), {"expense_memo": "via client"}).data is None
    assert emulator.program_view(str(created.campaign_uuid))["expense_memo"] == "via client"  # type: ignore[index]


def test_requests_as_models_send_only_the_fields_set(client: VouchersClient, emulator: Emulator) -> None:
    program = FIXTURES["program_not_started_multi_code"]
    client.update_voucher_program(ORG, program, {"timezone": "Europe/Paris"})
    client.update_voucher_program(ORG, program, models.UpdateVoucherProgramRequest(expense_memo="only this"))
    view = emulator.program_view(program)
    assert view is not None
    assert (view["timezone"], view["expense_memo"]) == ("Europe/Paris", "only this")  # D-026
    request = models.CreateIndividualVoucherProgramRequest.model_validate(create_request(emulator))
    assert client.create_individual_voucher_program(ORG, request).data.name == FIXTURES["template_active_name"]


def test_iter_guests_follows_next_token(client: VouchersClient, emulator: Emulator) -> None:
    guests = list(client.iter_guests(ORG, MANY, page_size=30))
    emails = [g.email for g in guests]
    assert len(emails) == len(set(emails)) == 250
    assert len(logged(emulator, "getVoucherProgramGuestInfo")) == 9  # ceil(250 / 30)


def test_typed_errors_carry_code_message_and_rule(client: VouchersClient, emulator: Emulator) -> None:
    with pytest.raises(NotFoundError) as missing:
        client.update_voucher_program(ORG, "00000000-0000-4000-8000-000000000000", {"name": "x"})
    assert (missing.value.status, missing.value.code, missing.value.message) == (
        404,
        "resource_not_found",
        "Voucher program is not found",
    )
    with pytest.raises(BadRequestError) as canceled:
        client.update_voucher_program(ORG, FIXTURES["program_canceled"], {"name": "x"})
    assert (canceled.value.code, canceled.value.rule_id) == (
        "invalid_request",
        "UPD-CANCELED-IMMUTABLE",
    )
    inactive = create_request(
        emulator,
        template_uuid=FIXTURES["template_inactive"],
        program_uuid="8e7d6c5b-4a39-4281-b0f9-e8d7c6b5a493",
        name="Retired Template",
    )
    with pytest.raises(TemplateInactiveError) as refused:
        client.create_individual_voucher_program(ORG, inactive)
    assert refused.value.code == "campaign_template_inactive"


def test_rules_the_models_drop_are_checked_before_sending(client: VouchersClient, emulator: Emulator) -> None:
    with pytest.raises(RequestValidationError) as caught:
        client.update_voucher_program(ORG, MULTI, {"trip_restriction_type": "PICKUP_ONLY"})
    assert caught.value.rule_id == "UPD-TRIP-PICKUP-ONLY"
    with pytest.raises(RequestValidationError) as contact:
        client.create_individual_voucher_program(
            ORG, {k: v for k, v in create_request(emulator).items() if k != "email_address"}
        )
    assert contact.value.rule_id == "CRT-CONTACT-REQUIRED"
    assert logged(emulator, "updateVoucherProgram") == []  # nothing was sent


def test_validation_can_be_left_to_the_server(emulator: Emulator) -> None:
    with (
        VouchersClient(
            first_party(),
            base_url=BASE_URL,
            transport=SyncASGITransport(emulator.app),
            validate_requests=False,
        ) as raw,
        pytest.raises(BadRequestError) as caught,
    ):
        raw.update_voucher_program(ORG, MULTI, {"trip_restriction_type": "PICKUP_ONLY"})
    assert caught.value.rule_id == "UPD-TRIP-PICKUP-ONLY"


def test_one_token_for_many_calls_even_from_threads(emulator: Emulator) -> None:
    provider = first_party()
    with VouchersClient(provider, base_url=BASE_URL, transport=SyncASGITransport(emulator.app)) as shared:
        threads = [
            threading.Thread(target=lambda: [shared.get_voucher_program_guest_info(ORG, MULTI) for _ in range(5)])
            for _ in range(4)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert provider.token_requests == 1
    assert len(logged(emulator, "getVoucherProgramGuestInfo")) == 20


def test_an_expired_or_refused_token_is_renewed_once(client: VouchersClient, emulator: Emulator) -> None:
    client.get_voucher_program_guest_info(ORG, MULTI)
    emulator.clock.advance(2_592_000 * 1000)  # the server's 30 days pass
    client.get_voucher_program_guest_info(ORG, MULTI)
    assert client.auth.token_requests == 2


def test_a_static_token_that_is_refused_is_an_error(emulator: Emulator) -> None:
    with (
        VouchersClient(StaticToken("forged"), base_url=BASE_URL, transport=SyncASGITransport(emulator.app)) as forged,
        pytest.raises(UnauthorizedError) as caught,
    ):
        forged.get_voucher_program_guest_info(ORG, MULTI)
    assert caught.value.code == "unauthorized"


def test_token_errors(emulator: Emulator) -> None:
    credentials = ClientCredentials(client_id="demo-first-party", client_secret="wrong", token_url=TOKEN_URL)
    wrong = VouchersClient(credentials, base_url=BASE_URL, transport=SyncASGITransport(emulator.app))
    with wrong, pytest.raises(TokenError) as caught:
        wrong.get_voucher_program_guest_info(ORG, MULTI)
    assert (caught.value.status, caught.value.error) == (401, "invalid_client")


def test_forbidden_for_an_unapproved_third_party(emulator: Emulator) -> None:
    app = ClientCredentials(client_id="demo-aggregator-unapproved", client_secret=SECRETS["demo-aggregator-unapproved"])
    with (
        VouchersClient(app, base_url=BASE_URL, transport=SyncASGITransport(emulator.app)) as third,
        pytest.raises(ForbiddenError) as caught,
    ):
        third.get_voucher_program_guest_info(ORG, MULTI)
    assert caught.value.code == "unauthorized"


def test_429_and_5xx_are_retried_honouring_retry_after(
    client: VouchersClient, emulator: Emulator, sleeps: list[float]
) -> None:
    emulator.faults.add(Fault("getVoucherProgramGuestInfo", "rate-limit", 1, retry_after=3))
    emulator.faults.add(Fault("getVoucherProgramGuestInfo", "error", 1))
    page = client.get_voucher_program_guest_info(ORG, MULTI).data
    assert page.guests
    assert sleeps[0] == 3.0  # Retry-After wins
    assert 0 <= sleeps[1] <= 1.0  # then jittered backoff (0.5 * 2 ** 1 at most)
    assert [e["status"] for e in logged(emulator, "getVoucherProgramGuestInfo")] == [429, 500, 200]


def test_retries_are_bounded(client: VouchersClient, emulator: Emulator, sleeps: list[float]) -> None:
    emulator.faults.add(Fault("generateVoucherCodes", "error", 10))
    with pytest.raises(ServerError) as caught:
        client.generate_voucher_codes(ORG, MULTI, 1)
    assert caught.value.code == "internal_server_error"
    assert len(logged(emulator, "generateVoucherCodes")) == RetryPolicy().max_attempts == 4
    assert len(sleeps) == 3


def test_409_is_a_typed_error(client: VouchersClient, emulator: Emulator) -> None:
    emulator.clock.freeze()
    emulator.settings.code_generation_ms_per_code = 10
    client.generate_voucher_codes(ORG, MULTI, 10)
    with pytest.raises(ConflictError) as caught:
        client.generate_voucher_codes(ORG, MULTI, 1)
    assert caught.value.code == "code_generation_in_progress"


def test_authorization_code_is_exchanged_once_then_refreshed(emulator: Emulator) -> None:
    redirect = "http://127.0.0.1:8765/callback"
    with httpx.Client(transport=SyncASGITransport(emulator.app), base_url=BASE_URL) as http:
        location = http.get(
            "/oauth/v2/authorize",
            params={
                "response_type": "code",
                "client_id": "demo-delegated-app",
                "redirect_uri": redirect,
            },
        ).headers["location"]
    code = parse_qs(urlsplit(location).query)["code"][0]
    provider = AuthorizationCode(
        client_id="demo-delegated-app",
        client_secret=SECRETS["demo-delegated-app"],
        code=code,
        redirect_uri=redirect,
        token_url=TOKEN_URL,
    )
    with VouchersClient(provider, base_url=BASE_URL, transport=SyncASGITransport(emulator.app)) as delegated:
        delegated.get_voucher_program_guest_info(ORG, MULTI)
        provider.invalidate()
        delegated.get_voucher_program_guest_info(ORG, MULTI)  # renewed with the refresh token
        with pytest.raises(ForbiddenError):
            delegated.create_individual_voucher_program(ORG, create_request(emulator))
    assert provider.token_requests == 2


def test_a_response_that_breaks_the_description_is_reported() -> None:
    def misbehaving(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/token"):
            return httpx.Response(200, json={"access_token": "t", "expires_in": 60})
        return httpx.Response(200, json={"guests": [{"voucher": {"voucher_status": "VOUCHER_LOST"}}]})

    with (
        VouchersClient(first_party(), base_url=BASE_URL, transport=httpx.MockTransport(misbehaving)) as client,
        pytest.raises(ResponseValidationError),
    ):
        client.get_voucher_program_guest_info(ORG, MULTI)
