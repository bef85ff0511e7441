"""Typed exceptions, one per documented status, with the error body's ``code`` and ``message``."""

from __future__ import annotations

from typing import Any

import httpx

from ..spec import Violation


class VouchersError(Exception):
    """Base of every error the client raises."""


class NetworkError(VouchersError):
    """No response came: the connection was refused or dropped, the name did not resolve, or
    the request timed out. httpx's exception is the ``__cause__``."""

    def __init__(self, operation_id: str, error: httpx.TransportError):
        self.operation_id = operation_id
        super().__init__(f"{operation_id}: no response ({type(error).__name__}: {error or 'no detail'})")


class RequestValidationError(VouchersError, ValueError):
    """The request breaks a documented rule; it was not sent."""

    def __init__(self, operation_id: str, violation: Violation):
        super().__init__(f"{operation_id}: {violation}")
        self.operation_id = operation_id
        self.violation = violation
        self.rule_id = violation.rule.id if violation.rule else None


class UnknownFieldError(RequestValidationError):
    """A request names a field its schema does not define (a typo, usually); it was not sent.
    The server would ignore the field (D-024), so the change it meant would silently not be
    made. ``allow_unknown_fields=True`` on the client sends such fields."""

    def __init__(self, operation_id: str, field: str, path: str, allowed: tuple[str, ...], suggestion: str | None):
        hint = f"did you mean {suggestion!r}? " if suggestion else ""
        message = f"unknown field {field!r} ({hint}allowed: {', '.join(allowed)})"
        super().__init__(operation_id, Violation(message, path, None))
        #: The unknown field's name, where it is (``""`` for the body itself, else a path such
        #: as ``pickup_locations/0``), and the names allowed there.
        self.field = field
        self.path = path
        self.allowed = allowed
        self.suggestion = suggestion


class ResponseValidationError(VouchersError):
    """The server's response does not match the description."""

    def __init__(self, operation_id: str, detail: str, response: httpx.Response):
        super().__init__(f"{operation_id}: response does not match the description: {detail}")
        self.operation_id = operation_id
        self.response = response


class TokenError(VouchersError):
    """The token endpoint refused (RFC 6749 ``error`` and ``error_description``)."""

    def __init__(self, status: int, error: str, description: str):
        super().__init__(f"token request failed ({status} {error}): {description}")
        self.status = status
        self.error = error
        self.description = description


class ApiError(VouchersError):
    """A documented error response."""

    status: int = 0

    def __init__(self, response: httpx.Response, code: str | None, message: str | None, body: Any):
        super().__init__(f"{response.status_code} {code or '-'}: {message or response.reason_phrase}")
        self.response = response
        self.status = response.status_code
        self.code = code
        self.message = message
        self.body = body
        #: The emulator names the broken rule; the vendor does not.
        self.rule_id = response.headers.get("x-u4b-rule")


class BadRequestError(ApiError):
    """400 ``invalid_request``."""


class UnauthorizedError(ApiError):
    """401 ``unauthorized``: no, an invalid or an expired token."""


class TemplateInactiveError(ApiError):
    """402 ``campaign_template_inactive``."""


class ForbiddenError(ApiError):
    """403 ``user_not_allowed`` or ``unauthorized`` (an unapproved third-party app)."""


class NotFoundError(ApiError):
    """404 ``resource_not_found``."""


class ConflictError(ApiError):
    """409 ``code_generation_in_progress``: wait and retry."""


class RateLimitedError(ApiError):
    """429: rate limited (after the retries the policy allows)."""


class ServerError(ApiError):
    """5xx."""


_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    402: TemplateInactiveError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitedError,
}


def error_from_response(response: httpx.Response) -> ApiError:
    try:
        body: Any = response.json()
    except ValueError:
        body = None
    code = body.get("code") if isinstance(body, dict) else None
    message = body.get("message") if isinstance(body, dict) else None
    kind = _BY_STATUS.get(response.status_code, ServerError if response.status_code >= 500 else ApiError)
    return kind(
        response,
        code if isinstance(code, str) else None,
        message if isinstance(message, str) else None,
        body,
    )
