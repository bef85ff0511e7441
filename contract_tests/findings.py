"""Findings: each distinct deviation a check saw, with what a reader needs to act on it.

A *finding* is one deviation of the target from the documents: the rule it breaks, its severity
(``failure`` for a rule the documents state, ``warning`` for one they only imply), where it
happened (operation, method, path, field), what was expected and what came, and how to see it
again (a curl command). Its *fingerprint* names the deviation, not the values drawn: the check,
the rule, the operation, the kind of deviation and the probe or field, so that a baseline of
fingerprints accepts exactly the deviations it was written on.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from u4b_vouchers.spec import Outcome

if TYPE_CHECKING:
    from .target import Exchange

FAILURE, WARNING = "failure", "warning"
SEVERITIES = (FAILURE, WARNING)
#: The most distinct findings one check reports; the rest are counted, not listed.
MAX_PER_CHECK = 20

_INDEX = re.compile(r"\[\d+\]")


def generic_field(path: str | None) -> str | None:
    """A field path without its array indexes: ``guests[3].voucher`` → ``guests[].voucher``."""
    return _INDEX.sub("[]", path) if path else path


def _either(words: Sequence[str]) -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    words = list(dict.fromkeys(words))
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def has_status(outcome: Outcome, status: int) -> bool:
    """``outcome`` is of ``status`` (an exact status, or its class such as ``4XX``), whatever its code."""
    return Outcome(outcome.status).matches(status, None)


def difference(allowed: Sequence[Outcome], exchange: Exchange) -> str:
    """Which part of ``exchange``'s answer differs from every ``allowed`` outcome, in one phrase
    the messages of every check share: the status when no outcome has it, else (the status being
    one the documents give) the code, or that the body is not JSON or carries no code.

    ``status 403 where the documents say 401 unauthorized``;
    ``status 401 as documented, but code 'foo' where the documents say 'unauthorized'``."""
    status, code = exchange.status, exchange.code
    same_status = [o for o in allowed if has_status(o, status)]
    if not same_status:
        shown = f"status {status}" + (f" (code {code!r})" if code is not None else "")
        return f"{shown} where the documents say {_either([str(o) for o in allowed]) or 'another status'}"
    codes = _either([repr(o.code) for o in same_status if o.code is not None])
    if not codes:
        return f"status {status} as documented"
    body = exchange.json()
    if code is not None:
        got = f"code {code!r}"
    elif isinstance(body, dict):
        got = "a JSON body without a string code"
    else:
        kind = exchange.response_headers.get("content-type") or exchange.response_headers.get("Content-Type")
        got = "a body that is not JSON" + (f" ({kind})" if kind else "") if exchange.response_body else "no body"
    return f"status {status} as documented, but {got} where the documents say {codes}"


@dataclass(frozen=True)
class Finding:
    check: str
    rule: str
    severity: str
    #: The kind of deviation: ``accepted`` (a success where a refusal is due), ``refused``,
    #: ``status``, ``code``, ``schema``, ``header``, ``content-type``, ``server-error``, ...
    kind: str
    message: str
    expected: str = ""
    got: str = ""
    operation: str | None = None
    method: str | None = None
    path: str | None = None
    status: int | None = None
    code: str | None = None
    #: The field a schema failure is about: ``guests[3].voucher.usage_count``.
    field: str | None = None
    #: A fixed name of the probe that showed it (``minimum-1``, ``near-miss:weekly``), when the
    #: value was not drawn at random.
    probe: str | None = None
    request_index: int | None = None
    seconds: float | None = None
    curl: str | None = None
    accepted: bool = False
    #: How many times the check saw this same deviation.
    occurrences: int = 1

    @property
    def fingerprint(self) -> str:
        parts = (self.check, self.rule, self.operation or "", self.kind, self.probe or generic_field(self.field) or "")
        digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]
        return f"{self.rule}:{digest}"

    @property
    def fails(self) -> bool:
        return self.severity == FAILURE and not self.accepted

    def where(self) -> str:
        """``PATCH /v1/... (updateVoucherProgram)``, or what of it is known."""
        parts = [p for p in (self.method, self.path) if p]
        text = " ".join(parts)
        if self.operation:
            text = f"{text} ({self.operation})" if text else self.operation
        return text

    def seen(self, again: int = 1) -> Finding:
        return replace(self, occurrences=self.occurrences + again)

    def as_dict(self) -> dict[str, Any]:
        return {
            "fingerprint": self.fingerprint,
            "check": self.check,
            "rule": self.rule,
            "severity": self.severity,
            "kind": self.kind,
            "message": self.message,
            "expected": self.expected,
            "got": self.got,
            "operation": self.operation,
            "method": self.method,
            "path": self.path,
            "status": self.status,
            "code": self.code,
            "field": self.field,
            "probe": self.probe,
            "request_index": self.request_index,
            "seconds_since_start": round(self.seconds, 3) if self.seconds is not None else None,
            "curl": self.curl,
            "accepted": self.accepted,
            "occurrences": self.occurrences,
        }
