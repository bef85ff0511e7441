"""A target as the suites see it: a base URL, identities, a budget, and nothing else.

Every request goes through :meth:`Target.request`, which fetches one token per identity per run
(cached), keeps to the profile's request budget and rate, retries 429/5xx honouring
Retry-After (unless a check wants to see them), and records the exchange with secrets redacted.
The control plane is offered only when the profile says the target is an emulator.
"""

from __future__ import annotations

import json
import shlex
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from u4b_vouchers.client import PRODUCTION_URL, RetryPolicy, TokenError, TokenProvider, provider_for
from u4b_vouchers.profile import Profile

from .operations import operation_at

REDACTED = "[redacted]"
SECRET_FIELDS = ("client_secret", "access_token", "refresh_token")


class ProductionRefused(Exception):
    """The profile points at the vendor's production host and production was not allowed."""


class BudgetExhausted(Exception):
    """The run used up its request budget."""


@dataclass
class Exchange:
    """One request and its response, as recorded (secrets redacted)."""

    method: str
    url: str
    request_headers: dict[str, str]
    request_body: str | None
    status: int
    response_headers: dict[str, str]
    response_body: str
    identity: str | None
    elapsed_ms: float
    check: str | None = None
    #: Its place among the run's requests (1 for the first) and when it was sent, in seconds
    #: since the run started.
    index: int = 0
    seconds: float = 0.0

    @property
    def operation(self) -> str | None:
        """The operation this request called (None for other paths)."""
        found = operation_at(self.method, self.url)
        return found.id if found is not None else None

    @property
    def path_template(self) -> str | None:
        found = operation_at(self.method, self.url)
        return found.path if found is not None else None

    def json(self) -> Any:
        try:
            return json.loads(self.response_body) if self.response_body else None
        except ValueError:
            return None

    @property
    def code(self) -> str | None:
        body = self.json()
        code = body.get("code") if isinstance(body, dict) else None
        return code if isinstance(code, str) else None

    def curl(self) -> str:
        parts = ["curl", "-X", self.method]
        for name, value in self.request_headers.items():
            parts += ["-H", f"{name}: {value}"]
        if self.request_body is not None:
            parts += ["--data-raw", self.request_body]
        parts.append(self.url)
        return " ".join(shlex.quote(part) for part in parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "identity": self.identity,
            "method": self.method,
            "url": self.url,
            "request": {"headers": self.request_headers, "body": self.request_body},
            "response": {
                "status": self.status,
                "headers": self.response_headers,
                "body": self.response_body,
            },
            "elapsed_ms": round(self.elapsed_ms, 3),
            "index": self.index,
            "seconds_since_start": round(self.seconds, 3),
        }


def _redact_headers(headers: httpx.Headers) -> dict[str, str]:
    kept = {}
    for name, value in headers.items():
        lowered = name.lower()
        if lowered == "authorization":
            scheme = value.split(" ", 1)[0]
            kept[name] = f"{scheme} {REDACTED}"
        elif lowered in ("cookie", "set-cookie"):
            kept[name] = REDACTED
        elif lowered in (
            "content-type",
            "accept-language",
            "retry-after",
            "allow",
            "x-u4b-rule",
            "location",
        ):
            kept[name] = value
    return kept


def _redact_body(text: str) -> str:
    try:
        data = json.loads(text)
    except ValueError:
        return text
    if isinstance(data, dict):
        data = {k: (REDACTED if k in SECRET_FIELDS else v) for k, v in data.items()}
        return json.dumps(data, separators=(",", ":"))
    return text


class ControlPlane:
    """The emulator's ``/__emulator`` plane (only when the profile says ``emulator = true``)."""

    def __init__(self, target: Target):
        self._target = target
        self.used = False

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        self.used = True
        response = self._target.http.request(method, f"{self._target.profile.base_url}/__emulator{path}", json=body)
        if response.status_code >= 400:
            raise RuntimeError(f"control plane {method} {path}: {response.status_code} {response.text[:200]}")
        return response.json() if response.content else None

    def clock(self) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", "/clock")
        return result

    def move_clock(self, action: str, **body: int) -> dict[str, Any]:
        result: dict[str, Any] = self._call("POST", f"/clock/{action}", body or {})
        return result

    def add_fault(self, operation: str, kind: str, count: int = 1, **extra: int) -> None:
        self._call("POST", "/faults", {"operation": operation, "kind": kind, "count": count, **extra})

    def clear_faults(self) -> None:
        self._call("DELETE", "/faults")

    def settings(self, **changes: Any) -> dict[str, Any]:
        result: dict[str, Any] = self._call("PATCH" if changes else "GET", "/settings", changes or None)
        return result


