"""The async client in-process through httpx's ASGITransport, and both clients over HTTP
against a served emulator, configured from the profile it wrote."""

from __future__ import annotations

from pathlib import Path

import anyio
import httpx
import pytest
import u4b_vouchers_generated as models

from tests.client.conftest import BASE_URL, SPEC, TOKEN_URL, create_request
from tests.emulator.conftest import DEMO, FIXTURES, ORG, SECRETS
from tests.emulator.test_persistence import served
from u4b_vouchers.client import (
    AsyncVouchersClient,
    ClientCredentials,
    NotFoundError,
    VouchersClient,
)
from u4b_vouchers.emulator import Emulator
from u4b_vouchers.emulator.faults import Fault
from u4b_vouchers.profile import load_profile

MULTI = FIXTURES["program_started_multi_code"]
MANY = FIXTURES["program_with_many_guests"]


def test_async_client_in_process() -> None:
    emulator = Emulator(spec=SPEC, seed=DEMO)
    sleeps: list[float] = []

    async def record(seconds: float) -> None:
        sleeps.append(seconds)

    async def scenario() -> None:
        provider = ClientCredentials(
            client_id="demo-first-party", client_secret=SECRETS["demo-first-party"], token_url=TOKEN_URL
        )
        transport = httpx.ASGITransport(app=emulator.app)
        async with AsyncVouchersClient(provider, base_url=BASE_URL, transport=transport, sleep=record) as client:
            await client.generate_voucher_codes(ORG, MULTI, 2)
            created = (await client.create_individual_voucher_program(ORG, create_request(emulator))).data
            assert isinstance(created, models.CreateIndividualVoucherProgramResponse)
            await client.update_voucher_program(ORG, str(created.campaign_uuid), {"expense_memo": "async"})
            emulator.faults.add(Fault("getVoucherProgramGuestInfo", "rate-limit", 1, retry_after=2))
            guests = [guest async for guest in client.iter_guests(ORG, MANY, page_size=100)]
            assert len({str(g.email) for g in guests}) == 250
            with pytest.raises(NotFoundError):
                await client.get_voucher_program_guest_info(ORG, "00000000-0000-4000-8000-000000000000")
        assert provider.token_requests == 1

    anyio.run(scenario)
    assert sleeps == [2.0]
    emulator.close()


def test_both_clients_over_http_from_a_profile(tmp_path: Path) -> None:
    profile_path = tmp_path / "profile.toml"
    with served(tmp_path / "state.sqlite", profile_path):
        profile = load_profile(profile_path)
        with VouchersClient.from_profile(profile) as client:
            page = client.get_voucher_program_guest_info(profile.organization_id, MULTI, limit=2).data
            assert len(page.guests or []) == 2
            assert page.next_token
            client.update_voucher_program(profile.organization_id, MULTI, {"expense_memo": "over http"})
        with VouchersClient.from_profile(profile, "delegated") as delegated:
            assert len(list(delegated.iter_guests(profile.organization_id, MANY, page_size=50))) == 250

        async def scenario() -> None:
            async with AsyncVouchersClient.from_profile(profile, "third_party_authorized") as third:
                await third.generate_voucher_codes(profile.organization_id, MULTI, 1)

        anyio.run(scenario)
        view = httpx.get(f"{profile.base_url}/__emulator/programs/{MULTI}").json()
        assert (view["expense_memo"], view["code_count"]) == ("over http", 51)
