"""The asynchronous client (the same operations as :class:`VouchersClient`, awaited)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
from u4b_vouchers_generated import CreateIndividualVoucherProgramResponse, Guest, GuestList

from ._auth import TokenProvider
from ._base import ClientBase
from ._operations import Call, CreateRequest, UpdateRequest
from ._retry import RetryPolicy


class AsyncVouchersClient(ClientBase):
    """One coroutine per operation of the Vouchers API.

    ``auth`` supplies (and caches) the access token. Requests are checked against the
    description before they are sent (``validate_requests``), so rules the generated models
    cannot express (the trip-restriction conditions, for instance) fail fast with
    :class:`RequestValidationError`. 429 and 5xx responses are retried per ``retry``; a refused
    token is renewed once.
    """

    def __init__(
        self,
        auth: TokenProvider,
        *,
        base_url: str | None = None,
        retry: RetryPolicy | None = None,
        validate_requests: bool = True,
        timeout: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ):
        super().__init__(auth, base_url=base_url, retry=retry, validate_requests=validate_requests)
        self._http = httpx.AsyncClient(timeout=timeout, transport=transport)
        self._sleep = sleep

    async def __aenter__(self) -> AsyncVouchersClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _send(self, call: Call) -> httpx.Response:
        attempt, renewed = 1, False
        while True:
            try:
                token = await self.auth.atoken(self._http)
                response = await self._http.request(**self._request(call, token))
            except httpx.TransportError as error:
                await self._sleep(self._reconnect(call, error, attempt))
                attempt += 1
                continue
            step = self._next(response, attempt, renewed)
            if step.renew:
                renewed = True
            elif step.wait is not None:
                await self._sleep(step.wait)
                attempt += 1
            else:
                return response

    async def _run(self, call: Call) -> Any:
        return self._ops.parse(call, await self._send(call))

    async def generate_voucher_codes(self, organization_id: str, voucher_program_id: str, number_of_codes: int) -> None:
        """Add ``number_of_codes`` codes to a MULTI_CODE_SINGLE_REDEEM program."""
        await self._run(self._ops.generate(organization_id, voucher_program_id, number_of_codes))

    async def create_individual_voucher_program(
        self, organization_id: str, request: CreateRequest
    ) -> CreateIndividualVoucherProgramResponse:
        """Deprecated by the vendor: use Create Voucher Program From Template where you can."""
        result: CreateIndividualVoucherProgramResponse = await self._run(self._ops.create(organization_id, request))
        return result

    async def get_voucher_program_guest_info(
        self,
        organization_id: str,
        voucher_program_id: str,
        *,
        limit: int | None = None,
        page_token: str | None = None,
    ) -> GuestList:
        result: GuestList = await self._run(self._ops.guests(organization_id, voucher_program_id, limit, page_token))
        return result

    async def iter_guests(
        self, organization_id: str, voucher_program_id: str, *, page_size: int | None = None
    ) -> AsyncIterator[Guest]:
        """Every guest of the program, following ``next_token`` page after page."""
        token: str | None = None
        while True:
            page = await self.get_voucher_program_guest_info(
                organization_id, voucher_program_id, limit=page_size, page_token=token
            )
            for guest in page.guests or []:
                yield guest
            token = page.next_token
            if not token:
                return

    async def update_voucher_program(
        self, organization_id: str, voucher_program_id: str, request: UpdateRequest
    ) -> None:
        """Change the fields given; fields left out keep their values."""
        await self._run(self._ops.update(organization_id, voucher_program_id, request))
