"""Redaction of every secret a run has seen, wherever it appears in what the run writes.

A :class:`Secrets` collects values (client secrets, access tokens obtained, a control token) and
replaces each of them, as a whole string or inside a longer one, and in its JSON-, HTML- and
URL-escaped forms, by ``[redacted]``. JSON bodies are walked to any depth; keys that name a
secret have their values replaced whatever they hold.
"""

from __future__ import annotations

import html
import json
from typing import Any
from urllib.parse import quote

REDACTED = "[redacted]"
#: Keys whose values are secrets wherever they appear in a JSON body.
SECRET_KEYS = frozenset({"client_secret", "access_token", "refresh_token", "id_token"})
#: Shorter values are not treated as secrets (they would redact ordinary text).
MIN_SECRET_LENGTH = 6


def _forms(value: str) -> set[str]:
    in_json = json.dumps(value)[1:-1]
    return {
        value,
        in_json,
        in_json.replace("/", "\\/"),  # JSON may escape "/" too
        json.dumps(value, ensure_ascii=False)[1:-1],
        html.escape(value),
        quote(value, safe=""),
    }


class Secrets:
    """The secret values of one run; :meth:`text` and :meth:`body` take them out."""

    def __init__(self, values: tuple[str | None, ...] = ()) -> None:
        self._forms: list[str] = []
        self._values: set[str] = set()
        for value in values:
            self.add(value)

    def add(self, value: str | None) -> None:
        if not value or len(value) < MIN_SECRET_LENGTH or value in self._values:
            return
        self._values.add(value)
        self._forms = sorted({*self._forms, *_forms(value)}, key=len, reverse=True)

    def __contains__(self, value: str) -> bool:
        return value in self._values

    def text(self, text: str) -> str:
        """``text`` with every secret (and its escaped forms) replaced."""
        for form in self._forms:
            if form in text:
                text = text.replace(form, REDACTED)
        return text

    def value(self, data: Any) -> Any:
        """A JSON value with every string redacted and every secret-named key's value replaced."""
        if isinstance(data, dict):
            return {
                self.text(str(k)): (REDACTED if str(k).lower() in SECRET_KEYS else self.value(v))
                for k, v in data.items()
            }
        if isinstance(data, list):
            return [self.value(item) for item in data]
        if isinstance(data, str):
            return self.text(data)
        return data

    def body(self, text: str) -> str:
        """A recorded body: JSON is walked (and written back compactly if a secret was in it),
        anything else is text."""
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            return self.text(text)
        if not isinstance(data, dict | list):
            return self.text(text)
        try:
            redacted = self.value(data)
            if redacted == data:
                return self.text(text)  # nothing to take out: the body as sent, byte for byte
            return self.text(json.dumps(redacted, separators=(",", ":")))
        except (RecursionError, ValueError):
            return self.text(text)
