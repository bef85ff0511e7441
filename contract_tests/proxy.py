"""A judging proxy: forwards a client's traffic to a target unchanged and judges it on the side.

:class:`Forwarder` is an ASGI app. Each request is sent on to the target as it came (method,
path, query, headers but the hop-by-hop ones and ``Host``, body) over one pooled
``httpx.AsyncClient``, and the target's answer goes back as it came (status, headers but the
hop-by-hop ones, body bytes as sent); a target that gives no usable answer (refused, timed out,
larger than the cap) is a 502 with a JSON body saying why. Bodies are bounded both ways by the
response cap (``contract_tests/target.py``'s default, or the caller's), and the whole answer
must arrive within the request timeout.

Only once the answer has gone back is the exchange handed to the :class:`Observer`: a queue,
in order, to one worker thread that redacts it (the Authorization value, the secrets of token
requests, the tokens of token responses: :class:`~contract_tests.redaction.Secrets`) into an
:class:`~contract_tests.target.Exchange` and asks a
:class:`~contract_tests.observer.TrafficJudge` for its findings; the exchange is then kept with
its bodies cut as the suites cut theirs. Judging never holds up the traffic;
:meth:`Observer.close` drains the queue. :func:`write_reports` writes what was seen.
"""

from __future__ import annotations

import asyncio
import json
import queue
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

from .findings import FAILURE, SEVERITIES, WARNING, Finding
from .har import har_text
from .observer import TrafficJudge
from .redaction import SECRET_KEYS, Secrets
from .sarif import sarif_log
from .target import MAX_RESPONSE_BYTES, REQUEST_TIMEOUT_SECONDS, Exchange, _redact_headers, _trimmed

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

#: Headers that belong to one connection, never forwarded (RFC 9110, section 7.6.1), and
#: ``Host``, which names the proxy; the length is set again for the body as forwarded.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)
NOT_FORWARDED = HOP_BY_HOP | {"host", "content-length"}
#: Connections kept open to the target.
POOL_SIZE = 64
#: Statuses that carry no body, and so no Content-Length.
NO_BODY = frozenset({204, 304})
#: Form fields of a token request that are secrets (OAuth 2.0 client credentials, codes).
TOKEN_FORM_SECRETS = frozenset({"client_secret", "refresh_token", "code", "code_verifier", "assertion"})


class TooLarge(Exception):
    """A body was larger than the cap."""


@dataclass(frozen=True)
class Seen:
    """One exchange as it passed, not yet redacted (only the worker keeps it, briefly)."""

    method: str
    url: str
    request_headers: list[tuple[str, str]]
    request_body: bytes
    status: int
    response_headers: list[tuple[str, str]]
    response_body: bytes
    #: Seconds since the proxy started (perf_counter) and the exchange's length in milliseconds.
    seconds: float
    elapsed_ms: float


def _forwarded(headers: list[tuple[str, str]], *, keep_length: bool = False) -> list[tuple[str, str]]:
    """``headers`` without the hop-by-hop ones (and those ``Connection`` names), Host and (unless
    ``keep_length``) the length."""
    named = {
        token.strip().lower() for name, value in headers if name.lower() == "connection" for token in value.split(",")
    }
    dropped = (NOT_FORWARDED - {"content-length"} if keep_length else NOT_FORWARDED) | named
    return [(n, v) for n, v in headers if n.lower() not in dropped]


