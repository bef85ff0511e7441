"""A typed Python client of the U4B Vouchers API, built on the generated models and httpx.

``VouchersClient`` (sync) and ``AsyncVouchersClient`` (async) have one method per operation,
each returning an ``ApiResponse`` (status, headers, the parsed body); ``ClientCredentials``,
``AuthorizationCode`` and ``StaticToken`` supply and cache tokens; errors are typed per
documented status. ``SANDBOX`` (the default) and ``PRODUCTION`` are the description's servers
with its token URL (``Environment.SANDBOX``, ``Environment.PRODUCTION``); any emulator works
as a ``base_url`` too.
"""

from __future__ import annotations

from ._async import AsyncVouchersClient
from ._auth import AuthorizationCode, ClientCredentials, StaticToken, TokenProvider
from ._environments import Environment
from ._errors import (
    ApiError,
    BadRequestError,
    ConflictError,
    ForbiddenError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    RequestValidationError,
    ResponseValidationError,
    ServerError,
    TemplateInactiveError,
    TokenError,
    UnauthorizedError,
    UnknownFieldError,
    VouchersError,
)
from ._inprocess import SyncASGITransport
from ._profiles import provider_for
from ._response import ApiResponse
from ._retry import NO_RETRY, RetryPolicy
from ._sync import VouchersClient

SANDBOX = Environment.SANDBOX
PRODUCTION = Environment.PRODUCTION
PRODUCTION_URL = PRODUCTION.base_url
SANDBOX_URL = SANDBOX.base_url
TOKEN_URL = SANDBOX.token_url

__all__ = [
    "NO_RETRY",
    "PRODUCTION",
    "PRODUCTION_URL",
    "SANDBOX",
    "SANDBOX_URL",
    "TOKEN_URL",
    "ApiError",
    "ApiResponse",
    "AsyncVouchersClient",
    "AuthorizationCode",
    "BadRequestError",
    "ClientCredentials",
    "ConflictError",
    "Environment",
    "ForbiddenError",
    "NetworkError",
    "NotFoundError",
    "RateLimitedError",
    "RequestValidationError",
    "ResponseValidationError",
    "RetryPolicy",
    "ServerError",
    "StaticToken",
    "SyncASGITransport",
    "TemplateInactiveError",
    "TokenError",
    "TokenProvider",
    "UnauthorizedError",
    "UnknownFieldError",
    "VouchersClient",
    "VouchersError",
    "provider_for",
]
