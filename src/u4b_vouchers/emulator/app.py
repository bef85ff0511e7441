"""Assembling the emulator: the vendor's routes (from the spec), OAuth and the control plane in
front of a :class:`~.vendor.Vendor`."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..spec import Spec
from . import control
from .catalogue import INTERNAL_ERROR, INVALID_REQUEST, METHOD_NOT_ALLOWED, NO_ROUTE
from .handlers import OPERATIONS, oauth_endpoints
from .pipeline import EXCHANGE, Exchange, Pipeline, Router
from .requestlog import Entry
from .responses import json_response
from .settings import Settings
from .vendor import AUTHORIZE_PATH, TOKEN_PATH, Vendor

logger = logging.getLogger("u4b_vouchers.emulator")


class Emulator(Vendor):
    """The emulated vendor with its ASGI application, ``app``: usable in-process with
    ``httpx.ASGITransport`` or served by ``u4b-vouchers serve``. Options as for
    :class:`~.vendor.Vendor`, and ``control_token``: when given, every control-plane request
    must carry it as ``Authorization: Bearer <token>``."""

    def __init__(
        self,
        *,
        spec: Spec | None = None,
        seed: str | Path | dict[str, Any] | None = "demo",
        state: str | Path | None = None,
        settings: Settings | None = None,
        control_plane: bool = True,
        readings: Mapping[str, str] | None = None,
        control_token: str | None = None,
    ):
        super().__init__(
            spec=spec, seed=seed, state=state, settings=settings, control_plane=control_plane, readings=readings
        )
        self.app = build_app(self, control_token=control_token)


def _body(kind: tuple[int, str], message: str) -> dict[str, str]:
    return {"code": kind[1], "message": message}


class Guard:
    """Outermost middleware: logs every request (the pipeline fills in its operation and rule)
    and turns any unexpected exception into the documented 500 body, so no traceback ever
    reaches a client."""

    def __init__(self, app: ASGIApp, vendor: Vendor):
        self.app = app
        self.vendor = vendor

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        exchange = Exchange()
        scope[EXCHANGE] = exchange
        outcome = {"status": 500, "sent": False}

        async def recording_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                outcome["status"] = message["status"]
                outcome["sent"] = True
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        except Exception:
            logger.exception("unexpected error on %s %s", scope.get("method"), scope.get("path"))
            if not outcome["sent"]:
                message = self.vendor.catalogue.message(*INTERNAL_ERROR)
                await json_response(500, _body(INTERNAL_ERROR, message))(scope, receive, recording_send)
        finally:
            self.vendor.log.add(
                Entry(
                    time_ms=self.vendor.clock.now_ms(),
                    method=str(scope.get("method")),
                    path=str(scope.get("path")),
                    operation=exchange.operation,
                    status=int(outcome["status"]),
                    rule=exchange.rule,
                    duration_ms=round((time.perf_counter() - started) * 1000, 3),
                )
            )


async def _http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        allow = (exc.headers or {}).get("Allow", "")
        message = f"{request.method} is not allowed here; allowed: {allow}"
        return json_response(405, _body(METHOD_NOT_ALLOWED, message), exc.headers)
    if exc.status_code == 404:
        return json_response(404, _body(NO_ROUTE, f"No route for {request.method} {request.url.path}"))
    return json_response(exc.status_code, _body(INVALID_REQUEST, str(exc.detail)), exc.headers)


async def _unexpected(request: Request, exc: Exception) -> Response:
    """Starlette's last resort: the documented 500 body, not plain text (the Guard logs it)."""
    vendor: Vendor = request.app.state.vendor
    return json_response(500, _body(INTERNAL_ERROR, vendor.catalogue.message(*INTERNAL_ERROR)))


async def _unreachable(request: Request) -> Response:
    """Never called: the Router serves these paths and methods before Starlette sees them."""
    raise HTTPException(404)


def build_app(vendor: Vendor, *, control_token: str | None = None) -> ASGIApp:
    pipeline = Pipeline(vendor)
    # The vendor's paths are routed by the pipeline's Router; Starlette knows them only to answer
    # 405 (with Allow) for another method.
    routes = [Route(op.path, _unreachable, methods=[op.method.upper()]) for op in vendor.spec.operations()]
    token, authorize = oauth_endpoints(vendor)
    routes += [
        Route(TOKEN_PATH, token, methods=["POST"]),
        Route(AUTHORIZE_PATH, authorize, methods=["GET"]),
    ]
    if vendor.control_plane:
        routes += control.ROUTES
    app = Starlette(
        routes=routes,
        exception_handlers={HTTPException: _http_exception, Exception: _unexpected},
    )
    app.state.vendor = vendor  # the control plane's handlers find it here
    app.state.control_token = control_token
    return Guard(Router(pipeline, OPERATIONS, app), vendor)


def create_app(**options: Any) -> ASGIApp:
    """An ASGI app of a new :class:`Emulator` (options as for ``Emulator``)."""
    return Emulator(**options).app


__all__ = ["Emulator", "build_app", "create_app"]
