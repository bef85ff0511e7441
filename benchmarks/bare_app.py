"""The baseline: a bare Starlette endpoint, served the same way as the emulator."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


async def ping(request: Request) -> Response:
    return Response(b'{"ok":true}', media_type="application/json")


app = Starlette(routes=[Route("/ping", ping, methods=["GET", "PATCH", "POST"])])
