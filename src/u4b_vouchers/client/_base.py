"""What the sync and async clients share beyond the operations: configuration, and the
decision after each response (done, renew the token, or wait and retry)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self

import httpx

from ..profile import Profile
from ._auth import TokenProvider
from ._environments import Environment
from ._errors import NetworkError
from ._operations import Call, Operations
from ._profiles import provider_for
from ._retry import RetryPolicy


@dataclass(frozen=True)
class Next:
    """After a response: ``renew`` the token and resend, ``wait`` seconds and resend, or stop."""

    renew: bool = False
    wait: float | None = None


DONE = Next()


def environment_of(environment: Environment | None, base_url: str | None, token_url: str | None) -> Environment:
    """The environment a client talks to: the one named, else a custom one at ``base_url``,
    else the sandbox (a testing toolkit never talks to production unless told to)."""
    if environment is not None and (base_url is not None or token_url is not None):
        raise TypeError("give environment= or base_url= (and token_url=), not both")
    if base_url is not None:
        return Environment.custom(base_url, token_url=token_url)
    if token_url is not None:
        raise TypeError("token_url= goes with base_url=; an environment has its own token URL")
    return environment if environment is not None else Environment.SANDBOX


def own_client_options(http_client: object, transport: object, timeout: float | None) -> float:
    """The timeout of the httpx client the client makes itself; TypeError when options meant
    for that client come with a client of the caller's."""
    if http_client is not None and (transport is not None or timeout is not None):
        raise TypeError(
            "transport= and timeout= configure the client's own httpx client; configure your http_client instead"
        )
    return DEFAULT_TIMEOUT if timeout is None else timeout


#: Seconds, for the httpx client a client makes itself.
DEFAULT_TIMEOUT = 30.0


class ClientBase:
    """What the sync and async clients share.

    Where requests go: ``environment`` (default :data:`Environment.SANDBOX`; production must be
    named, ``environment=Environment.PRODUCTION``), or ``base_url`` for any other server, an
    emulator for instance, whose token URL is ``base_url`` + ``/oauth/v2/token`` unless
    ``token_url`` says otherwise. ``auth`` supplies (and caches) the access token; a provider
    without a token URL of its own asks the environment's.

    Requests given as mappings must name only fields the description defines, nested objects
    included (:class:`UnknownFieldError`, before anything is sent; ``allow_unknown_fields=True``
    sends them). They are checked against the description's rules too (``validate_requests``),
    so rules the generated models cannot express (the trip-restriction conditions, for
    instance) fail fast with :class:`RequestValidationError`. 429 and 5xx responses are retried
    per ``retry``; a refused token is renewed once.
    """

    def __init__(
        self,
        auth: TokenProvider,
        *,
        environment: Environment | None,
        base_url: str | None,
        token_url: str | None,
        retry: RetryPolicy | None,
        validate_requests: bool,
        allow_unknown_fields: bool,
    ):
        self.auth = auth
        self.environment = environment_of(environment, base_url, token_url)
        self.retry = retry or RetryPolicy()
        self._ops = Operations(validate_requests, allow_unknown_fields)

    @property
    def base_url(self) -> str:
        return self.environment.base_url

    @property
    def token_url(self) -> str:
        """Where the token provider asks for tokens when it has no token URL of its own."""
        return self.environment.token_url

    @classmethod
    def from_profile(cls, profile: Profile, identity: str = "first_party", **options: Any) -> Self:
        """A client for one of a target profile's identities, at the profile's base and token URLs."""
        return cls(provider_for(profile, identity), base_url=profile.base_url, token_url=profile.token_url, **options)

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
