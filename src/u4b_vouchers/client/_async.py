"""The asynchronous client (the same operations as :class:`VouchersClient`, awaited)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
from u4b_vouchers_generated import CreateIndividualVoucherProgramResponse, Guest, GuestList

from ._auth import TokenProvider
from ._base import ClientBase, own_client_options
from ._environments import Environment
from ._operations import Call, CreateRequest, UpdateRequest
from ._response import ApiResponse
from ._retry import RetryPolicy


class AsyncVouchersClient(ClientBase):
    """One coroutine per operation of the Vouchers API, each returning an :class:`ApiResponse`
    (status, headers and the parsed body).

    Where requests go, how request bodies are checked before they are sent and what is retried:
    :class:`ClientBase` (the same for the sync and async clients).

    ``http_client``: an ``httpx.AsyncClient`` of yours (proxies, certificates, event hooks, a
    transport). Every request goes through it, token requests included, to the environment's
    absolute URLs (its own ``base_url``, if it has one, is not used); it stays yours: closing
    this client leaves it open. Without one, the client makes its own (``timeout``, default
    30 s, and ``transport`` configure it) and closes it on :meth:`aclose`.
    """

    def __init__(
        self,
        auth: TokenProvider,
        *,
        environment: Environment | None = None,
        base_url: str | None = None,
        token_url: str | None = None,
        http_client: httpx.AsyncClient | None = None,
        retry: RetryPolicy | None = None,
        validate_requests: bool = True,
        allow_unknown_fields: bool = False,
        timeout: float | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ):
        super().__init__(
            auth,
            environment=environment,
            base_url=base_url,
            token_url=token_url,
            retry=retry,
            validate_requests=validate_requests,
            allow_unknown_fields=allow_unknown_fields,
        )
        seconds = own_client_options(http_client, transport, timeout)
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):
            raise TypeError(f"http_client must be an httpx.AsyncClient, not {type(http_client).__name__}")
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.AsyncClient(timeout=seconds, transport=transport)
        self._sleep = sleep

    async def __aenter__(self) -> AsyncVouchersClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the httpx client this client made (one passed in as ``http_client`` stays open)."""
        if self._owns_http:
            await self._http.aclose()

    async def _send(self, call: Call) -> httpx.Response:
        attempt, renewed = 1, False
        while True:
            try:
                token = await self.auth.atoken(self._http, self.token_url)
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

    async def generate_voucher_codes(
        self, organization_id: str, voucher_program_id: str, number_of_codes: int
    ) -> ApiResponse[None]:
        """Add ``number_of_codes`` codes to a MULTI_CODE_SINGLE_REDEEM program. The description
        documents no response body (D-003): the codes are read with the guests."""
        call = self._ops.generate(organization_id, voucher_program_id, number_of_codes)
        return self._ops.empty(call, await self._send(call))

    async def create_individual_voucher_program(
        self, organization_id: str, request: CreateRequest
    ) -> ApiResponse[CreateIndividualVoucherProgramResponse]:
        """The program created. Deprecated by the vendor: use Create Voucher Program From
        Template where you can."""
        call = self._ops.create(organization_id, request)
        return self._ops.parsed(call, await self._send(call), CreateIndividualVoucherProgramResponse)

    async def get_voucher_program_guest_info(
        self,
        organization_id: str,
        voucher_program_id: str,
        *,
        limit: int | None = None,
        page_token: str | None = None,
    ) -> ApiResponse[GuestList]:
        """One page of the program's guests; :meth:`iter_guests` follows the pages."""
        call = self._ops.guests(organization_id, voucher_program_id, limit, page_token)
        return self._ops.parsed(call, await self._send(call), GuestList)

    async def iter_guests(
        self, organization_id: str, voucher_program_id: str, *, page_size: int | None = None
    ) -> AsyncIterator[Guest]:
        """Every guest of the program, following ``next_token`` page after page."""
        token: str | None = None
        while True:
            page = (
                await self.get_voucher_program_guest_info(
                    organization_id, voucher_program_id, limit=page_size, page_token=token
                )
            ).data
            for guest in page.guests or []:
                yield guest
            token = page.next_token
            if not token:
                return

    async def update_voucher_program(
        self, organization_id: str, voucher_program_id: str, request: UpdateRequest
    ) -> ApiResponse[None]:
        """Change the fields given; fields left out keep their values."""
        call = self._ops.update(organization_id, voucher_program_id, request)
        return self._ops.empty(call, await self._send(call))
