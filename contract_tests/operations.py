"""The four operations as requests show them: method and path template, and which operation an
exchange was (by its method and path)."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Operation:
    id: str
    method: str
    path: str

    @property
    def pattern(self) -> re.Pattern[str]:
        return re.compile(re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(self.path)) + "$")


_PROGRAM = "/v1/organizations/{organization_id}/voucher-programs/{voucher_program_id}"
OPERATIONS = (
    Operation(
        "generateVoucherCodes",
        "POST",
        "/v1/organizations/{organization_id}/voucher-programs/{voucher_program_id}/codes/generate",
    ),
    Operation(
        "createIndividualVoucherProgram",
        "POST",
        "/v1/organizations/{organization_id}/individual_voucher_program/create",
    ),
    Operation(
        "getVoucherProgramGuestInfo",
        "GET",
        "/v1/organizations/{organization_id}/voucher-programs/{voucher_program_id}/guests",
    ),
    Operation(
        "updateVoucherProgram", "PATCH", "/v1/organizations/{organization_id}/voucher-programs/{voucher_program_id}"
    ),
)
_PATTERNS = [(op, op.pattern) for op in OPERATIONS]


def operation_at(method: str, url: str) -> Operation | None:
    """The operation a request to ``url`` with ``method`` calls, or None."""
    path = "/" + url.split("://", 1)[-1].split("/", 1)[-1].split("?", maxsplit=1)[0]
    for operation, pattern in _PATTERNS:
        if method == operation.method and pattern.search(path):
            return operation
    return None


#: The success status each operation documents where a rule gives it (D-003, D-041), and that
#: rule: a success with another status is a warning (the rules are implied).
SUCCESS_STATUS = {
    "generateVoucherCodes": ("GEN-SUCCESS-200", 200),
    "updateVoucherProgram": ("UPD-SUCCESS-204", 204),
}
