"""Guest-list paging: limit honoured, no overlap, every guest once, a token exactly when more
follow, forged tokens refused; and every page matches the description."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from .context import CheckContext, Deviation
from .findings import WARNING
from .registry import check
from .schema_judging import attribution as schema_attribution
from .schema_judging import response_deviations
from .target import Exchange

MAX_PAGES = 40
GUESTS = "getVoucherProgramGuestInfo"


#: Fields a guest record may carry that belong to its page, not to the guest (D-012: a server may
#: repeat the page's next_token in each guest).
PAGE_FIELDS = frozenset({"next_token"})


def _key(guest: dict[str, Any]) -> str:
    """What tells two guests apart: the whole record (codes and vouchers are unique per guest),
    without the fields of the page it came on."""
    return json.dumps({k: v for k, v in guest.items() if k not in PAGE_FIELDS}, sort_keys=True)


class LimitRefused(Exception):
    """The target refuses this limit (a cap it may have) and serves a page of 1."""


def _walk(ctx: CheckContext, program: str, limit: int) -> tuple[list[list[dict[str, Any]]], bool, list[Exchange]]:
    pages: list[list[dict[str, Any]]] = []
    exchanges: list[Exchange] = []
    token: str | None = None
    while len(pages) < MAX_PAGES:
        params: dict[str, Any] = {"limit": limit}
        if token is not None:
            params["page_token"] = token
        exchange = ctx.guests(program, params=params)
        exchanges.append(exchange)
        if not pages and exchange.status == 400 and limit > 1:
            # No maximum is documented and 400 is (D-013): a server may cap limit and refuse
            # more. It must still serve the smallest page.
            ctx.expect_success(ctx.guests(program, params={"limit": 1}), "GST-LIMIT-HONOURED", (200,))
            raise LimitRefused
        ctx.expect_success(exchange, "GST-LIMIT-HONOURED", (200,))
        body = exchange.json() or {}
        pages.append(list(body.get("guests") or []))
        token = body.get("next_token") or None
        if token is None:
            return pages, True, exchanges
    return pages, False, exchanges


@check(
    "paging",
    "pages",
    "pages honour limit, never overlap, list every guest once, and carry a token exactly when more follow",
    rules=("GST-LIMIT-HONOURED", "GST-NEXT-TOKEN-WHEN-MORE", "GST-PAGES-COMPLETE"),
)
def pages(ctx: CheckContext) -> None:
    program = ctx.fixture("program_with_many_guests")
    complete: set[str] | None = None

    def walk(limit: int) -> None:
        nonlocal complete
        try:
            found, finished, exchanges = _walk(ctx, program, limit)
        except LimitRefused:
            return
        oversized = next(((page, e) for page, e in zip(found, exchanges, strict=True) if len(page) > limit), None)
        if oversized is not None:
            ctx.record(
                Deviation(
                    f"limit={limit} but the page holds {len(oversized[0])} guests",
                    "GST-LIMIT-HONOURED",
                    oversized[1],
                    kind="page-too-long",
                    expected=f"at most {limit} guests",
                    got=f"{len(oversized[0])} guests",
                )
            )
        for index in range(len(found) - 1):
            # 002 states only that a token comes when more guests follow; a token on an exactly
            # full last page, answered by an empty page, is allowed. A token after a short page
            # with nothing behind it is what the documents imply a server does not do.
            if not found[index + 1] and len(found[index]) < limit:
                ctx.record(
                    Deviation(
                        f"a page of {len(found[index])} guests (limit={limit}) carried next_token, and the next "
                        "page is empty",
                        "GST-NEXT-TOKEN-WHEN-MORE",
                        exchanges[index + 1],
                        kind="token-without-more",
                        severity=WARNING,
                    )
                )
        keys = [_key(g) for page in found for g in page]
        if len(keys) != len(set(keys)):
            ctx.record(
                Deviation(
                    f"with limit={limit} a guest appears on two pages",
                    "GST-PAGES-COMPLETE",
                    exchanges[-1],
                    kind="overlap",
                )
            )
        if finished:
            if len(found) == 1 and len(found[0]) > limit:
                ctx.record(
                    Deviation(
                        "more guests than limit and no next_token",
                        "GST-NEXT-TOKEN-WHEN-MORE",
                        exchanges[-1],
                        kind="no-token",
                    )
                )
            if complete is None:
                complete = set(keys)
            elif set(keys) != complete:
                ctx.record(
                    Deviation(
                        f"with limit={limit} the pages list other guests than with another limit",
                        "GST-PAGES-COMPLETE",
                        exchanges[-1],
                        kind="incomplete",
                    )
                )

    ctx.explore(st.integers(min_value=1, max_value=120), walk)


@check(
    "paging",
    "forged-tokens",
    "a page_token the server did not issue is refused",
    rules=("GST-PAGE-TOKEN-VALID",),
)
def forged_tokens(ctx: CheckContext) -> None:
    program = ctx.fixture("program_with_many_guests")
    real = (ctx.guests(program, params={"limit": 1}).json() or {}).get("next_token")
    fixed = {f"token:{token}": token for token in ("eyJvZmZzZXQiOjEwfQ", "0", "-1", "null")}
    if isinstance(real, str) and real:
        fixed["token:a real one, one character off"] = real[:-1] + ("A" if real[-1] != "A" else "B")
    forged = st.text(
        alphabet=st.characters(codec="ascii", categories=("Lu", "Ll", "Nd")),
        min_size=8,
        max_size=40,
    ) | st.sampled_from(list(fixed.values()))
    ctx.explore(
        forged,
        lambda token: ctx.expect_refused(ctx.guests(program, params={"page_token": token}), "GST-PAGE-TOKEN-VALID"),
        edges=fixed,  # a real token one character off, and plausible hand-made ones, in every run
    )


@check(
    "paging",
    "limit-positive",
    "a limit below 1: refused or defaulted, both allowed (lenient)",
    rules=("GST-LIMIT-POSITIVE",),
)
def limit_positive(ctx: CheckContext) -> None:
    program = ctx.fixture("program_with_many_guests")
    ctx.explore(
        st.integers(min_value=-1000, max_value=0),
        lambda v: ctx.expect_refused(ctx.guests(program, params={"limit": v}), "GST-LIMIT-POSITIVE"),
        examples=3,
    )


@check(
    "paging",
    "page-shapes",
    "every guest page matches the description; canceled_at only on canceled vouchers",
    rules=(
        "GST-VOUCHER-STATUS-ENUM",
        "GST-CANCELED-AT-ONLY-CANCELED",
        "GST-VOUCHER-EMPTY-UNTIL-CLAIMED",
        "RSP-SCHEMA",
    ),
)
def page_shapes(ctx: CheckContext) -> None:
    schema = (
        ctx.spec.operation("getVoucherProgramGuestInfo").pointer + "/responses/200/content/application~1json/schema"
    )
    attribution = schema_attribution(ctx)
    kinds = (
        "program_started_multi_code",
        "program_with_many_guests",
        "program_canceled",
        "program_started_single_code",
    )
    seen = [
        e
        for e in ctx.target.exchanges
        if e.method == "GET" and e.url.split("?")[0].endswith("/guests") and e.status == 200
    ]
    for kind in kinds:
        program = ctx.target.profile.fixture(kind)
        if program:
            seen.append(ctx.guests(program, params={"limit": 50}))
    for exchange in seen:
        body = exchange.json()
        for deviation in response_deviations(attribution, schema, exchange, GUESTS):
            ctx.record(deviation)
        for index, guest in enumerate((body or {}).get("guests") or []):
            voucher = guest.get("voucher") or {}
            if voucher.get("canceled_at") and voucher.get("voucher_status") != "VOUCHER_CANCELED":
                ctx.record(
                    Deviation(
                        "canceled_at is set on a voucher that is not canceled",
                        "GST-CANCELED-AT-ONLY-CANCELED",
                        exchange,
                        kind="canceled-at",
                        field=f"guests[{index}].voucher.canceled_at",
                        got=str(voucher.get("canceled_at")),
                        expected="absent or 0 unless VOUCHER_CANCELED",
                    )
                )
