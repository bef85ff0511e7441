"""Bounds on what a target may send back: a response larger than the cap is not read past it,
and a body that trickles in is not waited for past the request's timeout.

:func:`cap_responses` is an httpx response hook: a ``Content-Length`` over the cap is refused at
once, and any other body is counted as it streams and stopped at the cap, so a huge (or endless)
answer costs at most the cap in memory; the whole body must arrive within the request's read
timeout (httpx's own timeout applies to each read, which a trickle of bytes never trips).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any, cast

import httpx


class TargetFailure(Exception):
    """The target did not give a usable answer (no answer in time, too large, connection lost);
    the message is one line naming the request."""


class ResponseTooLarge(TargetFailure):
    """A response was larger than the cap."""


def _label(request: httpx.Request) -> str:
    return f"{request.method} {request.url.path}"


class _Capped(httpx.SyncByteStream):
    def __init__(self, stream: httpx.SyncByteStream, cap: int, label: str, seconds: float | None):
        self._stream, self._cap, self._label, self._seconds = stream, cap, label, seconds
        self._until = time.monotonic() + seconds if seconds is not None else None

    def __iter__(self) -> Iterator[bytes]:
        seen = 0
        for chunk in self._stream:
            if self._until is not None and time.monotonic() > self._until:
                raise TargetFailure(
                    f"{self._label}: the body did not arrive within {self._seconds:.3g} s (--request-timeout)"
                )
            seen += len(chunk)
            if seen > self._cap:
                raise ResponseTooLarge(
                    f"{self._label}: the response is larger than {self._cap} bytes (--max-response-bytes)"
                )
            yield chunk

    def close(self) -> None:
        self._stream.close()


def cap_responses(cap: int) -> Callable[[httpx.Response], None]:
    """A response hook that bounds every body to ``cap`` bytes (before decoding)."""

    def hook(response: httpx.Response) -> None:
        label = _label(response.request)
        length = response.headers.get("content-length", "")
        if length.isascii() and length.isdigit() and int(length) > cap:
            raise ResponseTooLarge(
                f"{label}: the response is {int(length)} bytes, larger than {cap} (--max-response-bytes)"
            )
        timeout: dict[str, Any] = response.request.extensions.get("timeout") or {}
        read = timeout.get("read")
        seconds = float(read) if isinstance(read, int | float) else None
        response.stream = _Capped(cast(httpx.SyncByteStream, response.stream), cap, label, seconds)

    return hook
