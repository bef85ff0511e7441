"""The request pipeline of the vendor's four operations, each step in one place.

route (:mod:`.app`, from the spec's paths) → receive (the raw request, :func:`receive`) →
authenticate and authorize (:class:`~.auth.AccessControl`) → parse (strict JSON,
:mod:`.jsonbody`) → validate (the spec's schemas, :mod:`.validation`) → domain (the store, in
the same transaction) → serialise (:mod:`.handlers`, :mod:`.responses`).

Every error on the way is an :class:`~.catalogue.ApiError` carrying its rule id; the rule id
reaches the request log as a value (:class:`Exchange`). Drift (:mod:`.drift`) is applied at
named points, and readings (:mod:`.readings`) are read where they decide something.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from . import handlers
from .auth import Principal
from .bounds import Limits
from .catalogue import INTERNAL_ERROR, INVALID_REQUEST, PROGRAM_NOT_FOUND, RATE_LIMITED, ApiError
from .drift import Drift
from .jsonbody import MalformedJson, is_json_media_type, parse_json, read_limited
from .paging import PageTokens, TokenRefused
from .readings import Readings
from .responses import Reply, Serialiser, dumps
from .store import MUST_EXIST, UPDATE, Call
from .vendor import Vendor

EXCHANGE = "u4b.exchange"
MALFORMED_JSON = "malformed-json"

#: The caller the ``no-token-required`` drift serves requests without a token as.
ANONYMOUS = Principal(
    client_id="anonymous",
    grant="client_credentials",
    scopes=frozenset({"organizations.voucher_programs"}),
    org_id=None,
    user_id=None,
    third_party=False,
)


@dataclass
class Exchange:
    """What the request log records of one request; filled in on the way."""

    operation: str | None = None
    rule: str | None = None


@dataclass(frozen=True)
class Incoming:
    """One request to an operation, as received: nothing parsed or judged yet."""

    operation_id: str
    organization_id: str
    program_id: str | None
    authorization: str | None
    query: Mapping[str, str]
    content_type: str = ""
    raw: bytes | None = None
    too_large: bool = False


class _Discarded(Exception):
    """Raised inside the transaction to roll it back while answering ``reply`` (drift)."""

    def __init__(self, reply: Reply):
        self.reply = reply


class DriftedTokens(PageTokens):
    """Page tokens as the paging drift distorts them."""

    def __init__(self, tokens: PageTokens, drift: Drift):
        super().__init__(signed=tokens.signed)
        self._inner, self._drift = tokens, drift

    def encode(self, conn: sqlite3.Connection, program_id: str, after_seq: int) -> str:
        return self._inner.encode(conn, program_id, self._drift.next_position(after_seq))

    def decode(self, conn: sqlite3.Connection, program_id: str, token: str) -> int:
        try:
            after = self._inner.decode(conn, program_id, token)
        except TokenRefused:
            if self._drift.refused_token_position is None:
                raise
            return self._drift.refused_token_position
        return self._drift.position(after)


async def _chunks(receive_message: Receive) -> AsyncIterator[bytes]:
    """The body's chunks from the ASGI ``http.request`` messages."""
    while True:
        message = await receive_message()
        if message["type"] != "http.request":
            return
        yield message.get("body", b"")
        if not message.get("more_body", False):
            return


async def receive(
    scope: Scope, receive_message: Receive, operation_id: str, params: Mapping[str, str], *, body: bool, limit: int
) -> Incoming:
    """The request's parts, from the raw ASGI messages; a body is read up to ``limit`` bytes
    (more is refused later, at the parse step)."""
    authorization, content_type, declared = None, "", None
    for name, value in scope["headers"]:
        if name == b"authorization":
            authorization = value.decode("latin-1")
        elif name == b"content-type":
            content_type = value.decode("latin-1")
        elif name == b"content-length":
            declared = value.decode("latin-1")
    raw = await read_limited(_chunks(receive_message), declared, limit) if body else None
    query = dict(parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)) if not body else {}
    return Incoming(
        operation_id=operation_id,
        organization_id=params.get("organization_id", ""),
        program_id=params.get("voucher_program_id"),
        authorization=authorization,
        query=query,
        content_type=content_type,
        raw=raw,
        too_large=body and raw is None,
    )


