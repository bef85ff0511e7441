"""The documented rules a request shows broken, judged from one exchange: one small function per
``x-u4b-rules`` kind (as the emulator evaluates one per kind), registered in :data:`BREACHES`.

Each function answers whether the exchange's request breaks ``rule``: ``True`` only when the
request (and what the judge has learned from earlier traffic) shows it; ``False`` when it does
not or cannot tell. What the answer is worth (a success to a broken rule, a refusal with a
status or code the rule does not give) is worked out once, in :func:`breach_finding` terms by
the observer. Kinds not registered here are not judged from a request: schema rules are judged
through :class:`~u4b_vouchers.spec.RuleAttribution`, paging and response rules from responses,
and the rest (auth, reference, quota, conflict, present-only, ...) need facts traffic does not
show (see ``NOT_FROM_TRAFFIC`` in observer.py).
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from u4b_vouchers.spec import Rule

from .limits import window
from .observer_state import ProgramFacts, millis

#: How far the judge's "now" may be from the server's (a Date header has whole seconds, and a
#: judge off the hot path reads its own clock a little later): a time rule is judged broken
#: only when the value is past its bound (and the rule's tolerance) by more than this.
CLOCK_SLACK_MS = 30_000


@dataclass
class Request:
    """What a rule function may look at: the request body (``None`` when it is not a JSON
    object), the program it names and what is known of it, the moment it was answered, and
    the request's header names (lower case)."""

    operation: str
    body: dict[str, Any] | None
    program: ProgramFacts | None
    now_ms: int
    headers: frozenset[str] = frozenset()

    def present(self, target: str | None) -> bool:
        name = body_field(target)
        return name is not None and self.body is not None and name in self.body

    def value(self, target: str | None) -> Any:
        name = body_field(target)
        return self.body.get(name) if name is not None and self.body is not None else None

    def states(self) -> set[str]:
        """The state words of ``x-u4b-rules`` known to hold for the program (empty: unknown)."""
        facts = self.program
        if facts is None or facts.starts_at is None:
            return set()
        if self.now_ms + CLOCK_SLACK_MS < facts.starts_at:
            return {"not-started"}
        if not facts.started(self.now_ms, CLOCK_SLACK_MS):
            return set()
        found = {"started"}
        if facts.ends_at is not None:
            if self.now_ms - CLOCK_SLACK_MS >= facts.ends_at:
                found.add("completed")
            elif self.now_ms + CLOCK_SLACK_MS < facts.ends_at:
                found.add("live")
        return found

    def current(self, target: str | None) -> Any:
        """The program's value of a body field as traffic showed it, or None."""
        name, facts = body_field(target), self.program
        if name is None or facts is None:
            return None
        if name in ("starts_at", "ends_at"):
            return getattr(facts, name)
        return facts.values.get(name)


def body_field(target: str | None) -> str | None:
    """``body.ends_at`` → ``ends_at`` (None for other locations and nested fields)."""
    if not target or not target.startswith("body.") or "[" in target or "." in target[5:]:
        return None
    return target[5:]


Breach = Callable[[Rule, Request], bool]
BREACHES: dict[str, Breach] = {}


def breach(kind: str) -> Callable[[Breach], Breach]:
    def register(function: Breach) -> Breach:
        if kind in BREACHES:
            raise ValueError(f"kind {kind} registered twice")
        BREACHES[kind] = function
        return function

    return register


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@breach("time-window")
def _time_window(rule: Rule, request: Request) -> bool:
    value = millis(request.value(rule.target))
    if value is None:
        return False
    bounds = window(rule, request.now_ms)
    away = bounds.tolerance + CLOCK_SLACK_MS
    too_early = bounds.earliest is not None and value < bounds.earliest - away
    too_late = bounds.latest is not None and value > bounds.latest + away
    return too_early or too_late


@breach("field-order")
def _field_order(rule: Rule, request: Request) -> bool:
    later, earlier = request.value(rule.target), request.value(str(rule.params.get("after", "")))
    if rule.params.get("scope") == "effective":
        later = later if request.present(rule.target) else request.current(rule.target)
        after = str(rule.params.get("after", ""))
        earlier = earlier if request.present(after) else request.current(after)
        if not (request.present(rule.target) or request.present(after)):
            return False
    return _number(later) and _number(earlier) and later <= earlier


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


@breach("format")
def _format(rule: Rule, request: Request) -> bool:
    value = request.value(rule.target)
    if rule.params.get("format") != "iana-time-zone" or not isinstance(value, str):
        return False
    return value not in _zones()


@breach("code-scheme")
def _code_scheme(rule: Rule, request: Request) -> bool:
    scheme = request.program.scheme if request.program is not None else None
    if scheme is None:
        return False
    if body_field(rule.target) is not None and not request.present(rule.target):
        return False
    return scheme not in (rule.params.get("code-schemes") or [])


@breach("program-state")
def _program_state(rule: Rule, request: Request) -> bool:
    return request.present(rule.target) and bool(set(rule.params.get("forbidden-when") or []) & request.states())


@breach("monotonic")
def _monotonic(rule: Rule, request: Request) -> bool:
    new, old = request.value(rule.target), request.current(rule.target)
    if not _number(new) or not _number(old):
        return False
    if not set(rule.params.get("when") or []) & request.states():
        return False
    backwards = new > old if rule.params.get("direction") == "decrease" else new < old
    return bool(backwards) or (new == old and rule.params.get("equal") == "forbidden")


@breach("bound")
def _bound(rule: Rule, request: Request) -> bool:
    value = request.value(rule.target)
    if not _number(value):
        return False
    low, high = rule.params.get("minimum"), rule.params.get("maximum")
    return (_number(low) and value < low) or (_number(high) and value > high)


@breach("auth")
def _auth(rule: Rule, request: Request) -> bool:
    """Only the one identity traffic shows: none (a request without an Authorization header)."""
    return rule.params.get("identity") == "none" and "authorization" not in request.headers
