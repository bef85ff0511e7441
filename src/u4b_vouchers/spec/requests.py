"""Request bodies checked against the spec's own schemas, each failure attributed to its rule.

Used by the emulator (to refuse a request with the broken rule's id) and by the typed client
(to catch, before sending, the rules that generated models cannot express).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice
from typing import Any

from jsonschema.exceptions import ValidationError, best_match, relevance

from .attribution import keyword_pointer
from .document import Spec
from .fastcheck import fast_checker
from .pointer import join
from .rules import Rule, parse_rules
from .validation import SchemaValidator

#: How many schema errors of one body are looked at to choose the one reported.
MAX_ERRORS = 64


@dataclass(frozen=True)
class Violation:
    """Why a body is invalid: a one-line reason, where, and the documented rule (if any)."""

    message: str
    path: str
    rule: Rule | None

    def __str__(self) -> str:
        where = f" (at {self.path})" if self.path else ""
        rule = f" ({self.rule.id})" if self.rule else ""
        return f"{self.message}{where}{rule}"


def _describe(error: ValidationError) -> str:
    """jsonschema's message, without the whole instance for alternatives of required fields."""
    branches = error.validator_value if error.validator in ("anyOf", "oneOf") else None
    if isinstance(branches, list) and all(isinstance(b, dict) and set(b) == {"required"} for b in branches):
        names = [name for branch in branches for name in branch["required"]]
        return f"one of {', '.join(names)} is required"
    return str(error.message)


class RequestBodyValidator:
    def __init__(self, spec: Spec, rules: list[Rule] | None = None):
        self._spec = spec
        self._validator = SchemaValidator(spec)
        rules = rules if rules is not None else parse_rules(spec.data)
        self._schema_rules = sorted(
            ((rule.pointer, rule) for rule in rules if rule.kind == "schema" and rule.pointer),
            key=lambda item: -len(item[0]),
        )
        self._body_schema: dict[str, str] = {}
        for op in spec.operations():
            content = spec.deref(op.raw.get("requestBody") or {}).get("content") or {}
            if "application/json" in content:
                self._body_schema[op.operation_id] = join(
                    [
                        "paths",
                        op.path,
                        op.method,
                        "requestBody",
                        "content",
                        "application/json",
                        "schema",
                    ]
                )

        self._fast = {op: fast_checker(spec, pointer) for op, pointer in self._body_schema.items()}

    def body_schema(self, operation_id: str) -> str | None:
        """The pointer of ``operation_id``'s JSON request body schema, if it has one."""
        return self._body_schema.get(operation_id)

    def rule_for(self, keyword_pointer: str) -> Rule | None:
        """The schema rule a failure of the keyword at ``keyword_pointer`` breaks."""
        return self._rule_for(keyword_pointer)

    def _rule_for(self, keyword_pointer: str) -> Rule | None:
        for pointer, rule in self._schema_rules:
            if keyword_pointer == pointer or keyword_pointer.startswith(pointer + "/"):
                return rule
        return None

    def violation(self, operation_id: str, body: Any, *, ignore: frozenset[str] = frozenset()) -> Violation | None:
        """The most relevant schema violation of ``body`` (leaving out violations of the rules in
        ``ignore``), or None when there is none."""
        start = self._body_schema.get(operation_id)
        if start is None:
            return None
        fast = self._fast.get(operation_id)
        if fast is not None and _accepts(fast, body):
            return None
        # The first errors only: a body with a million bad items has a million errors, and
        # finding them all is what would take the time, not judging the first.
        for candidate in sorted(islice(self._validator.errors(start, body), MAX_ERRORS), key=relevance):
            error = best_match([candidate]) or candidate
            rule = self._rule_for(keyword_pointer(self._spec, start, error))
            if rule is not None and rule.id in ignore:
                continue
            return Violation(
                message=_describe(error),
                path="/".join(str(p) for p in error.absolute_path),
                rule=rule,
            )
        return None


def _accepts(check: Callable[[Any], bool], body: Any) -> bool:
    try:
        return bool(check(body))
    except Exception:  # a value jsonschema-rs cannot take (a huge integer, ...): judge it slowly
        return False