async def send_reply(reply: Reply, send: Send) -> None:
    headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in reply.headers.items()]
    if reply.rule:
        headers.append((b"x-u4b-rule", reply.rule.encode("latin-1")))
    if reply.text is not None:
        content = reply.text.encode()
        headers.append((b"content-type", reply.media_type.encode("latin-1")))
    elif reply.body is not None:
        content = dumps(reply.body)
        headers.append((b"content-type", b"application/json"))
    else:
        content = b""
    headers.append((b"content-length", str(len(content)).encode()))
    await send({"type": "http.response.start", "status": reply.status, "headers": headers})
    await send({"type": "http.response.body", "body": content})


class Pipeline:
    """Runs requests through the steps against one :class:`~.vendor.Vendor`."""

    def __init__(self, vendor: Vendor):
        self.vendor = vendor
        self._serialiser = Serialiser(vendor.readings)

    def serialiser(self, readings: Readings) -> Serialiser:
        """The serialiser of ``readings`` (made anew only when the vendor's readings change)."""
        if self._serialiser.readings is not readings:
            self._serialiser = Serialiser(readings)
        return self._serialiser

    # -------------------------------------------------------------- steps

    def authenticate(self, conn: sqlite3.Connection, incoming: Incoming, drift: Drift) -> Principal:
        header = incoming.authorization
        if drift.anonymous and (not header or not header.strip()):
            return ANONYMOUS
        return self.vendor.access.authenticate(conn, header)

    def parse(self, incoming: Incoming, readings: Readings) -> Any:
        """The JSON body, strictly; ``null-fields=absent`` drops top-level nulls, and
        ``empty-update-body=nothing`` reads an update that sends no object as ``{}`` (D-061)."""
        catalogue = self.vendor.catalogue
        lenient = incoming.operation_id == UPDATE and readings.is_("empty-update-body", "nothing")
        if not is_json_media_type(incoming.content_type) and not lenient:
            raise catalogue.error(INVALID_REQUEST, "Content-Type must be application/json")
        if incoming.too_large:
            raise catalogue.error(
                INVALID_REQUEST, f"the body is larger than {self.vendor.settings.max_body_bytes} bytes"
            )
        if not (incoming.raw or b"").strip():
            if lenient:
                return {}
            raise catalogue.error(INVALID_REQUEST, "a JSON body is required")
        try:
            body = parse_json(incoming.raw or b"")
        except MalformedJson as exc:
            raise catalogue.error(INVALID_REQUEST, f"malformed JSON ({exc})", cause=MALFORMED_JSON) from None
        if body is None and lenient:
            return {}
        if isinstance(body, dict) and readings.is_("null-fields", "absent"):
            body = {key: value for key, value in body.items() if value is not None}
        return body

    def limits(self) -> Limits:
        settings = self.vendor.settings
        return Limits(int(settings.max_array_items), int(settings.max_string_length))

    def handle(self, incoming: Incoming, operation: handlers.Operation) -> Reply:
        vendor = self.vendor
        drift, readings, ignored = vendor.drift, vendor.readings, vendor.ignored_rules
        serialiser = self.serialiser(readings)
        op = incoming.operation_id
        try:
            with vendor.db.transaction() as conn:
                principal = self.authenticate(conn, incoming, drift)
                if principal is not ANONYMOUS:
                    vendor.access.authorize(
                        conn, principal, op, incoming.organization_id, ignored=ignored, readings=readings
                    )
                call = Call(
                    op,
                    incoming.organization_id,
                    principal,
                    vendor.clock.now_ms(),
                    readings,
                    incoming.program_id,
                    ignored,
                )
                if (
                    incoming.program_id is not None
                    and readings.is_("error-precedence", "existence-first")
                    and MUST_EXIST not in ignored
                    and vendor.store.program(conn, call) is None
                ):
                    raise vendor.catalogue.error(PROGRAM_NOT_FOUND, rule=MUST_EXIST)
                body = None
                if operation.body:
                    body = self.parse(incoming, readings)
                    vendor.validator.check_bounds(op, body, self.limits(), ignored)
                    vendor.validator.validate_body(op, body, ignored, readings)
                tokens = DriftedTokens(vendor.page_tokens, drift) if drift else vendor.page_tokens
                reply = operation.run(
                    handlers.Context(vendor, conn, call, incoming.query, tokens, drift, serialiser), body
                )
                if op in drift.discards:
                    raise _Discarded(reply)
        except _Discarded as discarded:
            reply = discarded.reply
        except ApiError as error:
            reply = serialiser.error(drift.error(error))
        return drift.reply(op, reply)

    def injected(self, operation_id: str) -> Reply | float | None:
        """The reply of an injected fault for this call, or seconds to stall first, or None."""
        fault = self.vendor.faults.take(operation_id)
        if fault is None:
            return None
        serialiser = self.serialiser(self.vendor.readings)
        if fault.kind == "delay":
            return fault.delay_ms / 1000
        if fault.kind == "rate-limit":
            error = self.vendor.catalogue.error(RATE_LIMITED, headers={"Retry-After": str(fault.retry_after)})
            reply = serialiser.error(error)
            reply.body["shouldRetry"] = True
        else:
            reply = serialiser.error(self.vendor.catalogue.error(INTERNAL_ERROR))
        return self.vendor.drift.reply(operation_id, reply)

    # -------------------------------------------------------------- the endpoint

    async def serve(
        self, operation: handlers.Operation, params: Mapping[str, str], scope: Scope, receive_: Receive, send: Send
    ) -> None:
        exchange = scope.get(EXCHANGE)
        if isinstance(exchange, Exchange):
            exchange.operation = operation.id
        injected = self.injected(operation.id)
        if isinstance(injected, float):
            await asyncio.sleep(injected)
        elif isinstance(injected, Reply):
            await send_reply(injected, send)
            return
        limit = self.vendor.settings.max_body_bytes
        incoming = await receive(scope, receive_, operation.id, params, body=operation.body, limit=limit)
        # Off the event loop: a large body is judged in a worker thread while other requests are
        # answered (the database's lock still serialises the transactions).
        reply = await run_in_threadpool(self.handle, incoming, operation)
        if isinstance(exchange, Exchange):
            exchange.rule = reply.rule
        await send_reply(reply, send)


