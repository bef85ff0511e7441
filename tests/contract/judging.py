"""An httpx transport that hands every exchange to a :class:`TrafficJudge` as it passes: the
judge fed in-process, as the proxy feeds it over the network."""

from __future__ import annotations

import time

import httpx
from contract_tests.observer import TrafficJudge
from contract_tests.target import Exchange


class JudgingTransport(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport, judge: TrafficJudge):
        self.inner, self.judge = inner, judge
        self.started = time.monotonic()
        self.exchanges = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        began = time.monotonic()
        response = self.inner.handle_request(request)
        content = response.read()
        self.exchanges += 1
        self.judge.observe(
            Exchange(
                method=request.method,
                url=str(request.url),
                request_headers=dict(request.headers),
                request_body=body.decode("utf-8", "replace") if body else None,
                status=response.status_code,
                response_headers=dict(response.headers),
                response_body=content.decode("utf-8", "replace"),
                identity=None,
                elapsed_ms=(time.monotonic() - began) * 1000,
                index=self.exchanges,
                seconds=began - self.started,
            )
        )
        return httpx.Response(response.status_code, headers=response.headers, content=content, request=request)
