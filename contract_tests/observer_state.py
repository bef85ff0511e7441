"""What a judge of traffic learns of programs and page walks from the exchanges it has seen.

Only what a response says, or what a correct server's success implies, is kept: a program's
``starts_at``/``ends_at`` from its create response (when they come as milliseconds, D-023) and
from accepted updates, the values accepted updates set, its code scheme when a success only
one scheme allows was answered (codes generated: ``MULTI_CODE_SINGLE_REDEEM``;
``redemptions_per_code`` changed: ``SINGLE_CODE_MULTI_REDEEM``). Nothing is guessed: a fact
not learned is ``None``, and the rules that need it are not judged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ProgramFacts:
    starts_at: int | None = None
    ends_at: int | None = None
    #: The code scheme a success showed (see the module's docstring), or None.
    scheme: str | None = None
    #: The last value an accepted update gave each field (``value_per_trip_percentage``: 50).
    values: dict[str, Any] = field(default_factory=dict)
    #: Bumped on every accepted change that may add guests or codes (pages read before and
    #: after it are not compared).
    version: int = 0
    #: The guests of the last complete walk (first page to the last) at ``version``.
    complete: frozenset[str] | None = None
    complete_version: int = -1

    def started(self, now_ms: int, slack_ms: int) -> bool:
        """Known to have started at ``now_ms`` (``slack_ms`` past its start, for clock error)."""
        return self.starts_at is not None and now_ms - slack_ms >= self.starts_at


@dataclass
class Walk:
    """The pages of one program read in turn, each asked with the token the previous gave."""

    program: str
    limit: int | None
    version: int
    seen: set[str] = field(default_factory=set)
    #: The lengths of the pages that carried a ``next_token`` (pages the server called full).
    full_lengths: list[int] = field(default_factory=list)
    #: From the first page (no ``page_token``): its end shows every guest.
    from_start: bool = True
    #: The previous page's length and whether it carried a token that led here.
    last_length: int = 0


class TrafficState:
    """Programs by id, and the walks in progress by the page token that continues them."""

    def __init__(self) -> None:
        self.programs: dict[str, ProgramFacts] = {}
        self.walks: dict[str, Walk] = {}
        #: Every page token the server issued (a token never issued the judge does not judge
        #: as forged: it may come from traffic before the judge started watching).
        self.issued: set[str] = set()

    def program(self, program_id: str) -> ProgramFacts:
        return self.programs.setdefault(program_id, ProgramFacts())

    def known(self, program_id: str) -> ProgramFacts | None:
        return self.programs.get(program_id)


def guest_key(guest: Any) -> str | None:
    """A guest's identity on a page: its code's id, else its voucher's id (None without one)."""
    if not isinstance(guest, dict):
        return None
    for part, key in (("code", "code_id"), ("voucher", "voucher_id")):
        inner = guest.get(part)
        if isinstance(inner, dict) and isinstance(inner.get(key), str) and inner[key]:
            return f"{part}:{inner[key]}"
    return None


def millis(value: Any) -> int | None:
    """An epoch-milliseconds integer (a bool or a string is not one)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None
