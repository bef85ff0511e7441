"""OAuth 2.0 tokens, fetched once and reused until shortly before they expire.

The vendor allows 100 client-credentials token requests an hour and invalidates the oldest token
on the 101st (related-facts.md, OAuth 2.0 tokens), so a provider asks for a token only when it
has none that is still valid, and one provider should be shared by everything that calls with
the same credentials.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from ._errors import TokenError

#: Tokens this close to expiry are renewed first.
EXPIRY_MARGIN_SECONDS = 60.0
#: The longest access token accepted (a token goes into every request's Authorization header).
MAX_TOKEN_LENGTH = 8192


def _usable(token: object) -> bool:
    """A token that can go into an Authorization header: a short string of visible ASCII."""
    return (
        isinstance(token, str)
        and 0 < len(token) <= MAX_TOKEN_LENGTH
        and token.isascii()
        and token.isprintable()
        and " " not in token
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())[:200]


@dataclass
class _Token:
    access_token: str
    expires_at: float | None


class TokenProvider:
    """Base: caches one token; subclasses say how to ask for a new one.

    ``token_url`` is where tokens are asked for. Left out, the provider asks the token URL of
    the client that uses it (its environment's), so one provider works with any environment.
    """

    def __init__(self, token_url: str | None = None):
        self.token_url = token_url
        self._token: _Token | None = None
        self._lock = threading.Lock()
        self._async_lock: asyncio.Lock | None = None
        #: How many token requests this provider has made (for tests and budgets).
        self.token_requests = 0

    # -------------------------------------------------------------- what subclasses define

    def _form(self) -> dict[str, str] | None:
        """The token request's form, or None when the token cannot be renewed."""
        raise NotImplementedError

    def _accepted(self, body: dict[str, Any]) -> None:
        """Hook: a token response arrived (for refresh tokens)."""

    # -------------------------------------------------------------- shared

    def _valid(self) -> str | None:
        token = self._token
        if token is None:
            return None
        if token.expires_at is not None and token.expires_at - EXPIRY_MARGIN_SECONDS <= time.monotonic():
            return None
        return token.access_token

    def _store(self, response: httpx.Response) -> str:
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code != 200 or not isinstance(body, dict) or not _usable(body.get("access_token")):
            error = body.get("error", "invalid_response") if isinstance(body, dict) else "invalid_response"
            description = body.get("error_description", response.text) if isinstance(body, dict) else response.text
            if response.status_code == 200 and isinstance(body, dict) and "access_token" in body:
                description = "the access_token is not a usable token string"
            raise TokenError(response.status_code, _one_line(str(error)), _one_line(str(description)))
        expires_in = body.get("expires_in")
        expires_at = time.monotonic() + float(expires_in) if isinstance(expires_in, int | float) else None
        self._token = _Token(str(body["access_token"]), expires_at)
        self._accepted(body)
        return self._token.access_token

    def _request(self, default_url: str | None) -> tuple[str, dict[str, str]]:
        url = self.token_url or default_url
        if not url:
            # A configuration error, not a refused token: no request was made.
            raise ValueError(
                f"{type(self).__name__} has no token URL: give it token_url=, or use it through a "
                "VouchersClient, whose environment has one"
            )
        form = self._form()
        if form is None:
            raise TokenError(401, "invalid_token", "the token expired or was refused and cannot be renewed")
        self.token_requests += 1
        return url, form

    @property
    def has_valid_token(self) -> bool:
        """Whether a cached token is still usable (asking for one now would cost no request)."""
        return self._valid() is not None

    @property
    def renewable(self) -> bool:
        """Whether a refused token can be replaced by asking the token endpoint again."""
        return True

    def invalidate(self) -> None:
        """Forget the cached token (the server refused it)."""
        self._token = None

    def token(self, http: httpx.Client, token_url: str | None = None) -> str:
        """A valid token: the cached one, or a new one asked for through ``http`` at the
        provider's own token URL, else at ``token_url`` (the calling client's)."""
        with self._lock:
            cached = self._valid()
            if cached is not None:
                return cached
            url, form = self._request(token_url)
            return self._store(http.post(url, data=form))

    async def atoken(self, http: httpx.AsyncClient, token_url: str | None = None) -> str:
        """:meth:`token`, awaited."""
        if self._async_lock is None:
            self._async_lock = asyncio.Lock()
        async with self._async_lock:
            cached = self._valid()
            if cached is not None:
                return cached
            url, form = self._request(token_url)
            return self._store(await http.post(url, data=form))


class ClientCredentials(TokenProvider):
    """First-party (``organizations.voucher_programs``) or third-party aggregator
    (``organizations.voucher_programs.aggregator``) client credentials.

    ``scopes`` is one scope, several separated by spaces, or a sequence of them; left out, the
    token endpoint chooses. Every argument is keyword-only.
    """

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        scopes: str | Sequence[str] | None = None,
        token_url: str | None = None,
    ):
        super().__init__(token_url)
        self.client_id, self.client_secret = client_id, client_secret
        self.scopes: tuple[str, ...] = tuple(scopes.split() if isinstance(scopes, str) else scopes or ())

    def _form(self) -> dict[str, str]:
        form = {
            "grant_type": "client_credentials",
            "client_id": self.client_id,
            "client_secret": self.client_secret,
        }
        if self.scopes:
            form["scope"] = " ".join(self.scopes)
        return form


class AuthorizationCode(TokenProvider):
    """An authorization code (delegated scope): exchanged once, then renewed by refresh token.
    Every argument is keyword-only."""

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        code: str,
        redirect_uri: str,
        token_url: str | None = None,
    ):
        super().__init__(token_url)
        self.client_id, self.client_secret = client_id, client_secret
        self._code: str | None = code
        self.redirect_uri = redirect_uri
        self._refresh_token: str | None = None

    def _form(self) -> dict[str, str] | None:
        base = {"client_id": self.client_id, "client_secret": self.client_secret}
        if self._refresh_token:
            return {**base, "grant_type": "refresh_token", "refresh_token": self._refresh_token}
        if self._code:
            code, self._code = self._code, None  # codes are single-use
            return {
                **base,
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": self.redirect_uri,
            }
        return None

    def _accepted(self, body: dict[str, Any]) -> None:
        refresh = body.get("refresh_token")
        if isinstance(refresh, str) and refresh:
            self._refresh_token = refresh


class StaticToken(TokenProvider):
    """An access token obtained elsewhere (for example a delegated token from a browser flow)."""

    def __init__(self, access_token: str):
        super().__init__(None)
        self._token = _Token(access_token, None)

    @property
    def renewable(self) -> bool:
        return False

    def _form(self) -> None:
        return None
