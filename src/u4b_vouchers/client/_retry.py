"""When to try a request again: 429 and 5xx, with bounded exponential backoff and Retry-After."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx


@dataclass(frozen=True)
class RetryPolicy:
    """``max_attempts`` includes the first try. Backoff is full-jitter exponential, capped; a
    ``Retry-After`` header (seconds or an HTTP date) wins, up to ``max_retry_after``."""

    max_attempts: int = 4
    backoff: float = 0.5
    max_backoff: float = 30.0
    max_retry_after: float = 120.0
    statuses: frozenset[int] = field(default_factory=lambda: frozenset({429, 500, 502, 503, 504}))

    def delay(self, attempt: int, response: httpx.Response) -> float | None:
        """Seconds to wait before attempt ``attempt + 1``, or None to give up."""
        if response.status_code not in self.statuses or attempt >= self.max_attempts:
            return None
        header = response.headers.get("retry-after")
        if header is not None:
            seconds = _retry_after_seconds(header)
            if seconds is not None:
                return min(seconds, self.max_retry_after)
        return random.uniform(0, min(self.max_backoff, self.backoff * 2 ** (attempt - 1)))

    def connect_delay(self, attempt: int, error: httpx.TransportError) -> float | None:
        """Seconds to wait before attempt ``attempt + 1`` after ``error``, or None to give up.
        Only a connection that was never made is tried again: nothing reached the server, so
        even a POST cannot take effect twice."""
        if not isinstance(error, httpx.ConnectError | httpx.ConnectTimeout) or attempt >= self.max_attempts:
            return None
        return random.uniform(0, min(self.max_backoff, self.backoff * 2 ** (attempt - 1)))


NO_RETRY = RetryPolicy(max_attempts=1)


def _retry_after_seconds(value: str) -> float | None:
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())
