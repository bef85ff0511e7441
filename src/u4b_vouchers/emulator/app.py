"""Assembling the emulator: state, the vendor routes (from the spec), OAuth, the control plane."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..spec import Spec, load_spec
from . import control
from .clock import Clock
from .db import Database
from .errors import ApiError, error_response, json_response
from .faults import FaultInjector
from .handlers import OPERATIONS, authorize, operation_endpoint, token
from .requestlog import Entry, RequestLog
from .seed import apply_seed, read_seed
from .settings import Settings
from .store import Store

logger = logging.getLogger("u4b_vouchers.emulator")

TOKEN_PATH = "/oauth/v2/token"
AUTHORIZE_PATH = "/oauth/v2/authorize"


class Emulator:
    """One emulated vendor: its state, clock, settings, faults and request log.

    ``seed`` is a built-in seed name, a path, or an already-parsed mapping; ``state`` a SQLite
    file that keeps everything across restarts (a file that already holds data is not
    re-seeded).
    """

    def __init__(
        self,
        *,
        spec: Spec | None = None,
        seed: str | Path | dict[str, Any] | None = "demo",
        state: str | Path | None = None,
        settings: Settings | None = None,
        control_plane: bool = True,
    ):
        self.spec = spec or load_spec()
        self.clock = Clock()
        self.settings = settings or Settings()
        self.db = Database(state)
        self.store = Store(self.spec, self.db, self.clock, self.settings)
        self.faults = FaultInjector()
        self.log = RequestLog()
        self.control_plane = control_plane
        self.seed: dict[str, Any] = (seed if isinstance(seed, dict) else read_seed(seed)) if seed is not None else {}
        if self.db.is_empty():
            apply_seed(self.db, self.seed, self.clock.now_ms())
        self.app = build_app(self)

    def reset(self) -> None:
        """Back to the seed: data, clock, settings, faults, disabled rules and the log."""
        self.clock.reset()
        for key, value in Settings().as_dict().items():
            setattr(self.settings, key, value)
        self.faults.clear()
        self.log.clear()
        self.store.disabled_rules = set()
        self.store.flags.clear()
        apply_seed(self.db, self.seed, self.clock.now_ms())

    def load_seed(self, seed: dict[str, Any]) -> None:
        apply_seed(self.db, seed, self.clock.now_ms())
        self.seed = seed

    def profile_data(self, base_url: str, *, name: str = "emulator") -> dict[str, Any]:
        """A target profile (see :mod:`u4b_vouchers.profile`) for this emulator at ``base_url``."""
        described = self.seed.get("profile") or {}
        secrets = {client["id"]: client["secret"] for client in self.seed.get("clients") or []}
        identities = {}
        for identity, spec in (described.get("identities") or {}).items():
            entry = dict(spec)
            if "client_id" in entry:
                entry["client_secret"] = secrets.get(entry["client_id"], "")
            identities[identity] = entry
        base = base_url.rstrip("/")
        return {
            "name": name,
            "base_url": base,
            "token_url": base + TOKEN_PATH,
            "organization_id": described.get("organization_id", ""),
            "foreign_organization_id": described.get("foreign_organization_id", ""),
            "emulator": self.control_plane,
            "identities": identities,
            "fixtures": dict(described.get("fixtures") or {}),
        }

    def close(self) -> None:
        self.db.close()


class Guard:
    """Outermost middleware: logs every request and turns any unexpected exception into the
    documented 500 body, so no traceback ever reaches a client."""

    def __init__(self, app: ASGIApp, emulator: Emulator):
        self.app = app
        self.emulator = emulator

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        outcome: dict[str, Any] = {"status": 500, "rule": None, "sent": False}

        async def recording_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                outcome["status"] = message["status"]
                outcome["sent"] = True
                for key, value in message.get("headers", []):
                    if key.lower() == b"x-u4b-rule":
                        outcome["rule"] = value.decode()
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        except Exception:
            logger.exception("unexpected error on %s %s", scope.get("method"), scope.get("path"))
            if not outcome["sent"]:
                response = json_response(
                    500,
                    {"code": "internal_server_error", "message": "We have experienced a problem"},
                )
                await response(scope, receive, recording_send)
        finally:
            self.emulator.log.add(
                Entry(
                    time_ms=self.emulator.clock.now_ms(),
                    method=str(scope.get("method")),
                    path=str(scope.get("path")),
                    operation=scope.get("u4b.operation"),
                    status=int(outcome["status"]),
                    rule=outcome["rule"],
                    duration_ms=round((time.perf_counter() - started) * 1000, 3),
                )
            )


async def _http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        allow = (exc.headers or {}).get("Allow", "")
        return json_response(
            405,
            {
                "code": "method_not_allowed",
                "message": f"{request.method} is not allowed here; allowed: {allow}",
            },
            exc.headers,
        )
    if exc.status_code == 404:
        return json_response(
            404,
            {"code": "not_found", "message": f"No route for {request.method} {request.url.path}"},
        )
    return json_response(exc.status_code, {"code": "invalid_request", "message": str(exc.detail)}, exc.headers)


async def _unexpected(request: Request, exc: Exception) -> Response:
    """Starlette's last resort: the documented 500 body, not plain text (the Guard logs it)."""
    return json_response(500, {"code": "internal_server_error", "message": "We have experienced a problem"})


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(exc)


def build_app(emulator: Emulator) -> ASGIApp:
    routes: list[Route] = []
    for op in emulator.spec.operations():
        handler = OPERATIONS.get(op.operation_id)
        if handler is not None:
            routes.append(
                Route(
                    op.path,
                    operation_endpoint(op.operation_id, handler),
                    methods=[op.method.upper()],
                    name=op.operation_id,
                )
            )
    routes += [
        Route(TOKEN_PATH, token, methods=["POST"]),
        Route(AUTHORIZE_PATH, authorize, methods=["GET"]),
    ]
    if emulator.control_plane:
        routes += control.ROUTES
    app = Starlette(
        routes=routes,
        exception_handlers={
            HTTPException: _http_exception,
            ApiError: _api_error,
            Exception: _unexpected,
        },
    )
    app.state.emulator = emulator
    return Guard(app, emulator)


def create_app(**options: Any) -> ASGIApp:
    """An ASGI app of a new :class:`Emulator` (options as for ``Emulator``)."""
    return Emulator(**options).app


__all__ = ["Emulator", "create_app"]
