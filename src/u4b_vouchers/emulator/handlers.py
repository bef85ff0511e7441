"""The handlers: call the domain with what the pipeline parsed, and serialise what it returns.

One small function per operation of the vendor's API, and the OAuth endpoints. Nothing here
judges a request: the pipeline has authenticated, parsed and validated it, and the store
applies the rules.
"""

from __future__ import annotations

import base64
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from .catalogue import OAuthError
from .drift import Drift
from .paging import PageTokens
from .responses import Reply, Serialiser, json_response, oauth_error
from .store import Call

if TYPE_CHECKING:  # the vendor is handed in by the pipeline; no import at run time
    from .vendor import Vendor


@dataclass(frozen=True)
class Context:
    """What a handler works with: the vendor, the request's transaction and call, and the
    query, page tokens and drift in force."""

    vendor: Vendor
    conn: sqlite3.Connection
    call: Call
    query: Mapping[str, str]
    tokens: PageTokens
    drift: Drift
    serialiser: Serialiser


Run = Callable[[Context, Any], Reply]


@dataclass(frozen=True)
class Operation:
    id: str
    #: Whether the operation takes a JSON request body.
    body: bool
    run: Run


def generate_voucher_codes(ctx: Context, body: Any) -> Reply:
    ctx.vendor.store.generate_voucher_codes(ctx.conn, ctx.call, body)
    return ctx.serialiser.generated()


def create_individual_voucher_program(ctx: Context, body: Any) -> Reply:
    created = ctx.vendor.store.create_individual_voucher_program(ctx.conn, ctx.call, body)
    return ctx.serialiser.created(created)


def get_voucher_program_guest_info(ctx: Context, body: Any) -> Reply:
    store, call, drift = ctx.vendor.store, ctx.call, ctx.drift
    limit = ctx.vendor.validator.limit(ctx.query.get("limit"))
    if drift:
        limit = drift.page_size(limit if limit is not None else store.page_size(None, call.readings))
        if drift.uncapped:
            call = replace(call, readings=call.readings.with_changes({"page-size-cap": "none"}))
    page = store.get_voucher_program_guest_info(ctx.conn, call, limit, ctx.query.get("page_token"), ctx.tokens)
    if drift.token_on_last_page and page.next_after is None and page.rows:
        page.next_after = int(page.rows[-1]["seq"])
    token = None if page.next_after is None else ctx.tokens.encode(ctx.conn, page.program_id, page.next_after)
    return ctx.serialiser.page(page.rows, token)


def update_voucher_program(ctx: Context, body: Any) -> Reply:
    ctx.vendor.store.update_voucher_program(ctx.conn, ctx.call, body)
    return ctx.serialiser.updated()


OPERATIONS: dict[str, Operation] = {
    op.id: op
    for op in (
        Operation("generateVoucherCodes", True, generate_voucher_codes),
        Operation("createIndividualVoucherProgram", True, create_individual_voucher_program),
        Operation("getVoucherProgramGuestInfo", False, get_voucher_program_guest_info),
        Operation("updateVoucherProgram", True, update_voucher_program),
    )
}


# ------------------------------------------------------------------ OAuth


async def _form(request: Request) -> dict[str, str]:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        raise OAuthError(400, "invalid_request", "The token request must be form-encoded.")
    try:
        form = await request.form()
    except Exception as exc:  # malformed multipart bodies surface as various parser errors
        raise OAuthError(400, "invalid_request", f"Malformed form body: {exc}") from None
    fields = {key: value for key, value in form.items() if isinstance(value, str)}
    basic = request.headers.get("authorization", "")
    if basic.lower().startswith("basic "):
        try:
            client_id, _, secret = base64.b64decode(basic[6:]).decode().partition(":")
        except ValueError:  # not base64 (binascii.Error), not ASCII, or not UTF-8 inside
            raise OAuthError(401, "invalid_client", "Malformed Basic credentials.") from None
        fields.setdefault("client_id", client_id)
        fields.setdefault("client_secret", secret)
    return fields


def oauth_endpoints(vendor: Vendor) -> tuple[Callable[[Request], Any], Callable[[Request], Any]]:
    """The token and authorization endpoints of ``vendor``'s OAuth server."""

    async def token(request: Request) -> Response:
        try:
            body = vendor.oauth.token(await _form(request))
        except OAuthError as error:
            return oauth_error(error)
        return json_response(200, body, {"Cache-Control": "no-store"})

    async def authorize(request: Request) -> Response:
        try:
            location = vendor.oauth.authorize(dict(request.query_params))
        except OAuthError as error:
            return oauth_error(error)
        return RedirectResponse(location, status_code=302)

    return token, authorize
