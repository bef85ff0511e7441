"""Documented errors: every error body seen has the documented shape, status and code; 500, 429
and 409 are provoked where the target lets us (the emulator's control plane)."""

from __future__ import annotations

from email.utils import parsedate_to_datetime
from typing import Any

from u4b_vouchers.spec import Spec

from .context import CheckContext, Deviation
from .registry import check
from .target import Exchange


def _usable_retry_after(value: str) -> bool:
    """RFC 9110's Retry-After: a number of seconds, or an HTTP date. D-019: it may be left out."""
    if value.strip().isascii() and value.strip().isdigit():
        return True
    try:
        return parsedate_to_datetime(value) is not None
    except (TypeError, ValueError, IndexError):
        return False


def operation_of(exchange: Exchange) -> str | None:
    return exchange.operation


def documented_errors(spec: Spec) -> dict[str, dict[int, set[str] | None]]:
    """operation -> status -> documented codes (None: any code, as for 429)."""
    found: dict[str, dict[int, set[str] | None]] = {}
    for op in spec.operations():
        statuses: dict[int, set[str] | None] = {}
        for status, response in (op.raw.get("responses") or {}).items():
            if not (str(status).isascii() and str(status).isdigit()) or int(status) < 400:
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
        found = error_body_deviation(documented[operation], operation, exchange)
        if found is not None:
            ctx.record(found)


def error_body_deviation(
    documented: dict[int, set[str] | None], operation: str, exchange: Exchange, rule: str = "ERR-BODY-SHAPE"
) -> Deviation | None:
    """What is wrong with an error answer of ``operation`` (its ``documented`` statuses and
    codes): no JSON body with a string code, an undocumented status or code; None if nothing."""
    body = exchange.json()
    if not isinstance(body, dict) or not isinstance(body.get("code"), str):
        return Deviation(
            f"a {exchange.status} from {operation} has no JSON body with a string code",
            rule,
            exchange,
            kind="error-body",
            expected="a JSON object with a string code",
            got=f"{exchange.status} {exchange.response_headers.get('content-type', 'no content type')}",
        )
    if exchange.status not in documented:
        return Deviation(
            f"{operation} answered {exchange.status}, which it does not document",
            rule,
            exchange,
            kind=f"undocumented-status:{exchange.status}",
            expected=", ".join(map(str, sorted(documented))),
        )
    codes = documented[exchange.status]
    if codes is not None and body["code"] not in codes:
        return Deviation(
            f"{operation} answered {exchange.status} with code {body['code']!r}; "
            f"documented: {', '.join(sorted(codes))}",
            rule,
            exchange,
            kind=f"undocumented-code:{exchange.status}",
            expected=f"{exchange.status} {' or '.join(sorted(codes))}",
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
                with ctx.step(f"{operation}:{expected}"):
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
                    retry_after = exchange.response_headers.get("retry-after")
                    if expected == 429 and retry_after is not None and not _usable_retry_after(retry_after):
                        raise Deviation(
                            f"429 with a Retry-After that is neither seconds nor an HTTP date: {retry_after!r}",
                            "ERR-BODY-SHAPE",
                            exchange,
                            kind="retry-after",
                            expected="delay-seconds or an HTTP-date (RFC 9110, 10.2.3)",
                            got=retry_after,
                        )
    finally:
        control.clear_faults()
