"""A synchronous httpx transport for an ASGI app, in-process.

httpx's ``ASGITransport`` is async only; this runs it in an anyio blocking portal (a private
event loop thread), so a plain ``VouchersClient`` can call the embedded emulator without a
server or a socket.
"""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager
from typing import Any

import httpx
from anyio.from_thread import BlockingPortal, start_blocking_portal


class SyncASGITransport(httpx.BaseTransport):
    def __init__(self, app: Any):
        self._transport = httpx.ASGITransport(app=app)
        self._portal_cm: AbstractContextManager[BlockingPortal] | None = None
        self._portal: BlockingPortal | None = None
        self._lock = threading.Lock()

    def _ensure_portal(self) -> BlockingPortal:
        with self._lock:  # threads sharing one client share one event loop
            if self._portal is None:
                self._portal_cm = start_blocking_portal()
                self._portal = self._portal_cm.__enter__()
            return self._portal

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        forwarded = httpx.Request(request.method, request.url, headers=request.headers, content=body)

        async def send() -> tuple[int, list[tuple[bytes, bytes]], bytes]:
            response = await self._transport.handle_async_request(forwarded)
            content = b"".join([chunk async for chunk in response.stream])  # type: ignore[union-attr]
            return response.status_code, response.headers.raw, content

        status, headers, content = self._ensure_portal().call(send)
        return httpx.Response(status, headers=headers, content=content, request=request)

    def close(self) -> None:
        with self._lock:
            if self._portal_cm is not None:
                self._portal_cm.__exit__(None, None, None)
                self._portal_cm = self._portal = None
