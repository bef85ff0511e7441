"""Judging live traffic: exchanges a client and a target had, seen one at a time as they pass.

The suites send requests of their own to learn what a target does; an observer only watches
(``u4b-vouchers proxy``). It judges each exchange by what the description says and by the
documented rules that traffic alone can show, learning what it needs (a program's start, the
values an update raised, its code scheme, the pages of a walk) from the exchanges it has seen
before (observer_state.py). What it judges:

- every response: its status documented for the operation (an undocumented success warns or
  fails under the operation's success rule, an undocumented error fails ERR-BODY-SHAPE), and
  its body against the response schema (error codes included: each documented error response
  gives its codes);
- every request: the rules it breaks (its schema, attributed to the narrowest rule, and the
  rule kinds of observer_rules.py), against the answer: a success to a broken rule is
  ``accepted``, a refusal with a status the rule gives but another code is ``code``, one with
  a status the operation does not document is ``status`` (a refusal the operation documents
  otherwise, 401 or 404 say, may be owed to a rule traffic cannot see: not judged);
- pages: longer than their ``limit``, a guest twice in one walk, two complete walks of an
  unchanged program that disagree, a token after a short last page, ``canceled_at`` on a
  voucher that is not canceled.

Where the documents leave a choice (null as absent, D-059; an update without a JSON object,
D-061; the readings of the emulator) every choice passes. A rule whose basis is ``open`` is
never judged; an ``implied`` one taken the permissive way warns.

The public surface is :class:`TrafficJudge`: ``observe(exchange)`` returns the findings that
exchange shows (new or repeated), ``findings`` every distinct finding so far in the order first
seen, with how often each was seen.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from u4b_vouchers.spec import Rule, RuleAttribution, Spec, load_spec, parse_rules

from .context import Deviation
from .findings import FAILURE, WARNING, Finding, has_status
from .observer_rules import BREACHES, Request
from .observer_state import TrafficState, Walk, guest_key, millis
from .operations import SUCCESS_STATUS, Operation, operation_at
from .schema_judging import ERROR_BODIES, REQUEST_SCHEMA, RESPONSE_SCHEMA, response_deviations
from .target import Exchange

#: The ``check`` every finding of an observer carries.
OBSERVER_CHECK = "proxy"
GENERATE, CREATE, GUESTS, UPDATE = (
    "generateVoucherCodes",
    "createIndividualVoucherProgram",
    "getVoucherProgramGuestInfo",
    "updateVoucherProgram",
)
LIMIT_HONOURED, PAGES_COMPLETE = "GST-LIMIT-HONOURED", "GST-PAGES-COMPLETE"
TOKEN_WHEN_MORE, TOKEN_VALID = "GST-NEXT-TOKEN-WHEN-MORE", "GST-PAGE-TOKEN-VALID"
CANCELED_AT = "GST-CANCELED-AT-ONLY-CANCELED"
CANCELED_STATUS = "VOUCHER_CANCELED"
_PROGRAM_ID = re.compile(r"/voucher-programs/([^/?#]+)")
_NO_BODY = object()


class TrafficJudge:
    """Findings of exchanges seen in order (one judge per stream of traffic; not thread-safe).

    ``clock`` gives "now" in epoch milliseconds for an exchange whose response has no Date
    header (the wall clock by default)."""

    def __init__(self, spec: Spec | None = None, *, clock: Callable[[], int] | None = None):
        self.spec = spec if spec is not None else load_spec()
        self.rules = {rule.id: rule for rule in parse_rules(self.spec.data)}
        self.attribution = RuleAttribution(
            self.spec, self.rules.values(), fallbacks=frozenset({REQUEST_SCHEMA, RESPONSE_SCHEMA})
        )
        self.clock = clock or (lambda: time.time_ns() // 1_000_000)
        self.state = TrafficState()
        self._findings: dict[str, Finding] = {}
        #: The code schemes a success shows: codes are generated only for the one, and
        #: ``redemptions_per_code`` changes only on the other (GEN-MULTI-CODE-ONLY,
        #: UPD-REDEMPTIONS-SINGLE-CODE-ONLY: the schemes come from those rules' ``code-schemes``).
        self._schemes = {
            rule.id: tuple(rule.params.get("code-schemes") or ())
            for rule in self.rules.values()
            if rule.kind == "code-scheme"
        }
        #: Exchanges observed so far.
        self.observed = 0

    @property
    def findings(self) -> list[Finding]:
        return list(self._findings.values())

    def observe(self, exchange: Exchange) -> list[Finding]:
        """The findings ``exchange`` shows (each also kept, once per fingerprint, in :attr:`findings`)."""
        self.observed += 1
        operation = operation_at(exchange.method, exchange.url)
        if operation is None:
            return []
        found = [self._finding(deviation, exchange, operation) for deviation in self._deviations(exchange, operation)]
        for finding in found:
            known = self._findings.get(finding.fingerprint)
            self._findings[finding.fingerprint] = known.seen() if known is not None else finding
        return found

    # ------------------------------------------------------------------ one exchange

    def _deviations(self, exchange: Exchange, operation: Operation) -> Iterator[Deviation]:
        raw = _request_json(exchange)
        body = {k: v for k, v in raw.items() if v is not None} if isinstance(raw, dict) else None
        program_id = _program_id(exchange.url) if operation.id != CREATE else None
        facts = self.state.known(program_id) if program_id else None
        headers = frozenset(name.lower() for name in exchange.request_headers)
        request = Request(operation.id, body, facts, self._now(exchange), headers)
        yield from self._response(exchange, operation)
        yield from self._request(exchange, operation, raw, request)
        if operation.id == GUESTS and program_id:
            yield from self._page(exchange, program_id)
        self._learn(exchange, operation, body, program_id)

    def _response(self, exchange: Exchange, operation: Operation) -> Iterator[Deviation]:
        responses = self.spec.operation(operation.id).raw.get("responses") or {}
        status = exchange.status
        if str(status) not in responses:
            if 200 <= status < 300:
                rule_id = SUCCESS_STATUS.get(operation.id, (RESPONSE_SCHEMA, 0))[0]
                rule = self.rules.get(rule_id)
                yield Deviation(
                    f"{operation.id} answered a success with {status}, a status it does not document",
                    rule_id,
                    kind=f"success-status:{status}",
                    expected="/".join(k for k in responses if k.startswith("2")),
                    severity=WARNING if rule is not None and rule.basis == "implied" else FAILURE,
                )
            elif status >= 400:
                yield Deviation(
                    f"{operation.id} answered {status}, a status it does not document",
                    ERROR_BODIES,
                    kind="status",
                    expected=", ".join(sorted(k for k in responses if not k.startswith("2"))),
                )
            return
        if not exchange.response_body:
            return
        documented = responses[str(status)]
        ref = documented.get("$ref") if isinstance(documented, dict) else None
        if isinstance(ref, str) and ref.startswith("#/components/responses/"):
            documented = self.spec.resolve(ref)
        if "application/json" not in (documented.get("content") or {}):
            return  # no body documented (D-003): what comes is not judged here
        base = ref if isinstance(ref, str) else self.spec.operation(operation.id).pointer + f"/responses/{status}"
        pointer = base + "/content/application~1json/schema"
        yield from response_deviations(self.attribution, pointer, exchange, operation.id)

    def _request(self, exchange: Exchange, operation: Operation, raw: Any, request: Request) -> Iterator[Deviation]:
        broken: dict[str, str | None] = {}  # rule id -> field
        if raw is not _NO_BODY and not (operation.id == UPDATE and not isinstance(raw, dict)):
            # D-061: an update with no JSON object may change nothing; D-059: null as absent.
            value = request.body if isinstance(raw, dict) else raw
            pointer = self.spec.operation(operation.id).pointer + "/requestBody/content/application~1json/schema"
            if "requestBody" in self.spec.operation(operation.id).raw:
                for failure in self.attribution.failures(pointer, value, operation=operation.id):
                    rule_id = failure.rule.id if failure.rule is not None else REQUEST_SCHEMA
                    broken.setdefault(rule_id, failure.field or None)
        for rule in self.rules.values():
            judge = BREACHES.get(rule.kind)
            if judge is not None and rule.applies_to(operation.id) and rule.id not in broken and judge(rule, request):
                broken[rule.id] = rule.target
        for rule_id, field in broken.items():
            deviation = self._breach(self.rules.get(rule_id), rule_id, exchange, operation, field)
            if deviation is not None:
                yield deviation

    def _breach(
        self, rule: Rule | None, rule_id: str, exchange: Exchange, operation: Operation, field: str | None
    ) -> Deviation | None:
        """What answering ``exchange`` to a request that breaks ``rule`` is worth."""
        if rule is not None and rule.basis == "open":
            return None
        outcomes = rule.violation if rule is not None else ()
        status, code = exchange.status, exchange.code
        shown = ", ".join(sorted({str(o) for o in outcomes})) or "a refusal"
        got = f"{status} {code}" if code else str(status)
        if 200 <= status < 300:
            implied = rule is not None and rule.basis == "implied"
            if not implied and any(o.matches(status, code) for o in outcomes):
                return None
            return Deviation(
                f"accepted a request that breaks {rule_id}{' (implied, not stated)' if implied else ''}: got {got}",
                rule_id,
                kind="accepted",
                expected=shown,
                got=got,
                field=field,
                severity=WARNING if implied else FAILURE,
            )
        if any(o.matches(status, code) for o in outcomes):
            return None
        responses = self.spec.operation(operation.id).raw.get("responses") or {}
        if any(has_status(o, status) for o in outcomes):
            kind = "code"
        elif str(status) not in responses or (rule is not None and _first(rule) and status not in (429, 500)):
            kind = "status"
        else:
            return None  # another documented refusal: a rule traffic does not show may come first
        return Deviation(
            f"a request breaking {rule_id} got {got} where the documents say {shown}",
            rule_id,
            kind=kind,
            expected=shown,
            got=got,
            field=field,
        )

    # ------------------------------------------------------------------ pages

    def _page(self, exchange: Exchange, program_id: str) -> Iterator[Deviation]:
        query = {k: v[-1] for k, v in parse_qs(urlsplit(exchange.url).query).items()}
        token = query.get("page_token")
        if exchange.status >= 500 and token is not None and token not in self.state.issued:
            yield Deviation(
                f"a page token the server did not issue in this traffic got {exchange.status}",
                TOKEN_VALID,
                kind="status",
                expected=", ".join(str(o) for o in self.rules[TOKEN_VALID].violation),
                got=str(exchange.status),
            )
        body = exchange.json()
        if exchange.status != 200 or not isinstance(body, dict):
            return
        guests = body.get("guests") if isinstance(body.get("guests"), list) else []
        assert isinstance(guests, list)
        next_token = body.get("next_token") if isinstance(body.get("next_token"), str) else None
        limit = _positive(query.get("limit"))
        if limit is not None and len(guests) > limit:
            yield Deviation(
                f"a page asked with limit={limit} held {len(guests)} guests",
                LIMIT_HONOURED,
                kind="page-longer-than-limit",
                expected=f"at most {limit}",
                got=str(len(guests)),
            )
        yield from self._canceled_at(guests)
        facts = self.state.program(program_id)
        walk = self.state.walks.pop(token, None) if token is not None else None
        if walk is not None and (walk.program != program_id or walk.limit != limit or walk.version != facts.version):
            walk = None  # another program, limit or state: not one walk
        if walk is None:
            walk = Walk(program_id, limit, facts.version, from_start=token is None)
        elif not guests and next_token is None and walk.full_lengths and 0 < walk.last_length < max(walk.full_lengths):
            yield Deviation(
                f"a page of {walk.last_length} guests (shorter than the {max(walk.full_lengths)} of the walk's "
                "earlier pages) carried a next_token that led to no more guests",
                TOKEN_WHEN_MORE,
                kind="token-after-short-page",
                expected="no next_token on the last page",
                severity=WARNING,  # 002 states only the "if" (D-012): its meaning excludes this
            )
        keys = [key for key in map(guest_key, guests) if key is not None]
        twice = sorted({key for key in keys if key in walk.seen} | {k for k in keys if keys.count(k) > 1})
        if twice:
            yield Deviation(
                f"one walk through the pages showed {len(twice)} guest(s) twice ({twice[0]})",
                PAGES_COMPLETE,
                kind="overlap",
                expected="each guest once",
                got=twice[0],
            )
        walk.seen.update(keys)
        walk.last_length = len(guests)
        if next_token is not None:
            walk.full_lengths.append(len(guests))
            self.state.issued.add(next_token)
            self.state.walks[next_token] = walk
        elif walk.from_start:
            yield from self._complete(facts, walk)

    def _complete(self, facts: Any, walk: Walk) -> Iterator[Deviation]:
        """Two complete walks of a program unchanged between them show the same guests."""
        seen = frozenset(walk.seen)
        if facts.complete is not None and facts.complete_version == walk.version and facts.complete != seen:
            missing = sorted(facts.complete ^ seen)
            yield Deviation(
                f"two complete walks of the same unchanged program showed {len(facts.complete)} and {len(seen)} "
                f"guests ({missing[0]} in one only)",
                PAGES_COMPLETE,
                kind="walks-disagree",
                expected="the same guests",
                got=missing[0],
            )
        facts.complete, facts.complete_version = seen, walk.version

    def _canceled_at(self, guests: list[Any]) -> Iterator[Deviation]:
        for index, guest in enumerate(guests):
            voucher = guest.get("voucher") if isinstance(guest, dict) else None
            if not isinstance(voucher, dict) or not voucher.get("voucher_status"):
                continue
            if voucher.get("voucher_status") != CANCELED_STATUS and voucher.get("canceled_at") not in (None, 0):
                yield Deviation(
                    f"a {voucher['voucher_status']} voucher carries canceled_at {voucher['canceled_at']!r}",
                    CANCELED_AT,
                    kind="canceled-at-not-canceled",
                    expected="canceled_at 0 or absent",
                    got=repr(voucher["canceled_at"]),
                    field=f"guests[{index}].voucher.canceled_at",
                )

    # ------------------------------------------------------------------ learning

    def _learn(
        self, exchange: Exchange, operation: Operation, body: dict[str, Any] | None, program_id: str | None
    ) -> None:
        if not 200 <= exchange.status < 300:
            return
        if operation.id == CREATE:
            answer = exchange.json()
            if isinstance(answer, dict) and isinstance(answer.get("campaign_uuid"), str):
                facts = self.state.program(answer["campaign_uuid"])
                facts.starts_at, facts.ends_at = millis(answer.get("starts_at")), millis(answer.get("ends_at"))
            return
        if program_id is None:
            return
        facts = self.state.program(program_id)
        if operation.id == GENERATE:
            facts.scheme = self._scheme("GEN-MULTI-CODE-ONLY") or facts.scheme
            facts.version += 1
        elif operation.id == UPDATE and body is not None:
            for name, value in body.items():
                if name in ("starts_at", "ends_at"):
                    setattr(facts, name, millis(value))
                else:
                    facts.values[name] = value
            if "redemptions_per_code" in body:
                facts.scheme = self._scheme("UPD-REDEMPTIONS-SINGLE-CODE-ONLY") or facts.scheme

    def _scheme(self, rule_id: str) -> str | None:
        schemes = self._schemes.get(rule_id, ())
        return schemes[0] if len(schemes) == 1 else None

    # ------------------------------------------------------------------ helpers

    def _now(self, exchange: Exchange) -> int:
        date = next((v for k, v in exchange.response_headers.items() if k.lower() == "date"), None)
        if date:
            try:
                return int(parsedate_to_datetime(date).timestamp() * 1000)
            except (TypeError, ValueError):
                pass
        return self.clock()

    def _finding(self, deviation: Deviation, exchange: Exchange, operation: Operation) -> Finding:
        return Finding(
            check=OBSERVER_CHECK,
            rule=deviation.rule or RESPONSE_SCHEMA,
            severity=deviation.severity or FAILURE,
            kind=deviation.kind,
            message=deviation.message,
            expected=deviation.expected,
            got=deviation.got,
            operation=operation.id,
            method=exchange.method,
            path=operation.path,
            status=exchange.status,
            code=exchange.code,
            field=deviation.field,
            request_index=exchange.index,
            seconds=exchange.seconds,
            curl=exchange.curl(),
        )


def _request_json(exchange: Exchange) -> Any:
    if exchange.request_body is None or exchange.request_body == "":
        return _NO_BODY
    try:
        return json.loads(exchange.request_body)
    except (ValueError, RecursionError):
        return _NO_BODY  # not JSON: judged by the answer's status and body alone


def _program_id(url: str) -> str | None:
    found = _PROGRAM_ID.search(urlsplit(url).path)
    return found.group(1) if found else None


def _positive(value: str | None) -> int | None:
    try:
        number = int(value) if value is not None else None
    except ValueError:
        return None
    return number if number is not None and number >= 1 else None


def _first(rule: Rule) -> bool:
    """A rule judged before any other: a request without a token is refused as such, whatever
    else it breaks (only throttling or a failure may come first)."""
    return rule.kind == "auth" and rule.params.get("identity") == "none"
