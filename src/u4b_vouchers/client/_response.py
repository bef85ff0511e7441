"""What an operation returns: the parsed body, and the status and headers it came with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

import httpx

T = TypeVar("T")


@dataclass(frozen=True)
class ApiResponse(Generic[T]):
    """One successful response: ``data`` is the operation's model, or None for an operation
    whose success documents no body (Generate Voucher Codes, Update Voucher Program)."""

    status_code: int
    headers: httpx.Headers
    data: T
    #: The operation's ``operationId`` in the description.
    operation_id: str
