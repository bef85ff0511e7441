"""The typed client against a real emulator: in-process (sync and async) and over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.emulator.conftest import DEMO, SECRETS, create_body_at
from u4b_vouchers.client import ClientCredentials, SyncASGITransport, VouchersClient
from u4b_vouchers.emulator import Emulator
from u4b_vouchers.spec import load_spec

SPEC = load_spec()
TOKEN_URL = "http://emulator.test/oauth/v2/token"
BASE_URL = "http://emulator.test"


def first_party() -> ClientCredentials:
    """The demo seed's first-party identity; it asks for tokens at the client's token URL."""
    return ClientCredentials(
        client_id="demo-first-party",
        client_secret=SECRETS["demo-first-party"],
        scopes="organizations.voucher_programs",
    )


def create_request(emulator: Emulator, **changes: Any) -> dict[str, Any]:
    return create_body_at(emulator.clock.now_ms(), **changes)


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    instance = Emulator(spec=SPEC, seed=DEMO)
    yield instance
    instance.close()


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(emulator: Emulator, sleeps: list[float]) -> Iterator[VouchersClient]:
    """A sync client calling the emulator in-process; retries sleep into ``sleeps``."""
    with VouchersClient(
        first_party(),
        base_url=BASE_URL,
        transport=SyncASGITransport(emulator.app),
        sleep=sleeps.append,
    ) as made:
        yield made
