"""Judging live traffic: exchanges a client and a target had, seen one at a time as they pass.

The suites send requests of their own to learn what a target does; an observer only watches
(``u4b-vouchers proxy``). It judges each exchange by what the description says and by the
documented rules that traffic alone can show, learning what it needs (a program's state, the
values an update raised) from the exchanges it has seen before.

The public surface is :class:`TrafficJudge`: ``observe(exchange)`` returns the findings that
exchange shows (new or repeated), ``findings`` every distinct finding so far in the order first
seen, with how often each was seen.
"""

from __future__ import annotations

from u4b_vouchers.spec import RuleAttribution, Spec, load_spec, parse_rules

from .findings import FAILURE, Finding
from .operations import operation_at
from .schema_judging import REQUEST_SCHEMA, RESPONSE_SCHEMA, response_deviations
from .target import Exchange

#: The ``check`` every finding of an observer carries.
OBSERVER_CHECK = "proxy"


class TrafficJudge:
    """Findings of exchanges seen in order (one judge per stream of traffic; not thread-safe)."""

    def __init__(self, spec: Spec | None = None):
        self.spec = spec if spec is not None else load_spec()
        self.rules = {rule.id: rule for rule in parse_rules(self.spec.data)}
        self.attribution = RuleAttribution(
            self.spec, self.rules.values(), fallbacks=frozenset({REQUEST_SCHEMA, RESPONSE_SCHEMA})
        )
        self._findings: dict[str, Finding] = {}
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
        found: list[Finding] = []
        responses = self.spec.operation(operation.id).raw.get("responses") or {}
        if str(exchange.status) in responses and exchange.response_body:
            pointer = (
                self.spec.operation(operation.id).pointer
                + f"/responses/{exchange.status}/content/application~1json/schema"
            )
            for deviation in response_deviations(self.attribution, pointer, exchange, operation.id):
                found.append(
                    Finding(
                        check=OBSERVER_CHECK,
                        rule=deviation.rule or RESPONSE_SCHEMA,
                        severity=FAILURE,
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
                )
        for finding in found:
            known = self._findings.get(finding.fingerprint)
            self._findings[finding.fingerprint] = known.seen() if known is not None else finding
        return found
