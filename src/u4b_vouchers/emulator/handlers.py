"""HTTP handlers of the vendor's paths: parse the request, call the store, serialise the result."""

from __future__ import annotations

import asyncio
import base64
import binascii
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from .errors import ApiError, BadBody, OAuthError, error_response, invalid_request, json_response
from .jsonbody import MalformedJson, parse_json

if TYPE_CHECKING:
    from .app import Emulator

Handler = Callable[[Request], Awaitable[Response]]


def emulator_of(request: Request) -> Emulator:
    emulator: Emulator = request.app.state.emulator
    return emulator


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise invalid_request(f"This request is invalid: the body is larger than {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise invalid_request(f"This request is invalid: the body is larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def read_json(request: Request) -> Any:
    """The JSON body, or a :class:`BadBody` for a wrong content type, no body or malformed JSON.

    A bad body is not raised here: the store reports it after authentication and access
    checks, so a caller without access learns nothing from the body's fate.
    """
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json" and not (
        media_type.startswith("application/") and media_type.endswith("+json")
    ):
        return BadBody(invalid_request("This request is invalid: Content-Type must be application/json"))
    try:
        raw = await read_body(request, emulator_of(request).settings.max_body_bytes)
    except ApiError as error:
        return BadBody(error)
    if not raw.strip():
        return BadBody(invalid_request("This request is invalid: a JSON body is required"))
    try:
        return parse_json(raw)
    except MalformedJson as exc:
        return BadBody(invalid_request(f"This request is invalid: malformed JSON ({exc})"))


def _path(request: Request, name: str) -> str:
    return str(request.path_params[name])


# ------------------------------------------------------------------ the four operations


async def generate_voucher_codes(request: Request) -> Response:
    emulator = emulator_of(request)
    principal = emulator.store.oauth.principal(request.headers.get("authorization"))
    body = await read_json(request)
    emulator.store.generate_voucher_codes(
        principal, _path(request, "organization_id"), _path(request, "voucher_program_id"), body
    )
    return Response(status_code=200)


async def create_individual_voucher_program(request: Request) -> Response:
    emulator = emulator_of(request)
    principal = emulator.store.oauth.principal(request.headers.get("authorization"))
    body = await read_json(request)
    created = emulator.store.create_individual_voucher_program(principal, _path(request, "organization_id"), body)
    return json_response(200, created)


async def get_voucher_program_guest_info(request: Request) -> Response:
    emulator = emulator_of(request)
    principal = emulator.store.oauth.principal(request.headers.get("authorization"))
    page = emulator.store.get_voucher_program_guest_info(
        principal,
        _path(request, "organization_id"),
        _path(request, "voucher_program_id"),
        request.query_params.get("limit"),
        request.query_params.get("page_token"),
    )
    return json_response(200, page)


async def update_voucher_program(request: Request) -> Response:
    emulator = emulator_of(request)
    principal = emulator.store.oauth.principal(request.headers.get("authorization"))
    body = await read_json(request)
    emulator.store.update_voucher_program(
        principal, _path(request, "organization_id"), _path(request, "voucher_program_id"), body
    )
    return Response(status_code=204)


OPERATIONS: dict[str, Handler] = {
    "generateVoucherCodes": generate_voucher_codes,
    "createIndividualVoucherProgram": create_individual_voucher_program,
    "getVoucherProgramGuestInfo": get_voucher_program_guest_info,
    "updateVoucherProgram": update_voucher_program,
}


def drifted(error: ApiError, flags: set[str]) -> ApiError:
    """An error as the active fault flags distort it (faultflags.py)."""
    status, code, message = error.status, error.code, error.message
    if "not-found-as-400" in flags and status == 404:
        status, code = 400, "invalid_request"
    if "invalid-request-as-422" in flags and code == "invalid_request":
        status = 422
    if "invalid-request-code-renamed" in flags and code == "invalid_request":
        code = "bad_request"
    if "missing-token-as-403" in flags and status == 401:
        status = 403
    if "error-body-without-code" in flags:
        code = ""
    return ApiError(status, code, message, rule=error.rule, headers=error.headers)


def operation_endpoint(operation_id: str, handler: Handler) -> Handler:
    """The handler behind injected faults, with errors turned into documented responses."""

    async def endpoint(request: Request) -> Response:
        request.scope["u4b.operation"] = operation_id
        emulator = emulator_of(request)
        flags = emulator.store.flags
        fault = emulator.faults.take(operation_id)
        if fault is not None:
            if fault.kind == "delay":
                await asyncio.sleep(fault.delay_ms / 1000)
            elif fault.kind == "rate-limit":
                body = {
                    "code": "rate_limit_exceeded",
                    "message": "Too many requests",
                    "shouldRetry": True,
                }
                headers = {} if "rate-limit-without-retry-after" in flags else {"Retry-After": str(fault.retry_after)}
                return json_response(429, body, headers)
            elif "server-error-as-text" in flags:
                return Response("Internal Server Error", status_code=500, media_type="text/plain")
            else:
                body = {"code": "internal_server_error", "message": "We have experienced a problem"}
                return json_response(500, body)
        try:
            return await handler(request)
        except ApiError as error:
            return error_response(drifted(error, flags) if flags else error)

    return endpoint


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
        except (binascii.Error, UnicodeDecodeError):
            raise OAuthError(401, "invalid_client", "Malformed Basic credentials.") from None
        fields.setdefault("client_id", client_id)
        fields.setdefault("client_secret", secret)
    return fields


async def token(request: Request) -> Response:
    try:
        body = emulator_of(request).store.oauth.token(await _form(request))
    except OAuthError as error:
        return error.response()
    return json_response(200, body, {"Cache-Control": "no-store"})


async def authorize(request: Request) -> Response:
    try:
        location = emulator_of(request).store.oauth.authorize(dict(request.query_params))
    except OAuthError as error:
        return error.response()
    return RedirectResponse(location, status_code=302)


__all__ = ["OPERATIONS", "authorize", "error_response", "operation_endpoint", "token"]
