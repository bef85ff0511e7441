"""A synchronous HTTP client for an ASGI app, in-process: httpx's ``ASGITransport`` driven
through an anyio blocking portal (what Starlette's TestClient does, without its deprecation)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import httpx
from anyio.from_thread import BlockingPortal, start_blocking_portal
from starlette.types import ASGIApp


class InProcessClient:
    def __init__(self, app: ASGIApp, base_url: str = "http://emulator.test"):
        self._app = app
        self._base_url = base_url
        self._portal_cm: AbstractContextManager[BlockingPortal] | None = None
        self._portal: BlockingPortal | None = None
        self._client: httpx.AsyncClient | None = None

    def __enter__(self) -> InProcessClient:
        self._portal_cm = start_blocking_portal()
        self._portal = self._portal_cm.__enter__()
        self._client = httpx.AsyncClient(transport=httpx.ASGITransport(app=self._app), base_url=self._base_url)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._portal is not None
        assert self._client is not None
        assert self._portal_cm is not None
        self._portal.call(self._client.aclose)
        self._portal_cm.__exit__(None, None, None)

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        assert self._portal is not None, "use the client in a with block"
        assert self._client is not None
        client = self._client

        async def send() -> httpx.Response:
            return await client.request(method, url, **kwargs)

        return self._portal.call(send)

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def put(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("PUT", url, **kwargs)

    def patch(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("PATCH", url, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", url, **kwargs)


@contextmanager
def in_process(app: ASGIApp) -> Iterator[InProcessClient]:
    with InProcessClient(app) as client:
        yield client
