"""A target as the suites see it: a base URL, identities, a budget, and nothing else.

Every request goes through :meth:`Target.request`, which fetches one token per identity per run
(cached), keeps to the profile's request budget, rate and the run's deadline, waits at most the
request timeout and reads at most the response cap, retries 429/5xx honouring Retry-After
(unless a check wants to see them), and records the exchange with every secret of the run
redacted. A token endpoint that fails is asked at most :data:`MAX_TOKEN_FAILURES` times per
identity; the failure is then remembered. The control plane is offered only when the profile
says the target is an emulator.
"""

from __future__ import annotations

import json
import shlex
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from u4b_vouchers.client import PRODUCTION_URL, RetryPolicy, TokenError, TokenProvider, provider_for
from u4b_vouchers.profile import Profile

from .bounded import TargetFailure, cap_responses
from .operations import operation_at
from .redaction import REDACTED as REDACTED  # noqa: PLC0414 (schemathesis_findings imports it from here)
from .redaction import Secrets

#: Defaults of the run's limits (``check --deadline``, ``--request-timeout``,
#: ``--max-response-bytes``, or the profile's ``[limits]``).
DEADLINE_SECONDS = 3600.0
REQUEST_TIMEOUT_SECONDS = 30.0
MAX_RESPONSE_BYTES = 10 * 1024 * 1024
#: Failed token requests per identity per run; after them the failure is remembered.
MAX_TOKEN_FAILURES = 2
#: Token requests per identity per run, successful ones included (a target whose tokens expire
#: at once would otherwise be asked for one before every request; the vendor allows 100 an hour).
MAX_TOKEN_REQUESTS = 10
#: Recorded bodies longer than this (characters) are cut once their check is over, so a target
#: that answers every request with the largest body allowed cannot fill memory with the cassette.
MAX_RECORDED_BODY = 262_144
#: The reachability probe waits at most this long (or the request timeout, if shorter).
PROBE_TIMEOUT_SECONDS = 10.0


class ProductionRefused(Exception):
    """The profile points at the vendor's production host and production was not allowed."""


class BudgetExhausted(Exception):
    """The run used up its request budget."""


class DeadlineExceeded(Exception):
    """The run's deadline passed; no more requests are sent."""


class IdentityUnavailable(Exception):
    """A check needs an identity the profile cannot provide (the message says why)."""


class TokenUnavailable(TokenError):
    """The token endpoint failed for an identity as often as allowed; it is not asked again."""

    def __init__(self, identity: str, requests: int, last: str, *, failed: bool = True):
        what = "failed token request(s)" if failed else "token requests, the most a run makes"
        super().__init__(0, "token_unavailable", f"{identity}: gave up after {requests} {what}: {last}")
        self.identity = identity


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
        except (ValueError, RecursionError):  # not JSON, or nested too deeply to read
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


KEPT_HEADERS = ("content-type", "accept-language", "retry-after", "allow", "x-u4b-rule", "location")


def _redact_headers(headers: Iterable[tuple[str, str]], secrets: Secrets) -> dict[str, str]:
    """The headers worth keeping (:data:`KEPT_HEADERS`), secrets taken out; an Authorization
    header keeps only its scheme."""
    kept = {}
    for name, value in headers:
        lowered = name.lower()
        if lowered == "authorization":
            scheme = value.split(" ", 1)[0]
            kept[name] = f"{secrets.text(scheme)} {REDACTED}"
        elif lowered in ("cookie", "set-cookie"):
            kept[name] = REDACTED
        elif lowered in KEPT_HEADERS:
            kept[name] = secrets.text(value)
    return kept