class Target:
    def __init__(
        self,
        profile: Profile,
        *,
        transport: httpx.BaseTransport | None = None,
        budget: int | None = None,
        requests_per_second: float | None = None,
        allow_production: bool = False,
        retry: RetryPolicy | None = None,
        sleep: Any = time.sleep,
    ):
        if urlsplit(profile.base_url).netloc == urlsplit(PRODUCTION_URL).netloc and not allow_production:
            raise ProductionRefused(
                f"profile {profile.name!r} points at production ({profile.base_url}); use the sandbox, "
                "or pass --allow-production if you really mean it"
            )
        self.profile = profile
        self.http = httpx.Client(transport=transport, timeout=30.0)
        self.budget = budget if budget is not None else profile.request_budget
        rate = requests_per_second if requests_per_second is not None else profile.requests_per_second
        self.interval = 1.0 / rate if rate else 0.0  # a rate of 0 (or none) is no cap
        self.retry = retry or RetryPolicy(max_attempts=3, backoff=0.2, max_backoff=5.0)
        self._sleep = sleep
        self._last_request = 0.0
        self._providers: dict[str, TokenProvider] = {}
        self.requests_made = 0
        #: When the run started (perf_counter): exchanges are timed from here.
        self.started = time.perf_counter()
        self.exchanges: list[Exchange] = []
        self.current_check: str | None = None
        self.control = ControlPlane(self) if profile.emulator else None
        #: The ASGI app when the target is in-process (Schemathesis calls it directly).
        self.asgi_app: Any = None

    # -------------------------------------------------------------- identities

    def has_identity(self, name: str) -> bool:
        return self.profile.identity(name) is not None

    def token(self, identity: str) -> str:
        provider = self._providers.get(identity)
        if provider is None:
            provider = self._providers[identity] = provider_for(self.profile, identity)
        if provider.renewable and not provider.has_valid_token:  # a token request costs budget too
            self._spend()
        return provider.token(self.http)

    @property
    def token_requests(self) -> int:
        return sum(p.token_requests for p in self._providers.values())

    # -------------------------------------------------------------- requests

    def _spend(self) -> None:
        if self.budget is not None and self.requests_made >= self.budget:
            raise BudgetExhausted(f"the request budget of {self.budget} is used up")
        if self.interval:
            wait = self._last_request + self.interval - time.monotonic()
            if wait > 0:
                self._sleep(wait)
        self._last_request = time.monotonic()
        self.requests_made += 1

    def request(
        self,
        method: str,
        path: str,
        *,
        identity: str | None = "first_party",
        json_body: Any = None,
        content: bytes | None = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        authorization: str | None = None,
        retry: bool = True,
    ) -> Exchange:
        """One request; ``authorization`` overrides the identity's token (for bad-token checks)."""
        sent_headers = dict(headers or {})
        if authorization is not None:
            sent_headers["Authorization"] = authorization
        elif identity is not None:
            try:
                sent_headers["Authorization"] = f"Bearer {self.token(identity)}"
            except TokenError:
                raise
        attempt = 1
        while True:
            self._spend()
            started = time.perf_counter()
            response = self.http.request(
                method,
                self.profile.base_url + path,
                json=json_body if content is None else None,
                content=content,
                params=params,
                headers=sent_headers,
            )
            elapsed = (time.perf_counter() - started) * 1000
            delay = self.retry.delay(attempt, response) if retry else None
            if delay is None:
                break
            self._sleep(delay)
            attempt += 1
        body_text = response.request.content.decode("utf-8", "replace") if response.request.content else None
        exchange = Exchange(
            method=method,
            url=str(response.request.url),
            request_headers=_redact_headers(response.request.headers),
            request_body=_redact_body(body_text) if body_text is not None else None,
            status=response.status_code,
            response_headers=_redact_headers(response.headers),
            response_body=_redact_body(response.text),
            identity=identity if authorization is None else None,
            elapsed_ms=elapsed,
            check=self.current_check,
            index=self.requests_made,
            seconds=started - self.started,
        )
        self.exchanges.append(exchange)
        return exchange

    def unreachable(self) -> str | None:
        """Why nothing answers at the base URL (refused, unknown host, timeout), or None. Any
        HTTP response at all, a 404 included, means the target is there; this request is not
        counted against the budget."""
        try:
            self.http.get(self.profile.base_url, timeout=10.0)
        except httpx.TransportError as exc:
            return str(exc) or type(exc).__name__
        return None

    def close(self) -> None:
        self.http.close()
