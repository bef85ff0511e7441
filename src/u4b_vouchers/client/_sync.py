"""The synchronous client."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
from u4b_vouchers_generated import CreateIndividualVoucherProgramResponse, Guest, GuestList

from ._auth import TokenProvider
from ._base import ClientBase
from ._operations import Call, CreateRequest, UpdateRequest
from ._retry import RetryPolicy


class VouchersClient(ClientBase):
    """One method per operation of the Vouchers API.

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
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        super().__init__(auth, base_url=base_url, retry=retry, validate_requests=validate_requests)
        self._http = httpx.Client(timeout=timeout, transport=transport)
        self._sleep = sleep

    def __enter__(self) -> VouchersClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _send(self, call: Call) -> httpx.Response:
        attempt, renewed = 1, False
        while True:
            try:
                token = self.auth.token(self._http)
                response = self._http.request(**self._request(call, token))
            except httpx.TransportError as error:
                self._sleep(self._reconnect(call, error, attempt))
                attempt += 1
                continue
            step = self._next(response, attempt, renewed)
            if step.renew:
                renewed = True
            elif step.wait is not None:
                self._sleep(step.wait)
                attempt += 1
            else:
                return response

    def _run(self, call: Call) -> Any:
        return self._ops.parse(call, self._send(call))

    def generate_voucher_codes(self, organization_id: str, voucher_program_id: str, number_of_codes: int) -> None:
        """Add ``number_of_codes`` codes to a MULTI_CODE_SINGLE_REDEEM program."""
        self._run(self._ops.generate(organization_id, voucher_program_id, number_of_codes))

    def create_individual_voucher_program(
        self, organization_id: str, request: CreateRequest
    ) -> CreateIndividualVoucherProgramResponse:
        """Deprecated by the vendor: use Create Voucher Program From Template where you can."""
        result: CreateIndividualVoucherProgramResponse = self._run(self._ops.create(organization_id, request))
        return result

    def get_voucher_program_guest_info(
        self,
        organization_id: str,
        voucher_program_id: str,
        *,
        limit: int | None = None,
        page_token: str | None = None,
    ) -> GuestList:
        result: GuestList = self._run(self._ops.guests(organization_id, voucher_program_id, limit, page_token))
        return result

    def iter_guests(
        self, organization_id: str, voucher_program_id: str, *, page_size: int | None = None
    ) -> Iterator[Guest]:
        """Every guest of the program, following ``next_token`` page after page."""
        token: str | None = None
        while True:
            page = self.get_voucher_program_guest_info(
                organization_id, voucher_program_id, limit=page_size, page_token=token
            )
            yield from page.guests or []
            token = page.next_token
            if not token:
                return

    def update_voucher_program(self, organization_id: str, voucher_program_id: str, request: UpdateRequest) -> None:
        """Change the fields given; fields left out keep their values."""
        self._run(self._ops.update(organization_id, voucher_program_id, request))
