"""Validating a parsed request against the spec's own schemas (compiled once per operation).

A failure is attributed to the rule whose schema keyword failed, and gets that rule's
documented outcome like any other rule (:mod:`.catalogue`); a failure no rule covers is a
plain 400 ``invalid_request``.
"""

from __future__ import annotations

from typing import Any

from ..spec import RequestBodyValidator, Spec
from .catalogue import INVALID_REQUEST, ApiError
from .readings import Readings
from .rulebook import RuleBook


class RequestValidator:
    def __init__(self, spec: Spec, rules: RuleBook):
        self._rules = rules
        self._bodies = RequestBodyValidator(spec, rules.rules)

    def validate_body(
        self,
        operation_id: str,
        body: Any,
        ignored: frozenset[str] = frozenset(),
        readings: Readings | None = None,
    ) -> None:
        violation = self._bodies.violation(operation_id, body, ignore=ignored)
        if violation is None:
            return
        if violation.rule is not None:
            outcome = self._rules.outcome(violation.rule, readings, operation_id)
            if outcome is None and readings is not None and readings.known.get(violation.rule.id):
                return  # the reading accepts a request that breaks this rule
            error = self._rules.catalogue.broken(violation.rule, outcome)
            raise ApiError(error.status, error.code, f"This request is invalid: {violation}", rule=error.rule)
        raise self._rules.catalogue.error(INVALID_REQUEST, str(violation))

    def limit(self, raw: str | None) -> int | None:
        """The guest listing's ``limit`` query parameter, an integer (002, Request Query)."""
        if raw is None:
            return None
        try:
            return int(raw)
        except ValueError:
            raise self._rules.catalogue.error(INVALID_REQUEST, f"limit must be an integer, got {raw!r}") from None
