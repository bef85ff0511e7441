"""Page tokens: where the next page of a program's guests starts (002, ``next_token``).

A token names a program and the position of the last guest served. The documents do not say
what a token looks like or whether a client may make one (D-013), so there are two readings:
``signed`` tokens carry an HMAC and any token this server did not issue is refused; ``plain``
tokens are readable positions, and any token that decodes to a position of the same program
continues from there. Either way a token that decodes to nothing is refused
(GST-PAGE-TOKEN-VALID).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import sqlite3

from . import repository as repo

SECRET_KEY = "page_token_secret"


class TokenRefused(ValueError):
    """The page token does not name a position of this program."""


class PageTokens:
    def __init__(self, *, signed: bool = True):
        self.signed = signed
        self._secret: bytes | None = None

    def _key(self, conn: sqlite3.Connection) -> bytes:
        if self._secret is None:
            stored = repo.get_meta(conn, SECRET_KEY)
            if stored is None:
                stored = secrets.token_hex(32)
                repo.set_meta(conn, SECRET_KEY, stored)
            self._secret = bytes.fromhex(stored)
        return self._secret

    def _signature(self, conn: sqlite3.Connection, payload: str) -> str:
        return hmac.new(self._key(conn), payload.encode(), hashlib.sha256).hexdigest()[:24]

    def encode(self, conn: sqlite3.Connection, program_id: str, after_seq: int) -> str:
        payload = base64.urlsafe_b64encode(f"{program_id}|{after_seq}".encode()).decode().rstrip("=")
        return f"{payload}.{self._signature(conn, payload)}" if self.signed else payload

    def decode(self, conn: sqlite3.Connection, program_id: str, token: str) -> int:
        """The position ``token`` continues from; :class:`TokenRefused` when it names none."""
        payload, _, signature = token.partition(".")
        if self.signed and not (
            signature and hmac.compare_digest(signature.encode(), self._signature(conn, payload).encode())
        ):
            raise TokenRefused(token)
        try:
            owner, _, seq = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode().partition("|")
            after = int(seq)
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise TokenRefused(token) from None
        if owner != program_id or after < 0:
            raise TokenRefused(token)
        return after
