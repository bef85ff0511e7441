"""Robustness: every operation, sent what no client should send, answers a documented error.

Malformed JSON, an empty body, a JSON value that is not an object, `null`, a wrong or missing
content type, garbage path and query values: each must get the operation's documented 400 (or
404 for an id that names nothing) with a JSON error body and a documented ``code``, never a 5xx,
an HTML page or an undocumented status; what a correct server may also accept is in D-061.
Every input is sent in every run, whatever the seed.
"""

from __future__ import annotations

from collections.abc import Callable

from .context import CheckContext, Deviation
from .registry import check
from .suite_errors import documented_errors, error_body_deviation
from .target import Exchange

GARBAGE_ID = "not-a-program-%00-" + "x" * 64
#: (what is sent, content bytes, content type, whether a correct server may take it as an
#: update that changes nothing: D-061). For the other operations such bodies lack required
#: fields anyway.
BAD_BODIES: tuple[tuple[str, bytes, str | None, bool], ...] = (
    ("malformed JSON", b'{"number_of_codes": ', "application/json", False),
    ("an empty body", b"", "application/json", True),
    ("a JSON array", b"[]", "application/json", False),
    ("a JSON string", b'"hello"', "application/json", False),
    ("a JSON number", b"5", "application/json", False),
    ("null", b"null", "application/json", True),
    ("text/plain", b'{"name": "x"}', "text/plain", True),
    ("no content type", b'{"name": "x"}', None, True),
)


def _judge(
    ctx: CheckContext,
    documented: dict[int, set[str] | None],
    operation: str,
    exchange: Exchange,
    sent: str,
    allowed: tuple[int, ...],
    rule: str = "ERR-BODY-SHAPE",
) -> None:
    """``exchange`` must have one of the ``allowed`` statuses (any success where a success is
    allowed: which one is the success-status rules' concern), and an error one a documented JSON
    error body (:func:`~.suite_errors.error_body_deviation`). A deviation is recorded, and the
    check goes on with its next probe."""
    success_allowed = any(200 <= status < 300 for status in allowed)
    if 200 <= exchange.status < 300 and success_allowed:
        return
    found: Deviation | None
    if exchange.status not in allowed:
        found = Deviation(
            f"expected {' or '.join(map(str, allowed))}, got {exchange.status}",
            rule,
            exchange,
            kind="accepted" if 200 <= exchange.status < 300 else f"status:{exchange.status // 100}xx",
            expected=" or ".join(map(str, allowed)),
        )
    else:
        found = error_body_deviation(documented, operation, exchange, rule)
    if found is not None:
        found.message = f"{operation} sent {sent}: {found.message}"
        found.probe = sent
        ctx.record(found)


def _bad_bodies(ctx: CheckContext, operation: str, send: Callable[[bytes, dict[str, str]], Exchange]) -> None:
    documented = documented_errors(ctx.spec)[operation]
    for sent, content, media_type, may_be_empty_update in BAD_BODIES:
        headers = {"Content-Type": media_type} if media_type else {}
        allowed = (204, 400) if may_be_empty_update and operation == "updateVoucherProgram" else (400,)
        _judge(ctx, documented, operation, send(content, headers), sent, allowed)


def _garbage_id(ctx: CheckContext, operation: str, exchange: Exchange) -> None:
    _judge(ctx, documented_errors(ctx.spec)[operation], operation, exchange, "an id that names nothing", (400, 404))


@check(
    "robustness",
    "generate",
    "Generate Voucher Codes answers malformed bodies and garbage ids with a documented 400 or 404",
    rules=("ERR-BODY-SHAPE",),
)
def generate(ctx: CheckContext) -> None:
    program = ctx.fixture("program_started_multi_code")
    path = f"{ctx.program_path(program)}/codes/generate"
    _bad_bodies(
        ctx,
        "generateVoucherCodes",
        lambda content, headers: ctx.target.request("POST", path, content=content, headers=headers),
    )
    _garbage_id(ctx, "generateVoucherCodes", ctx.generate(GARBAGE_ID, {"number_of_codes": 1}))


@check(
    "robustness",
    "create",
    "Create Individual Voucher Program answers malformed bodies with a documented 400",
    rules=("ERR-BODY-SHAPE",),
)
def create(ctx: CheckContext) -> None:
    path = f"/v1/organizations/{ctx.org}/individual_voucher_program/create"
    _bad_bodies(
        ctx,
        "createIndividualVoucherProgram",
        lambda content, headers: ctx.target.request("POST", path, content=content, headers=headers),
    )


@check(
    "robustness",
    "update",
    "Update Voucher Program answers malformed bodies and garbage ids with a documented 400 or 404",
    rules=("ERR-BODY-SHAPE",),
)
def update(ctx: CheckContext) -> None:
    program = ctx.fixture("program_not_started_multi_code")
    path = ctx.program_path(program)
    _bad_bodies(
        ctx,
        "updateVoucherProgram",
        lambda content, headers: ctx.target.request("PATCH", path, content=content, headers=headers),
    )
    _garbage_id(ctx, "updateVoucherProgram", ctx.update(GARBAGE_ID, {"name": "x"}))


@check(
    "robustness",
    "guests",
    "Get Voucher Program Guest Info answers garbage query values and ids with a documented 400 or 404",
    rules=("ERR-BODY-SHAPE", "GST-PAGE-TOKEN-VALID"),
)
def guests(ctx: CheckContext) -> None:
    program = ctx.fixture("program_with_many_guests")
    operation = "getVoucherProgramGuestInfo"
    documented = documented_errors(ctx.spec)[operation]
    for sent, params in (("limit=abc", {"limit": "abc"}), ("limit=1.5", {"limit": "1.5"})):
        _judge(ctx, documented, operation, ctx.guests(program, params=params), sent, (400,))
    # Whether a token the server cannot read is refused is GST-PAGE-TOKEN-VALID's own check
    # (paging/forged-tokens); here it must only get an answer, never a 5xx.
    for sent, params in (
        ("a 10 kB page_token", {"page_token": "A" * 10_240}),
        ("a page_token of punctuation", {"page_token": "%%%..//\\"}),
    ):
        exchange = ctx.guests(program, params=params)
        _judge(ctx, documented, operation, exchange, sent, (200, 400), rule="GST-PAGE-TOKEN-VALID")
    _garbage_id(ctx, operation, ctx.guests(GARBAGE_ID))