class ControlPlane:
    """The emulator's ``/__emulator`` plane (only when the profile says ``emulator = true``)."""

    def __init__(self, target: Target):
        self._target = target
        #: Requests sent to the control plane, answered or not (a request that was never sent,
        #: because the deadline had passed, is not counted).
        self.requests = 0

    @property
    def used(self) -> bool:
        return self.requests > 0

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        target = self._target
        headers = {"Authorization": f"Bearer {target.profile.control_token}"} if target.profile.control_token else {}
        try:
            response = target.send(method, f"{target.profile.base_url}/__emulator{path}", json=body, headers=headers)
        except TargetFailure:
            self.requests += 1  # sent, but no usable answer
            raise
        self.requests += 1
        if response.status_code >= 400:
            text = target.secrets.text(" ".join(response.text[:200].split()))
            raise RuntimeError(f"control plane {method} {path}: {response.status_code} {text}")
        try:
            return response.json() if response.content else None
        except ValueError:
            raise TargetFailure(f"control plane {method} {path}: the answer is not JSON") from None

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
        deadline: float | None = None,
        request_timeout: float | None = None,
        max_response_bytes: int | None = None,
    ):
        if urlsplit(profile.base_url).netloc == urlsplit(PRODUCTION_URL).netloc and not allow_production:
            raise ProductionRefused(
                f"profile {profile.name!r} points at production ({profile.base_url}); use the sandbox, "
                "or pass --allow-production if you really mean it"
            )
        self.profile = profile
        self.deadline = _first(deadline, profile.deadline_seconds, DEADLINE_SECONDS)
        self.request_timeout = _first(request_timeout, profile.request_timeout_seconds, REQUEST_TIMEOUT_SECONDS)
        self.max_response_bytes = int(_first(max_response_bytes, profile.max_response_bytes, MAX_RESPONSE_BYTES))
        self.http = httpx.Client(
            transport=transport,
            timeout=self.request_timeout,
            headers={"Accept-Encoding": "identity"},  # the cap counts the bytes as sent
            event_hooks={"response": [cap_responses(self.max_response_bytes)]},
        )
        #: Every secret of the run: the profile's, and each token obtained.
        self.secrets = Secrets(
            (
                profile.control_token,
                *(v for i in profile.identities.values() for v in (i.client_secret, i.access_token)),
            )
        )
        self._token_failures: dict[str, tuple[int, str]] = {}
        self.budget = budget if budget is not None else profile.request_budget
        rate = requests_per_second if requests_per_second is not None else profile.requests_per_second
        self.interval = 1.0 / rate if rate else 0.0  # a rate of 0 (or none) is no cap
        self.retry = retry or RetryPolicy(max_attempts=3, backoff=0.2, max_backoff=5.0)
        self._sleep = sleep
        self._last_request = 0.0
        self._providers: dict[str, TokenProvider] = {}
        self.requests_made = 0
        #: When the run started (perf_counter): exchanges are timed, and the deadline counted, from here.
        self.started = time.perf_counter()
        self.exchanges: list[Exchange] = []
        self.current_check: str | None = None
        self.control = ControlPlane(self) if profile.emulator else None
        #: The ASGI app when the target is in-process (Schemathesis calls it directly).
        self.asgi_app: Any = None
        #: Called after each exchange is recorded (the runner's live progress).
        self.on_record: Callable[[], None] | None = None

    # -------------------------------------------------------------- identities

    def has_identity(self, name: str) -> bool:
        return self.profile.identity(name) is not None

    def token(self, identity: str) -> str:
        """The identity's token: cached, asked for at most :data:`MAX_TOKEN_REQUESTS` times, and
        not asked again once it failed :data:`MAX_TOKEN_FAILURES` times."""
        failures, last = self._token_failures.get(identity, (0, ""))
        if failures >= MAX_TOKEN_FAILURES:
            raise TokenUnavailable(identity, failures, last)
        provider = self._providers.get(identity)
        if provider is None:
            if self.profile.identity(identity) is None:
                raise IdentityUnavailable(self.profile.unavailable(identity))
            provider = self._providers[identity] = provider_for(self.profile, identity)
        if provider.renewable and not provider.has_valid_token:  # a token request costs budget too
            if provider.token_requests >= MAX_TOKEN_REQUESTS:
                raise TokenUnavailable(identity, provider.token_requests, "every token expired at once", failed=False)
            self._spend()
        try:
            token = provider.token(self.http)
        except TokenError as error:
            self._token_failed(identity, self.secrets.text(" ".join(str(error).split())))
            raise
        except (httpx.TransportError, TargetFailure) as error:
            message = self.secrets.text(f"{type(error).__name__}: {error}".splitlines()[0])
            self._token_failed(identity, message)
            raise TokenError(0, "no_answer", message) from None
        self.secrets.add(token)
        return token

    def _token_failed(self, identity: str, message: str) -> None:
        failures, _ = self._token_failures.get(identity, (0, ""))
        self._token_failures[identity] = (failures + 1, message[:300])

    @property
    def token_requests(self) -> int:
        return sum(p.token_requests for p in self._providers.values())

    # -------------------------------------------------------------- the deadline

    def start(self) -> None:
        """The run starts now: exchanges are timed, and the deadline counted, from here."""
        self.started = time.perf_counter()

    @property
    def remaining(self) -> float:
        """Seconds left before the deadline (negative once it passed)."""
        return self.started + self.deadline - time.perf_counter()

    @property
    def past_deadline(self) -> bool:
        return self.remaining <= 0

    def check_deadline(self, wait: float = 0.0) -> None:
        """Raise :class:`DeadlineExceeded` when the deadline passed (or would, after ``wait``)."""
        if self.remaining <= 0:
            raise DeadlineExceeded(f"the run's deadline of {self.deadline:g} s passed (--deadline)")
        if self.remaining <= wait:
            raise DeadlineExceeded(
                f"the run's deadline of {self.deadline:g} s leaves no time for the next request (--deadline)"
            )

    def _timeout(self) -> float:
        return max(0.05, min(self.request_timeout, self.remaining))

    def send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One HTTP exchange within the request timeout, the deadline and the response cap; a
        failure is a :class:`TargetFailure` naming the request."""
        self.check_deadline()
        timeout = self._timeout()
        try:
            return self.http.request(method, url, timeout=timeout, **kwargs)
        except httpx.TimeoutException:
            why = "(--request-timeout)" if timeout >= self.request_timeout else "(the time left before --deadline)"
            raise TargetFailure(f"{method} {urlsplit(url).path}: no answer within {timeout:.3g} s {why}") from None
        except httpx.TransportError as error:
            detail = self.secrets.text(str(error).splitlines()[0] if str(error) else type(error).__name__)
            raise TargetFailure(f"{method} {urlsplit(url).path}: {detail}") from None

    # -------------------------------------------------------------- requests

    def _spend(self) -> None:
        if self.budget is not None and self.requests_made >= self.budget:
            raise BudgetExhausted(f"the request budget of {self.budget} is used up")
        self.check_deadline()
        if self.interval:
            wait = self._last_request + self.interval - time.monotonic()
            if wait > 0:
                self.check_deadline(wait)
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
            sent_headers["Authorization"] = f"Bearer {self.token(identity)}"
        attempt = 1
        while True:
            self._spend()
            started = time.perf_counter()
            response = self.send(
                method,
                self.profile.base_url + path,
                json=json_body if content is None else None,
                content=content,
                params=params,
                headers=sent_headers,
            )
            elapsed = (time.perf_counter() - started) * 1000
            body_text = response.request.content.decode("utf-8", "replace") if response.request.content else None
            exchange = self.record(  # every attempt is a request of the run, a retried one too
                method=method,
                url=str(response.request.url),
                request_headers=response.request.headers.items(),
                request_body=body_text,
                status=response.status_code,
                response_headers=response.headers.items(),
                response_body=response.text,
                identity=identity if authorization is None else None,
                elapsed_ms=elapsed,
                seconds=started - self.started,
            )
            delay = self.retry.delay(attempt, response) if retry else None
            if delay is None or delay >= self.remaining:  # no retry the deadline leaves no time for
                return exchange
            self._sleep(delay)
            attempt += 1

    def record(
        self,
        *,
        method: str,
        url: str,
        request_headers: Iterable[tuple[str, str]],
        request_body: str | None,
        status: int,
        response_headers: Iterable[tuple[str, str]],
        response_body: str,
        identity: str | None,
        elapsed_ms: float,
        seconds: float,
        count: bool = False,
    ) -> Exchange:
        """Record the run's latest request (number :attr:`requests_made`) as sent and answered,
        with every secret of the run taken out of its URL, headers and bodies. ``count`` for a
        request another client sent for the run (Schemathesis sends its own): it is counted
        here, as one more of the run's requests."""
        if count:
            self.requests_made += 1
        secrets = self.secrets
        exchange = Exchange(
            method=method,
            url=secrets.text(url),
            request_headers=_redact_headers(request_headers, secrets),
            request_body=secrets.body(request_body) if request_body is not None else None,
            status=status,
            response_headers=_redact_headers(response_headers, secrets),
            response_body=secrets.body(response_body),
            identity=identity,
            elapsed_ms=elapsed_ms,
            check=self.current_check,
            index=self.requests_made,
            seconds=seconds,
        )
        self.exchanges.append(exchange)
        if self.on_record is not None:
            self.on_record()
        return exchange

    def trim_records(self, since: int) -> None:
        """Cut the bodies of the exchanges recorded from ``since`` on to :data:`MAX_RECORDED_BODY`."""
        for exchange in self.exchanges[since:]:
            exchange.request_body = _trimmed(exchange.request_body)
            exchange.response_body = _trimmed(exchange.response_body) or ""

    def unreachable(self) -> str | None:
        """Why nothing answers at the base URL (refused, unknown host, timeout), or None. Any
        HTTP response at all, a 404 included, means the target is there; this request is not
        counted against the budget."""
        try:
            self.http.get(self.profile.base_url, timeout=min(PROBE_TIMEOUT_SECONDS, self.request_timeout))
        except httpx.TimeoutException:
            return f"no answer within {min(PROBE_TIMEOUT_SECONDS, self.request_timeout):g} s"
        except httpx.TransportError as exc:
            return (str(exc) or type(exc).__name__).splitlines()[0]
        except TargetFailure:
            pass  # too large, or trickling in: an answer all the same
        return None

    def close(self) -> None:
        self.http.close()


def _trimmed(body: str | None) -> str | None:
    if body is None or len(body) <= MAX_RECORDED_BODY:
        return body
    return f"{body[:MAX_RECORDED_BODY]}...[cut: {len(body)} characters in all]"


def _first(*values: float | None) -> float:
    """The first value given (the last one always is)."""
    return next(float(v) for v in values if v is not None)
