"""Domain errors and the one place they become HTTP responses."""

from __future__ import annotations

import json
from collections.abc import Mapping

from starlette.responses import Response


class ApiError(Exception):
    """A documented error: HTTP status, the body's ``code``, a message, and the rule broken."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        rule: str | None = None,
        headers: Mapping[str, str] | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.rule = rule
        self.headers = dict(headers or {})


class BadBody:
    """A request body that could not be read as JSON; the store raises ``error`` in turn."""

    def __init__(self, error: ApiError):
        self.error = error


def invalid_request(message: str, rule: str | None = None) -> ApiError:
    return ApiError(400, "invalid_request", message, rule=rule)


def program_not_found() -> ApiError:
    return ApiError(404, "resource_not_found", "Voucher program is not found", rule="ERR-PROGRAM-NOT-FOUND")


def json_response(status: int, body: object, headers: Mapping[str, str] | None = None) -> Response:
    return Response(
        json.dumps(body, separators=(",", ":")),
        status_code=status,
        media_type="application/json",
        headers=dict(headers or {}),
    )


def error_response(error: ApiError) -> Response:
    """The vendor's error body: ``code`` and ``message``; the rule id travels in a header."""
    headers = dict(error.headers)
    if error.rule:
        headers["X-U4B-Rule"] = error.rule
    body = {"code": error.code, "message": error.message} if error.code else {"message": error.message}
    return json_response(error.status, body, headers)


class OAuthError(Exception):
    """An RFC 6749 token-endpoint error (``{"error": ..., "error_description": ...}``)."""

    def __init__(self, status: int, error: str, description: str):
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description

    def response(self) -> Response:
        return json_response(
            self.status,
            {"error": self.error, "error_description": self.description},
            {"Cache-Control": "no-store"},
        )
