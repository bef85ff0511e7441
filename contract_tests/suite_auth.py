"""The auth matrix (every identity x every operation), missing and invalid tokens, and
organization isolation."""

from __future__ import annotations

from u4b_vouchers.spec import ALL_OPERATIONS

from .context import CheckContext, Deviation, NotCovered
from .registry import check
from .target import Exchange

OPERATIONS = (
    "generateVoucherCodes",
    "createIndividualVoucherProgram",
    "getVoucherProgramGuestInfo",
    "updateVoucherProgram",
)
#: Profile identities and the identity words of x-u4b-rules.
IDENTITIES = {
    "first_party": "client-credentials",
    "delegated": "authorization-code",
    "no_voucher_scope": "no-voucher-scope",
    "third_party_authorized": "third-party-authorized",
    "third_party_unauthorized": "third-party-unauthorized",
}


#: The auth rules each identity's row of the matrix exercises.
MATRIX_RULES = {
    "first_party": ("AUTH-FIRST-PARTY-SCOPE",),
    "delegated": ("AUTH-DELEGATED-SCOPE", "AUTH-CREATE-CLIENT-CREDENTIALS-ONLY"),
    "no_voucher_scope": ("AUTH-NO-API-ACCESS",),
    "third_party_authorized": ("AUTH-AGGREGATOR-SCOPE",),
    "third_party_unauthorized": ("AUTH-THIRD-PARTY-NOT-AUTHORIZED",),
}


def call(
    ctx: CheckContext,
    operation: str,
    identity: str | None,
    *,
    authorization: str | None = None,
    org: str | None = None,
) -> Exchange:
    """A request a caller with access gets a success for."""
    kw = {"authorization": authorization, "org": org}
    if operation == "generateVoucherCodes":
        return ctx.generate(ctx.fixture("program_started_multi_code"), {"number_of_codes": 1}, identity, **kw)
    if operation == "createIndividualVoucherProgram":
        return ctx.create(ctx.valid_create(), identity, **kw)
    if operation == "getVoucherProgramGuestInfo":
        return ctx.guests(ctx.fixture("program_started_multi_code"), identity, {"limit": 2}, **kw)
    return ctx.update(
        ctx.fixture("program_not_started_multi_code"),
        {"expense_memo": "auth matrix"},
        identity,
        **kw,
    )


def _matrix_check(identity: str) -> None:
    word = IDENTITIES[identity]

    def run(ctx: CheckContext) -> None:
        ctx.identity(identity)
        for operation in OPERATIONS:
            rules = [
                r
                for r in ctx.rules.values()
                if r.kind == "auth" and r.applies_to(operation) and r.params.get("identity") == word
            ]
            if len(rules) != 1:
                raise NotCovered(f"x-u4b-rules give {len(rules)} outcomes for {identity} on {operation}")
            rule = rules[0]
            with ctx.step():
                exchange = call(ctx, operation, identity)
                if rule.params["outcome"] == "allowed":
                    ctx.expect_success(exchange, rule.id, (200, 204))
                else:
                    ctx.expect_refused(exchange, rule.id)

    rule_ids = MATRIX_RULES[identity]
    check(
        "auth",
        f"matrix-{identity.replace('_', '-')}",
        f"{identity} on every operation gets the documented outcome",
        rules=rule_ids,
    )(run)


for _identity in IDENTITIES:
    _matrix_check(_identity)


@check(
    "auth",
    "token-required",
    "no token, or one the server did not issue, gets 401 on every operation",
    rules=("AUTH-TOKEN-REQUIRED",),
)
def token_required(ctx: CheckContext) -> None:
    for operation in OPERATIONS:
        with ctx.step("no token"):
            ctx.expect_refused(call(ctx, operation, None), "AUTH-TOKEN-REQUIRED")
        with ctx.step("a token the server did not issue"):
            ctx.expect_refused(
                call(ctx, operation, None, authorization="Bearer not-a-token-this-server-issued"),
                "AUTH-TOKEN-REQUIRED",
            )


def _refusing(ctx: CheckContext, identity: str, operation: str | None) -> tuple[str, ...]:
    """The auth rules by which ``operation`` refuses ``identity`` whatever the organization."""
    word = IDENTITIES.get(identity)
    return tuple(
        r.id
        for r in ctx.rules.values()
        if operation is not None
        and r.kind == "auth"
        and r.params.get("identity") == word
        and r.params.get("outcome") == "rejected"
        and ALL_OPERATIONS not in r.operations
        and r.applies_to(operation)
    )


@check(
    "auth",
    "organization-isolation",
    "a token never reads or changes another organization's programs",
    rules=("AUTH-ORGANIZATION-ISOLATION",),
)
def isolation(ctx: CheckContext) -> None:
    foreign_org = ctx.target.profile.foreign_organization_id
    if not foreign_org:
        raise NotCovered("the profile names no foreign_organization_id")
    foreign_program = ctx.target.profile.fixture("foreign_program") or ctx.fixture("program_started_multi_code")
    own_program = ctx.fixture("program_started_multi_code")
    identities = [i for i in ("first_party", "delegated", "third_party_authorized") if ctx.target.has_identity(i)]
    for identity in identities:
        attempts = [
            ctx.guests(foreign_program, identity, {"limit": 5}, org=foreign_org),
            ctx.update(foreign_program, {"expense_memo": "not yours"}, identity, org=foreign_org),
            ctx.generate(foreign_program, {"number_of_codes": 1}, identity, org=foreign_org),
            ctx.create(ctx.valid_create(), identity, org=foreign_org),
        ]
        if ctx.target.profile.fixture("foreign_program"):
            # Another organization's program under one's own organization's path.
            attempts.append(ctx.guests(foreign_program, identity, {"limit": 5}))
        for exchange in attempts:
            # An identity the operation refuses anyway (a delegated token on Create) breaks two
            # rules at once, and the outcome of either is allowed.
            also = _refusing(ctx, identity, exchange.operation)
            with ctx.step(identity):
                if exchange.json() and "guests" in (exchange.json() or {}):
                    raise Deviation(
                        "another organization's guests were returned",
                        "AUTH-ORGANIZATION-ISOLATION",
                        exchange,
                        kind="leaked",
                    )
                ctx.expect_refused(exchange, "AUTH-ORGANIZATION-ISOLATION", *also)
    # And one's own program stays reachable: the refusals above are about the organization.
    ctx.expect_success(ctx.guests(own_program, "first_party", {"limit": 1}), "AUTH-ORGANIZATION-ISOLATION", (200,))