def _pattern(template: str) -> re.Pattern[str]:
    """A regular expression of an OpenAPI path template (a parameter is one path segment)."""
    parts = re.split(r"\{([^}]+)\}", template)
    text = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>[^/]+)" for i, part in enumerate(parts))
    return re.compile(f"^{text}$")


class Router:
    """The route step: the vendor's operations by method and path (from the spec), straight
    into the pipeline; everything else (OAuth, the control plane, 404 and 405) to ``fallback``."""

    def __init__(self, pipeline: Pipeline, operations: Mapping[str, handlers.Operation], fallback: ASGIApp):
        self.fallback = fallback
        self.pipeline = pipeline
        self.routes: list[tuple[str, re.Pattern[str], handlers.Operation]] = [
            (op.method.upper(), _pattern(op.path), operations[op.operation_id])
            for op in pipeline.vendor.spec.operations()
            if op.operation_id in operations
        ]

    async def __call__(self, scope: Scope, receive_: Receive, send: Send) -> None:
        if scope["type"] == "http":
            method, path = scope["method"], scope["path"]
            for route_method, pattern, operation in self.routes:
                if method == route_method:
                    match = pattern.match(path)
                    if match is not None:
                        await self.pipeline.serve(operation, match.groupdict(), scope, receive_, send)
                        return
        await self.fallback(scope, receive_, send)


__all__ = ["ANONYMOUS", "EXCHANGE", "Exchange", "Incoming", "Pipeline", "Router", "receive"]