async def _read_body(receive: Receive, cap: int) -> bytes:
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > cap:
            raise TooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _answer(send: Send, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
    raw = [(n.encode("latin-1"), v.encode("latin-1")) for n, v in headers]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def failure_body(code: str, message: str) -> bytes:
    """The proxy's own answer (502, 413): a JSON error body in the description's shape."""
    return json.dumps({"code": code, "message": message}).encode()


class Forwarder:
    """The ASGI app of the proxy: every request to ``target_url`` and back, then to ``observer``.
    ``on_failure`` is told, in one line, of each request the target gave no usable answer to."""

    def __init__(
        self,
        target_url: str,
        observer: Observer,
        *,
        max_bytes: int = MAX_RESPONSE_BYTES,
        timeout: float = REQUEST_TIMEOUT_SECONDS,
        on_failure: Callable[[str], None] = lambda line: None,
    ):
        self.target_url = target_url.rstrip("/")
        self.observer = observer
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.on_failure = on_failure
        self._http: httpx.AsyncClient | None = None
        #: Requests the target gave no usable answer to (each answered 502).
        self.failures = 0

    def _client(self) -> httpx.AsyncClient:
        if self._http is None:
            self._http = httpx.AsyncClient(
                timeout=self.timeout,
                limits=httpx.Limits(max_connections=POOL_SIZE, max_keepalive_connections=POOL_SIZE),
                follow_redirects=False,
                trust_env=False,
            )
            self._http.headers.clear()  # httpx's own Accept, Accept-Encoding, User-Agent: none is sent
        return self._http

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            await self._forward(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self._client()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self._http is not None:
                    await self._http.aclose()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _forward(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        method: str = scope["method"]
        raw_path = scope.get("raw_path") or scope["path"].encode()
        path = raw_path.decode("latin-1")
        query = scope.get("query_string", b"").decode("latin-1")
        url = self.target_url + path + (f"?{query}" if query else "")
        headers = [(n.decode("latin-1"), v.decode("latin-1")) for n, v in scope["headers"]]
        label = f"{method} {scope['path']}"
        try:
            body = await _read_body(receive, self.max_bytes)
        except TooLarge:
            message = f"the request body is larger than {self.max_bytes} bytes"
            await self._fail(send, 413, "payload_too_large", f"{label}: {message}")
            return
        try:
            # the whole answer within the timeout: httpx's own applies to each read, which a trickle never trips
            status, answer_headers, answer = await asyncio.wait_for(
                self._ask(method, url, _forwarded(headers), body), self.timeout
            )
        except TooLarge:
            await self._fail(
                send, 502, "bad_gateway", f"{label}: the target's answer is larger than {self.max_bytes} bytes"
            )
            return
        except (httpx.TimeoutException, TimeoutError):
            await self._fail(send, 502, "bad_gateway", f"{label}: the target did not answer within {self.timeout:g} s")
            return
        except httpx.TransportError as error:
            detail = str(error).splitlines()[0] if str(error) else type(error).__name__
            await self._fail(send, 502, "bad_gateway", f"{label}: the target did not answer ({detail})")
            return
        await _answer(send, status, answer_headers, answer)
        self.observer.put(
            Seen(
                method=method,
                url=url,
                request_headers=headers,
                request_body=body,
                status=status,
                response_headers=answer_headers,
                response_body=answer,
                seconds=started - self.observer.started,
                elapsed_ms=(time.perf_counter() - started) * 1000,
            )
        )

    async def _ask(
        self, method: str, url: str, headers: list[tuple[str, str]], body: bytes
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        """The target's answer: its status, the headers to send back and the body as sent."""
        request = self._client().build_request(method, url, headers=headers, content=body or None)
        response = await self._client().send(request, stream=True)
        try:
            length = response.headers.get("content-length", "")
            if length.isascii() and length.isdigit() and int(length) > self.max_bytes:
                raise TooLarge
            chunks, size = [], 0
            async for chunk in response.aiter_raw():
                size += len(chunk)
                if size > self.max_bytes:
                    raise TooLarge
                chunks.append(chunk)
        finally:
            await response.aclose()
        answer = b"".join(chunks)
        pairs = [(n.decode("latin-1"), v.decode("latin-1")) for n, v in response.headers.raw]
        # The length where the target put it: the body is forwarded as sent, so its length holds
        # (and a HEAD answer's, the length of a body it leaves out); a chunked body gets one.
        kept = _forwarded(pairs, keep_length=True)
        if not length and response.status_code not in NO_BODY and response.status_code >= 200 and method != "HEAD":
            kept.append(("content-length", str(len(answer))))
        return response.status_code, kept, answer

    async def _fail(self, send: Send, status: int, code: str, line: str) -> None:
        self.failures += 1
        self.on_failure(line)
        body = failure_body(code, f"u4b-vouchers proxy: {line}")
        await _answer(send, status, [("content-type", "application/json"), ("content-length", str(len(body)))], body)


@dataclass
class Observed:
    """What the worker has made of the traffic so far."""

    exchanges: list[Exchange] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class Observer:
    """The queue and its one worker: each exchange, in the order answered, redacted and judged;
    ``on_finding`` is called with each distinct finding an exchange shows (once per fingerprint
    and exchange, on the worker's thread)."""

    def __init__(self, judge: TrafficJudge, on_finding: Callable[[Finding, Exchange], None] = lambda f, e: None):
        self.judge = judge
        self.on_finding = on_finding
        self.secrets = Secrets()
        self.observed = Observed()
        #: When the proxy started: perf_counter, and seconds since the epoch.
        self.started = time.perf_counter()
        self.started_at = time.time()
        self._queue: queue.SimpleQueue[Seen | None] = queue.SimpleQueue()
        self._worker = threading.Thread(target=self._work, name="u4b-proxy-judge", daemon=True)
        self._worker.start()

    def put(self, seen: Seen) -> None:
        self._queue.put(seen)

    def close(self) -> None:
        """Judge every exchange still queued, then stop the worker."""
        self._queue.put(None)
        self._worker.join()

    def _work(self) -> None:
        while (seen := self._queue.get()) is not None:
            try:
                exchange = self.exchange(seen, len(self.observed.exchanges) + 1)
                self.observed.exchanges.append(exchange)
                # one line per deviation an exchange shows, however many items of it show it
                shown = {f.fingerprint: f for f in self.judge.observe(exchange)}
                for finding in shown.values():
                    self.on_finding(finding, exchange)
                # judged whole, kept cut (as the suites keep theirs), so a long session cannot fill memory
                exchange.request_body = _trimmed(exchange.request_body)
                exchange.response_body = _trimmed(exchange.response_body) or ""
            except Exception as error:
                self.observed.errors.append(f"{seen.method} {urlsplit(seen.url).path}: {type(error).__name__}")

    def learn(self, seen: Seen) -> None:
        """Take the exchange's secrets into :attr:`secrets`: the Authorization value, a token
        request's secret fields, a token response's tokens."""
        form = False
        for name, value in seen.request_headers:
            if name.lower() == "authorization":
                self.secrets.add(value.split(" ", 1)[-1])
            elif name.lower() == "content-type":
                form = value.split(";")[0].strip().lower() == "application/x-www-form-urlencoded"
        text = seen.request_body.decode("utf-8", "replace")
        if form:
            for name, value in parse_qsl(text, keep_blank_values=True):
                if name in TOKEN_FORM_SECRETS:
                    self.secrets.add(value)
        for body in (text, seen.response_body.decode("utf-8", "replace")):
            try:
                data = json.loads(body) if body.lstrip().startswith("{") else None
            except (ValueError, RecursionError):
                continue
            if isinstance(data, dict):  # a token response (or a request carrying one)
                for key in SECRET_KEYS:
                    if isinstance(data.get(key), str):
                        self.secrets.add(data[key])

    def exchange(self, seen: Seen, index: int) -> Exchange:
        """``seen`` redacted as the contract suites record exchanges."""
        self.learn(seen)
        secrets = self.secrets
        request_body = seen.request_body.decode("utf-8", "replace") if seen.request_body else None
        return Exchange(
            method=seen.method,
            url=secrets.text(seen.url),
            request_headers=_redact_headers(seen.request_headers, secrets),
            request_body=secrets.body(request_body) if request_body is not None else None,
            status=seen.status,
            response_headers=_redact_headers(seen.response_headers, secrets),
            response_body=secrets.body(seen.response_body.decode("utf-8", "replace")),
            identity=None,
            elapsed_ms=seen.elapsed_ms,
            check="proxy",
            index=index,
            seconds=seen.seconds,
        )


def summary(judge: TrafficJudge, observed: Observed, failures: int) -> dict[str, Any]:
    findings = judge.findings
    return {
        "exchanges": len(observed.exchanges),
        "not_answered": failures,
        "not_judged": len(observed.errors),
        "findings": {severity: sum(f.severity == severity for f in findings) for severity in SEVERITIES},
        "rules": sorted({f.rule for f in findings}),
    }


def blocking(findings: list[Finding], fail_on: str) -> list[Finding]:
    """The findings at or above ``fail_on`` (``failure``, or ``warning`` for both)."""
    severities = (FAILURE, WARNING) if fail_on == WARNING else (FAILURE,)
    return [f for f in findings if f.severity in severities]


def write_reports(folder: Path, target_url: str, judge: TrafficJudge, observer: Observer, failures: int) -> list[Path]:
    """``findings.json``, ``findings.sarif`` and ``traffic.har`` in ``folder`` (every secret the traffic showed taken
    out); the files written."""
    findings = judge.findings
    outputs: dict[Path, str] = {
        folder / "findings.json": json.dumps(
            {
                "target": target_url,
                "summary": summary(judge, observer.observed, failures),
                "findings": [f.as_dict() for f in findings],
            },
            indent=2,
        )
        + "\n",
        folder / "traffic.har": har_text(observer.observed.exchanges, observer.started_at),
        folder / "findings.sarif": json.dumps(sarif_log(findings, judge.spec, tool="proxy"), indent=1) + "\n",
    }
    folder.mkdir(parents=True, exist_ok=True)
    for path, text in outputs.items():
        path.write_text(observer.secrets.text(text), encoding="utf-8")
    return list(outputs)
