"""Request bodies as the emulator refuses them: the spec's schema violation, as a 400."""

from __future__ import annotations

from typing import Any

from ..spec import Rule, Spec
from ..spec.requests import RequestBodyValidator
from .errors import ApiError, BadBody


class RequestValidator:
    def __init__(self, spec: Spec, rules: list[Rule]):
        self._bodies = RequestBodyValidator(spec, rules)

    def validate_body(self, operation_id: str, body: Any, ignore: frozenset[str] = frozenset()) -> None:
        if isinstance(body, BadBody):
            raise body.error
        violation = self._bodies.violation(operation_id, body, ignore=ignore)
        if violation is not None:
            rule = violation.rule.id if violation.rule else None
            raise ApiError(400, "invalid_request", f"This request is invalid: {violation}", rule=rule)
