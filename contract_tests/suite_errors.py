"""Documented errors: every error body seen has the documented shape, status and code; 500, 429
and 409 are provoked where the target lets us (the emulator's control plane)."""

from __future__ import annotations

import re
from typing import Any

from u4b_vouchers.spec import Spec

from .context import CheckContext, Deviation
from .registry import check
from .target import Exchange

OPERATION_PATHS = [
    (
        "generateVoucherCodes",
        "POST",
        re.compile(r"/v1/organizations/[^/]+/voucher-programs/[^/]+/codes/generate$"),
    ),
    (
        "createIndividualVoucherProgram",
        "POST",
        re.compile(r"/v1/organizations/[^/]+/individual_voucher_program/create$"),
    ),
    (
        "getVoucherProgramGuestInfo",
        "GET",
        re.compile(r"/v1/organizations/[^/]+/voucher-programs/[^/]+/guests$"),
    ),
    (
        "updateVoucherProgram",
        "PATCH",
        re.compile(r"/v1/organizations/[^/]+/voucher-programs/[^/]+$"),
    ),
]


def operation_of(exchange: Exchange) -> str | None:
    path = "/" + exchange.url.split("://", 1)[-1].split("/", 1)[-1].split("?")[0]
    for operation, method, pattern in OPERATION_PATHS:
        if exchange.method == method and pattern.search(path):
            return operation
    return None


def documented_errors(spec: Spec) -> dict[str, dict[int, set[str] | None]]:
    """operation -> status -> documented codes (None: any code, as for 429)."""
    found: dict[str, dict[int, set[str] | None]] = {}
    for op in spec.operations():
        statuses: dict[int, set[str] | None] = {}
        for status, response in (op.raw.get("responses") or {}).items():
            if not str(status).isdigit() or int(status) < 400:
                continue
            resolved: Any = spec.deref(response)
            schema = spec.deref(((resolved.get("content") or {}).get("application/json") or {}).get("schema") or {})
            codes: set[str] | None = None
            for member in schema.get("allOf", []):
                code = (member.get("properties") or {}).get("code") or {}
                if "const" in code:
                    codes = {code["const"]}
                elif "enum" in code:
                    codes = set(code["enum"])
            statuses[int(status)] = codes
        found[op.operation_id] = statuses
    return found


@check(
    "errors",
    "error-bodies",
    "every error response seen this run is documented for its operation, with a JSON body and a documented code",
    rules=("ERR-BODY-SHAPE",),
)
def error_bodies(ctx: CheckContext) -> None:
    documented = documented_errors(ctx.spec)
    # Provoke a few documented errors of its own, then judge every error seen this run.
    unknown = "00000000-0000-4000-8000-00000000dead"
    ctx.guests(unknown)
    ctx.update(unknown, {"expense_memo": "x"}, None)
    ctx.generate(ctx.fixture("program_started_multi_code"), {"number_of_codes": "many"})
    for exchange in list(ctx.target.exchanges):
        operation = operation_of(exchange)
        if operation is None or exchange.status < 400:
            continue
        problem = error_body_problem(documented[operation], operation, exchange)
        if problem is not None:
            raise Deviation(problem, "ERR-BODY-SHAPE", exchange)


def error_body_problem(documented: dict[int, set[str] | None], operation: str, exchange: Exchange) -> str | None:
    """What is wrong with an error answer of ``operation`` (its ``documented`` statuses and
    codes): no JSON body with a string code, an undocumented status or code; None if nothing."""
    body = exchange.json()
    if not isinstance(body, dict) or not isinstance(body.get("code"), str):
        return f"a {exchange.status} from {operation} has no JSON body with a string code"
    if exchange.status not in documented:
        return f"{operation} answered {exchange.status}, which it does not document"
    codes = documented[exchange.status]
    if codes is not None and body["code"] not in codes:
        return (
            f"{operation} answered {exchange.status} with code {body['code']!r}; documented: {', '.join(sorted(codes))}"
        )
    return None


@check(
    "errors",
    "server-errors",
    "500 and 429 bodies are the documented ones, and 429 carries a usable Retry-After (emulator faults)",
    rules=("ERR-BODY-SHAPE",),
)
def server_errors(ctx: CheckContext) -> None:
    control = ctx.control
    program = ctx.fixture("program_started_multi_code")
    try:
        for operation in (
            "getVoucherProgramGuestInfo",
            "updateVoucherProgram",
            "generateVoucherCodes",
            "createIndividualVoucherProgram",
        ):
            control.add_fault(operation, "error")
            control.add_fault(operation, "rate-limit", retry_after=1)
            for expected in (500, 429):
                if operation == "getVoucherProgramGuestInfo":
                    exchange = ctx.guests(program, retry=False)
                elif operation == "updateVoucherProgram":
                    exchange = ctx.update(program, {"expense_memo": "fault"}, retry=False)
                elif operation == "generateVoucherCodes":
                    exchange = ctx.generate(program, {"number_of_codes": 1}, retry=False)
                else:
                    exchange = ctx.create(ctx.valid_create(), retry=False)
                ctx.expect_status(
                    exchange,
                    "ERR-BODY-SHAPE",
                    expected,
                    "internal_server_error" if expected == 500 else None,
                )
                if expected == 429 and not exchange.response_headers.get("retry-after", "").isdigit():
                    raise Deviation("429 without a Retry-After in seconds", "ERR-BODY-SHAPE", exchange)
    finally:
        control.clear_faults()
