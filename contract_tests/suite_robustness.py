"""Robustness: every operation, sent what no client should send, answers a documented error.

Malformed JSON, an empty body, a JSON value that is not an object, `null`, a wrong or missing
content type, garbage path and query values: each must get the operation's documented 400 (or
404 for an id that names nothing) with a JSON error body and a documented ``code``, never a 5xx,
an HTML page or an undocumented status. Every input is sent in every run, whatever the seed.
"""

from __future__ import annotations

from collections.abc import Callable

from .context import CheckContext, Deviation
from .registry import check
from .suite_errors import documented_errors
from .target import Exchange

GARBAGE_ID = "not-a-program-%00-" + "x" * 64
#: (what is sent, content bytes, content type, whether a correct server may take it as an
#: update that changes nothing). No document says an empty or ``null`` body, or a JSON body
#: under another content type, must be refused; for Update (every field optional, D-050) a
#: server may read them as ``{}``. For the other operations they lack required fields anyway.
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


def _judge(ctx: CheckContext, operation: str, exchange: Exchange, sent: str, allowed: tuple[int, ...]) -> None:
    documented = documented_errors(ctx.spec)[operation]
    if exchange.status < 300 and exchange.status in allowed:
        return
    body = exchange.json()
    if exchange.status not in allowed or not isinstance(body, dict) or not isinstance(body.get("code"), str):
        shape = "a JSON error body" if isinstance(body, dict) else "a body that is not JSON"
        raise Deviation(
            f"{operation} sent {sent}: expected {' or '.join(map(str, allowed))} with a JSON error body, "
            f"got {exchange.status} with {shape}",
            "ERR-BODY-SHAPE",
            exchange,
        )
    codes = documented.get(exchange.status)
    if codes is not None and body["code"] not in codes:
        raise Deviation(
            f"{operation} sent {sent}: {exchange.status} with code {body['code']!r}; documented: "
            f"{', '.join(sorted(codes))}",
            "ERR-BODY-SHAPE",
            exchange,
        )


def _bad_bodies(ctx: CheckContext, operation: str, send: Callable[[bytes, dict[str, str]], Exchange]) -> None:
    for sent, content, media_type, may_be_empty_update in BAD_BODIES:
        headers = {"Content-Type": media_type} if media_type else {}
        allowed = (204, 400) if may_be_empty_update and operation == "updateVoucherProgram" else (400,)
        _judge(ctx, operation, send(content, headers), sent, allowed)


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
    garbage = ctx.generate(GARBAGE_ID, {"number_of_codes": 1})
    _judge(ctx, "generateVoucherCodes", garbage, "an id that names nothing", (400, 404))


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
    garbage = ctx.update(GARBAGE_ID, {"name": "x"})
    _judge(ctx, "updateVoucherProgram", garbage, "an id that names nothing", (400, 404))


@check(
    "robustness",
    "guests",
    "Get Voucher Program Guest Info answers garbage query values and ids with a documented 400 or 404",
    rules=("ERR-BODY-SHAPE", "GST-PAGE-TOKEN-VALID"),
)
def guests(ctx: CheckContext) -> None:
    program = ctx.fixture("program_with_many_guests")
    operation = "getVoucherProgramGuestInfo"
    for sent, params in (
        ("limit=abc", {"limit": "abc"}),
        ("limit=1.5", {"limit": "1.5"}),
        ("a 10 kB page_token", {"page_token": "A" * 10_240}),
        ("a page_token of punctuation", {"page_token": "%%%..//\\"}),
    ):
        exchange = ctx.guests(program, params=params)
        if "page_token" in params and exchange.status >= 500:
            raise Deviation(
                f"{operation} sent {sent}: got {exchange.status}; GST-PAGE-TOKEN-VALID documents 400",
                "GST-PAGE-TOKEN-VALID",
                exchange,
            )
        _judge(ctx, operation, exchange, sent, (400,))
    _judge(ctx, operation, ctx.guests(GARBAGE_ID), "an id that names nothing", (400, 404))
