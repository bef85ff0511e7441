"""Validating a parsed request against the spec's own schemas (compiled once per operation).

A failure is attributed to the rule whose schema keyword failed, and gets that rule's
documented outcome like any other rule (:mod:`.catalogue`); a failure no rule covers is a
plain 400 ``invalid_request``.
"""

from __future__ import annotations

import re
from typing import Any

from ..spec import RequestBodyValidator, Spec
from .bounds import Limits, Shape, compile_shape, excess
from .catalogue import INVALID_REQUEST, ApiError
from .jsonbody import MAX_SAFE_INTEGER
from .readings import Readings
from .rulebook import RuleBook

_INTEGER = re.compile(r"-?[0-9]{1,16}")


class RequestValidator:
    def __init__(self, spec: Spec, rules: RuleBook):
        self._rules = rules
        self._bodies = RequestBodyValidator(spec, rules.rules)
        self._shapes: dict[str, Shape] = {}
        for op in spec.operations():
            pointer = self._bodies.body_schema(op.operation_id)
            if pointer is not None:
                self._shapes[op.operation_id] = compile_shape(spec, [(pointer, spec.resolve(pointer))])

    def check_bounds(self, operation_id: str, body: Any, limits: Limits, ignored: frozenset[str] = frozenset()) -> None:
        """Refuse, cheaply and before :meth:`validate_body`, a body with an array or string
        longer than its bound or a float where an integer is documented (:mod:`.bounds`)."""
        found = excess(body, self._shapes.get(operation_id), limits)
        if found is None:
            return
        detail = f"{found.message} (at {found.path})" if found.path else found.message
        rule = self._bodies.rule_for(found.keyword_pointer) if found.keyword_pointer else None
        if rule is None:
            raise self._rules.catalogue.error(INVALID_REQUEST, detail)
        if rule.id in ignored:
            return
        error = self._rules.catalogue.broken(rule)
        raise ApiError(error.status, error.code, f"This request is invalid: {detail} ({rule.id})", rule=error.rule)

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
        # ASCII digits only (Python's int() also takes "²"-like digits, "1_0" and spaces), and
        # within JSON's interoperable range, as numbers in bodies are.
        if _INTEGER.fullmatch(raw) is None or abs(int(raw)) > MAX_SAFE_INTEGER:
            shown = ascii(raw[:40])
            raise self._rules.catalogue.error(INVALID_REQUEST, f"limit must be an integer, got {shown}") from None
        return int(raw)
