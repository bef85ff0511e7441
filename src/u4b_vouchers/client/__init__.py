"""A typed Python client of the U4B Vouchers API, built on the generated models and httpx.

``VouchersClient`` (sync) and ``AsyncVouchersClient`` (async) have one method per operation;
``ClientCredentials``, ``AuthorizationCode`` and ``StaticToken`` supply and cache tokens;
errors are typed per documented status. ``PRODUCTION_URL``, ``SANDBOX_URL`` and ``TOKEN_URL``
come from the description; any emulator works as a base URL too.
"""

from __future__ import annotations

from ._async import AsyncVouchersClient
from ._auth import AuthorizationCode, ClientCredentials, StaticToken, TokenProvider
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
    VouchersError,
)
from ._inprocess import SyncASGITransport
from ._operations import server_url, token_url
from ._profiles import provider_for
from ._retry import NO_RETRY, RetryPolicy
from ._sync import VouchersClient

PRODUCTION_URL = server_url("Production")
SANDBOX_URL = server_url("Sandbox")
TOKEN_URL = token_url()

__all__ = [
    "NO_RETRY",
    "PRODUCTION_URL",
    "SANDBOX_URL",
    "TOKEN_URL",
    "ApiError",
    "AsyncVouchersClient",
    "AuthorizationCode",
    "BadRequestError",
    "ClientCredentials",
    "ConflictError",
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
    "VouchersClient",
    "VouchersError",
    "provider_for",
]
