"""When no response comes: the client raises its own NetworkError, tries a connection that was
never made again (nothing reached the server), and never resends a request that may have."""

from __future__ import annotations

import socket
from pathlib import Path

import anyio
import httpx
import pytest

from tests.emulator.conftest import FIXTURES
from tests.emulator.test_persistence import served
from u4b_vouchers.client import (
    AsyncVouchersClient,
    ClientCredentials,
    NetworkError,
    RetryPolicy,
    VouchersClient,
    VouchersError,
)
from u4b_vouchers.profile import load_profile

MULTI = FIXTURES["program_started_multi_code"]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_a_refused_connection_is_tried_again_then_a_network_error() -> None:
    base = f"http://127.0.0.1:{closed_port()}"
    sleeps: list[float] = []
    auth = ClientCredentials(client_id="id", client_secret="secret", token_url=f"{base}/oauth/v2/token")
    client = VouchersClient(auth, base_url=base, sleep=sleeps.append, retry=RetryPolicy(max_attempts=3))
    with client, pytest.raises(NetworkError) as raised:
        client.update_voucher_program("org", "program", {"expense_memo": "m"})
    assert isinstance(raised.value, VouchersError)
    assert isinstance(raised.value.__cause__, httpx.ConnectError)
    assert raised.value.operation_id == "updateVoucherProgram"
    assert len(sleeps) == 2  # three attempts in all


def test_the_async_client_raises_the_same() -> None:
    base = f"http://127.0.0.1:{closed_port()}"
    sleeps: list[float] = []

    async def record(seconds: float) -> None:
        sleeps.append(seconds)

    async def scenario() -> None:
        auth = ClientCredentials(client_id="id", client_secret="secret", token_url=f"{base}/oauth/v2/token")
        async with AsyncVouchersClient(auth, base_url=base, sleep=record) as client:
            with pytest.raises(NetworkError):
                await client.generate_voucher_codes("org", "program", 1)

    anyio.run(scenario)
    assert len(sleeps) == RetryPolicy().max_attempts - 1


def test_a_timed_out_request_is_not_sent_again(tmp_path: Path) -> None:
    profile_path = tmp_path / "profile.toml"
    with served(tmp_path / "state.sqlite", profile_path):
        profile = load_profile(profile_path)
        sleeps: list[float] = []
        with VouchersClient.from_profile(profile, timeout=0.5, sleep=sleeps.append) as client:
            client.get_voucher_program_guest_info(profile.organization_id, MULTI, limit=1)  # token fetched
            fault = {"operation": "generateVoucherCodes", "kind": "delay", "count": 5, "delay_ms": 2000}
            httpx.post(f"{profile.base_url}/__emulator/faults", json=fault).raise_for_status()
            with pytest.raises(NetworkError) as raised:
                client.generate_voucher_codes(profile.organization_id, MULTI, 1)
        assert isinstance(raised.value.__cause__, httpx.ReadTimeout)
        assert sleeps == []
        pending = httpx.get(f"{profile.base_url}/__emulator/faults").json()["faults"]
        assert [f["remaining"] for f in pending] == [4]  # the request reached the server once
