"""What the sync and async clients share beyond the operations: configuration, and the
decision after each response (done, renew the token, or wait and retry)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self

import httpx

from ..profile import Profile
from ._auth import TokenProvider
from ._errors import NetworkError
from ._operations import Call, Operations, server_url
from ._profiles import provider_for
from ._retry import RetryPolicy


@dataclass(frozen=True)
class Next:
    """After a response: ``renew`` the token and resend, ``wait`` seconds and resend, or stop."""

    renew: bool = False
    wait: float | None = None


DONE = Next()


class ClientBase:
    def __init__(
        self, auth: TokenProvider, *, base_url: str | None, retry: RetryPolicy | None, validate_requests: bool
    ):
        self.auth = auth
        self.base_url = (base_url or server_url("Production")).rstrip("/")
        self.retry = retry or RetryPolicy()
        self._ops = Operations(validate_requests)

    @classmethod
    def from_profile(cls, profile: Profile, identity: str = "first_party", **options: Any) -> Self:
        """A client for one of a target profile's identities."""
        return cls(provider_for(profile, identity), base_url=profile.base_url, **options)

    def _request(self, call: Call, token: str) -> dict[str, Any]:
        return {
            "method": call.method,
            "url": self.base_url + call.path,
            "params": call.params,
            "json": call.json,
            "headers": {"Authorization": f"Bearer {token}"},
        }

    def _reconnect(self, call: Call, error: httpx.TransportError, attempt: int) -> float:
        """Seconds to wait before trying again after ``error``; :class:`NetworkError` if not."""
        delay = self.retry.connect_delay(attempt, error)
        if delay is None:
            raise NetworkError(call.operation_id, error) from error
        return delay

    def _next(self, response: httpx.Response, attempt: int, renewed: bool) -> Next:
        if response.status_code == 401 and not renewed and self.auth.renewable:
            self.auth.invalidate()
            return Next(renew=True)
        delay = self.retry.delay(attempt, response)
        return DONE if delay is None else Next(wait=delay)
