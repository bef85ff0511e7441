"""The one catalogue of errors the emulator answers with, read from the description.

Every documented error is a status and a body ``code``; the description's responses carry an
example of each, whose ``message`` the emulator sends. A broken rule's error is the outcome
the rule documents (``x-u4b-rules`` ``violation``), looked up here; nothing else in the
emulator spells a status or code of the vendor's API.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..spec import Outcome, Rule, Spec

INVALID_REQUEST = (400, "invalid_request")
UNAUTHORIZED = (401, "unauthorized")
USER_NOT_ALLOWED = (403, "user_not_allowed")
PROGRAM_NOT_FOUND = (404, "resource_not_found")
RATE_LIMITED = (429, "rate_limit_exceeded")
INTERNAL_ERROR = (500, "internal_server_error")
#: The emulator's own answers for what the vendor's pages do not cover (no route, wrong method).
NO_ROUTE = (404, "not_found")
METHOD_NOT_ALLOWED = (405, "method_not_allowed")

_OWN_MESSAGES = {
    NO_ROUTE: "No such route",
    METHOD_NOT_ALLOWED: "Method not allowed",
    RATE_LIMITED: "Too many requests",
}


class ApiError(Exception):
    """An error answer: HTTP status, the body's ``code``, a message, and the rule broken."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        rule: str | None = None,
        headers: Mapping[str, str] | None = None,
        cause: str | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.rule = rule
        self.headers = dict(headers or {})
        #: What went wrong where no rule names it (``malformed-json``), for the request log
        #: and drift.
        self.cause = cause

    def replace(
        self,
        *,
        status: int | None = None,
        code: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> ApiError:
        """The same error with another status, code or headers (drift and readings)."""
        return ApiError(
            self.status if status is None else status,
            self.code if code is None else code,
            self.message,
            rule=self.rule,
            headers=self.headers if headers is None else headers,
            cause=self.cause,
        )


class OAuthError(Exception):
    """An RFC 6749 token-endpoint error (``{"error": ..., "error_description": ...}``)."""

    def __init__(self, status: int, error: str, description: str):
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description


@dataclass(frozen=True)
class Entry:
    status: int
    code: str
    message: str


class Catalogue:
    """The documented errors of a description: (status, code) → the example message."""

    def __init__(self, spec: Spec):
        self._messages: dict[tuple[int, str], str] = dict(_OWN_MESSAGES)
        #: Per operation, the statuses its responses document.
        self._statuses: dict[str, frozenset[int]] = {}
        for op in spec.operations():
            responses = op.raw.get("responses") or {}
            self._statuses[op.operation_id] = frozenset(
                int(s) for s in responses if str(s).isascii() and str(s).isdigit()
            )
            for status, response in responses.items():
                if not (str(status).isascii() and str(status).isdigit()):
                    continue
                content = (spec.deref(response).get("content") or {}).get("application/json") or {}
                for example in (content.get("examples") or {}).values():
                    value = spec.deref(example).get("value")
                    if isinstance(value, dict) and isinstance(value.get("code"), str):
                        key = (int(status), value["code"])
                        self._messages.setdefault(key, str(value.get("message") or value["code"]))

    def documents(self, operation_id: str, status: int) -> bool:
        """Whether ``operation_id`` documents a response with ``status`` (True for an operation
        the description does not have: nothing to check against)."""
        statuses = self._statuses.get(operation_id)
        return statuses is None or status in statuses

    def documented_outcome(self, rule: Rule, operation_id: str | None, chosen: Outcome | None) -> Outcome | None:
        """``chosen`` where ``operation_id`` documents its status; elsewhere the first of the
        rule's exact outcomes the operation documents (a rule that applies to several
        operations may list a status one of them does not document). None stays None (accepted)."""
        if chosen is None or operation_id is None or not isinstance(chosen.status, int):
            return chosen
        if self.documents(operation_id, chosen.status):
            return chosen
        documented = (o for o in rule.violation if isinstance(o.status, int) and self.documents(operation_id, o.status))
        return next(documented, chosen)

    def entries(self) -> list[Entry]:
        return [Entry(s, c, m) for (s, c), m in sorted(self._messages.items())]

    def message(self, status: int, code: str) -> str:
        return self._messages.get((status, code), code)

    def error(
        self,
        kind: tuple[int, str],
        detail: str | None = None,
        *,
        rule: str | None = None,
        headers: Mapping[str, str] | None = None,
        cause: str | None = None,
    ) -> ApiError:
        """The documented error ``kind`` (a (status, code) pair), its message, maybe a detail."""
        status, code = kind
        message = self.message(status, code)
        text = f"{message}: {detail}" if detail else message
        return ApiError(status, code, text, rule=rule, headers=headers, cause=cause)

    def broken(self, rule: Rule, outcome: Outcome | None = None) -> ApiError:
        """The error for breaking ``rule``: ``outcome``, or its first exact documented outcome."""
        chosen = outcome if outcome is not None else first_refusal(rule)
        if chosen is None or not isinstance(chosen.status, int):
            status, code = INVALID_REQUEST
        else:
            status, code = chosen.status, chosen.code or INVALID_REQUEST[1]
        # A refusal of the request's content names the rule; other outcomes (404, 402, 409, 403)
        # say what the documents' own example of that error says.
        message = f"{rule.summary} ({rule.id})" if (status, code) == INVALID_REQUEST else self.message(status, code)
        return ApiError(status, code, message, rule=rule.id)


def first_refusal(rule: Rule) -> Outcome | None:
    """The first outcome of ``rule`` with an exact status (a refusal, not a class like 2XX)."""
    return next((o for o in rule.violation if isinstance(o.status, int)), None)
