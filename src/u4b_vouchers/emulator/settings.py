"""Emulator knobs with their defaults: the vendor's documented figures and the emulator's own
timing and limits. Choices the documents leave open are readings (:mod:`.readings`)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


@dataclass
class Settings:
    #: related-facts.md, OAuth 2.0 tokens: tokens last 2592000 s (30 days).
    token_ttl_seconds: int = 2_592_000
    #: related-facts.md: 100 client-credentials tokens an hour; the 101st invalidates the oldest.
    client_credentials_tokens_per_hour: int = 100
    #: Emulated generation time per code; 0 finishes at once. While a program's codes are being
    #: generated, Generate Voucher Codes answers 409 (GEN-IN-PROGRESS).
    code_generation_ms_per_code: float = 0.0
    #: Request bodies above this are refused with 400 invalid_request.
    max_body_bytes: int = 1_048_576
    #: Items an array of a request body may hold where the description states no ``maxItems``
    #: (the documents bound none; three vehicle categories and a handful of locations are typical).
    max_array_items: int = 1_000
    #: Characters a string (or key) of a request body may hold where the description states no
    #: ``maxLength`` (the documents bound none: names, addresses, memos are short).
    max_string_length: int = 10_000

    def update(self, changes: dict[str, Any]) -> None:
        known = {f.name: f.type for f in fields(self)}
        for key, value in changes.items():
            if key not in known:
                raise KeyError(key)
            setattr(self, key, value)

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}
