"""Drift: fault flags that make the emulator deviate from the documents, one way each.

A real API drifts: a wrong status, a renamed code, an ignored rule, broken paging, leaked data.
Each flag here is such a deviation, and the contract suites must catch every one at the rule
named by ``expected``. A flag is made of two things only:

- ``ignores``: documented rules it stops enforcing (exactly as a rule disabled through the
  control plane);
- ``hooks``: named transforms the request pipeline applies at fixed points (see
  :class:`Drift`), or, for ``schema``, a change to the request schemas the vendor validates
  against; no other module looks at flags.

Each flag also says how grave its drift is (``severity``): a ``failure`` breaks what the
documents state; a ``warning`` takes the permissive side of a rule the documents imply but do
not state (an example's format, a grant left out of a page, a 204 shown only in an example).

The :class:`Drift` in force belongs to the :class:`~.core.Emulator`, which replaces it whole
when the flags change; the store never sees it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any
from urllib.parse import unquote

from .catalogue import INVALID_REQUEST, PROGRAM_NOT_FOUND, ApiError
from .responses import Reply

GENERATE = "generateVoucherCodes"
CREATE = "createIndividualVoucherProgram"
GUESTS = "getVoucherProgramGuestInfo"
UPDATE = "updateVoucherProgram"

ErrorHook = Callable[[ApiError], ApiError]
ReplyHook = Callable[[str, Reply], Reply]
IntHook = Callable[[int], int]
SchemaHook = Callable[[Any], Any]

FAILURE = "failure"
WARNING = "warning"
SEVERITIES = (FAILURE, WARNING)
#: One step past a decimal bound (no decimal request field has one yet; amounts are dollars).
DECIMAL_STEP = 0.01
#: The page size ``limit-ignored`` serves: every guest there is.
EVERY_GUEST = 2**62


@dataclass(frozen=True)
class FaultFlag:
    description: str
    #: The rule the contract suites must report as broken.
    expected: str
    ignores: tuple[str, ...] = ()
    #: Hook name → transform (names and signatures: the properties of :class:`Drift`).
    hooks: Mapping[str, Any] = field(default_factory=dict)
    #: The severity the contract gate must report this drift at: ``failure`` (the documents
    #: state the rule) or ``warning`` (they imply it, and the flag takes the permissive side).
    severity: str = FAILURE

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {', '.join(SEVERITIES)}, got {self.severity!r}")


def _ignore(rule: str, description: str, *also: str, severity: str = FAILURE) -> FaultFlag:
    return FaultFlag(description, rule, (rule, *also), severity=severity)


def _hook(expected: str, description: str, *, severity: str = FAILURE, **hooks: Any) -> FaultFlag:
    return FaultFlag(description, expected, hooks=MappingProxyType(hooks), severity=severity)


# ------------------------------------------------------------------ the transforms


def _status(old: int, new: int) -> ErrorHook:
    return lambda error: error.replace(status=new) if error.status == old else error


def _invalid_request(**changes: Any) -> ErrorHook:
    return lambda error: error.replace(**changes) if error.code == INVALID_REQUEST[1] else error


def _not_found_as_400(error: ApiError) -> ApiError:
    status, code = INVALID_REQUEST
    return error.replace(status=status, code=code) if error.status == PROGRAM_NOT_FOUND[0] else error


def _without_code(error: ApiError) -> ApiError:
    return error.replace(code="")


def _bad_retry_after(operation: str, reply: Reply) -> Reply:
    """429 says when to retry in words: neither seconds nor an HTTP date (RFC 9110, 10.2.3)."""
    if reply.status != 429:
        return reply
    headers = {k: v for k, v in reply.headers.items() if k.lower() != "retry-after"}
    return reply.with_headers({**headers, "Retry-After": "soon"})


UPDATED_BODY = {"message": "Voucher program updated"}


def _update_answers_200(operation: str, reply: Reply) -> Reply:
    if operation == UPDATE and reply.status == 204:
        return Reply(200, dict(UPDATED_BODY), headers=dict(reply.headers), rule=reply.rule)
    return reply


def _server_error_as_text(operation: str, reply: Reply) -> Reply:
    return Reply(500, text="Internal Server Error") if reply.status == 500 else reply


HTML_500 = "<html><body><h1>500 Internal Server Error</h1></body></html>"


def _html_500_when(matches: Callable[[str, Reply], bool]) -> ReplyHook:
    def transform(operation: str, reply: Reply) -> Reply:
        return Reply(500, text=HTML_500, media_type="text/html") if matches(operation, reply) else reply

    return transform


def _widen_bounds(node: Any) -> Any:
    """Every ``minimum`` one lower and ``maximum`` one higher: the classic off-by-one."""
    if isinstance(node, dict):
        copy = {key: _widen_bounds(value) for key, value in node.items()}
        for key, step in (("minimum", -1), ("maximum", 1)):
            if isinstance(node.get(key), int | float) and not isinstance(node.get(key), bool):
                copy[key] = node[key] + step
        return copy
    return [_widen_bounds(item) for item in node] if isinstance(node, list) else node


def _enums_any_case(node: Any) -> Any:
    """Every string enum also takes its values in lower case."""
    if isinstance(node, dict):
        copy = {key: _enums_any_case(value) for key, value in node.items()}
        values = node.get("enum")
        if isinstance(values, list) and all(isinstance(v, str) for v in values):
            copy["enum"] = [*values, *(v.lower() for v in values if v.lower() not in values)]
        return copy
    return [_enums_any_case(item) for item in node] if isinstance(node, list) else node


def _at(pointer: str, change: Callable[[dict[str, Any]], dict[str, Any]]) -> SchemaHook:
    """A schema hook: the description with the schema at JSON ``pointer`` changed (only the
    objects on the way are copied; the rest is shared, and nothing is changed in place)."""
    keys = [unquote(part.replace("~1", "/").replace("~0", "~")) for part in pointer.lstrip("#/").split("/")]

    def transform(data: Any) -> Any:
        def rebuilt(node: Any, rest: list[str]) -> Any:
            if not rest:
                return change(node)
            if not isinstance(node, dict) or rest[0] not in node:
                raise KeyError(f"{pointer}: not in the description")
            return {**node, rest[0]: rebuilt(node[rest[0]], rest[1:])}

        return rebuilt(data, keys)

    return transform


def _edge(pointer: str, keyword: str) -> SchemaHook:
    """The bound ``keyword`` of the schema at ``pointer`` one step wider: one for an integer,
    :data:`DECIMAL_STEP` for a decimal; so the value just past the edge is accepted."""
    outwards = -1 if keyword in ("minimum", "exclusiveMinimum") else 1

    def widen(schema: dict[str, Any]) -> dict[str, Any]:
        bound = schema[keyword]
        step = 1 if schema.get("type") == "integer" else schema.get("multipleOf", DECIMAL_STEP)
        return {**schema, keyword: bound + outwards * step}

    return _at(pointer, widen)


def _near_misses(pointer: str, *siblings: str) -> SchemaHook:
    """The enum of the schema at ``pointer`` also takes its values in lower and in title case,
    and ``siblings``: values that look as if they belonged (a careless server's enum)."""

    def widen(schema: dict[str, Any]) -> dict[str, Any]:
        values = list(schema["enum"])
        extra = [v.lower() for v in values] + [v.title() for v in values] + list(siblings)
        return {**schema, "enum": list(dict.fromkeys([*values, *extra]))}

    return _at(pointer, widen)


def _edge_flag(expected: str, field_: str, side: str, pointer: str, *ignores: str) -> FaultFlag:
    keyword = "minimum" if side == "min" else "maximum"
    return FaultFlag(
        f"{field_} one past its {keyword} is accepted",
        expected,
        ignores,
        MappingProxyType({"schema": _edge(pointer, keyword)}),
    )


def _near_miss_flag(expected: str, field_: str, pointer: str, sibling: str) -> FaultFlag:
    return _hook(
        expected,
        f"{field_} also takes its values in lower and title case, and {sibling}",
        schema=_near_misses(pointer, sibling),
    )


def _guests(change: Callable[[dict[str, Any]], None]) -> ReplyHook:
    def transform(operation: str, reply: Reply) -> Reply:
        if operation == GUESTS and isinstance(reply.body, dict):
            for guest in reply.body.get("guests") or []:
                voucher = guest.get("voucher")
                if isinstance(voucher, dict):
                    change(voucher)
        return reply

    return transform


def _lowercase_status(voucher: dict[str, Any]) -> None:
    if "voucher_status" in voucher:
        voucher["voucher_status"] = str(voucher["voucher_status"]).lower()


def _canceled_at_on_live(voucher: dict[str, Any]) -> None:
    if voucher.get("voucher_status") and voucher.get("voucher_status") != "VOUCHER_CANCELED":
        voucher["canceled_at"] = 1_700_000_000_000


def _without_campaign(operation: str, reply: Reply) -> Reply:
    if operation == CREATE and isinstance(reply.body, dict):
        reply.body.pop("campaign_uuid", None)
    return reply


FAULT_FLAGS: dict[str, FaultFlag] = {
    # Accepted out-of-range or malformed values (schema rules ignored).
    "accept-percentage-out-of-range": _ignore(
        "UPD-PERCENT-RANGE", "value_per_trip_percentage outside [5, 99] is accepted"
    ),
    "accept-max-trips-over-999": _ignore("UPD-MAX-TRIPS-MAX", "value_per_period_max_trips above 999 is accepted"),
    "accept-small-radius": _ignore("UPD-LOCATION-RADIUS-MIN", "a location radius under 20 m is accepted"),
    "accept-unknown-vehicle": _ignore("UPD-VEHICLE-ENUM", "unknown vehicle categories are accepted"),
    "accept-count-over-30000": FaultFlag(
        "more than 30,000 codes in one request are accepted (none are generated)",
        "GEN-COUNT-MAX",
        ("GEN-COUNT-MAX", "GEN-TOTAL-CODES-MAX"),
        MappingProxyType({"discards": frozenset({GENERATE})}),
    ),
    "bounds-off-by-one": _hook(
        "UPD-PERCENT-RANGE",
        "every request bound is one wider: the value just past each edge is accepted",
        schema=_widen_bounds,
    ),
    "enums-ignore-case": _hook("UPD-RECURRENCE-ENUM", "enum values are accepted in lower case", schema=_enums_any_case),
    # One bound of one request field one step wider each (the bounded fields of the request
    # schemas; tests/emulator/test_fault_flags_behaviour.py keeps the list complete).
    "edge-number-of-codes-max": _edge_flag(
        "GEN-COUNT-MAX",
        "number_of_codes",
        "max",
        "/components/schemas/GenerateVoucherCodesRequest/properties/number_of_codes",
        # Else the program's 30,000-code quota refuses the same request; the documents allow
        # either outcome there (D-005), so this is no second deviation.
        "GEN-TOTAL-CODES-MAX",
    ),
    "edge-radius-min": _edge_flag(
        "UPD-LOCATION-RADIUS-MIN", "a location's radius", "min", "/components/schemas/Location/properties/radius"
    ),
    "edge-value-per-trip-percentage-min": _edge_flag(
        "UPD-PERCENT-RANGE",
        "value_per_trip_percentage",
        "min",
        "/components/schemas/UpdateVoucherProgramRequest/properties/value_per_trip_percentage",
    ),
    "edge-value-per-trip-percentage-max": _edge_flag(
        "UPD-PERCENT-RANGE",
        "value_per_trip_percentage",
        "max",
        "/components/schemas/UpdateVoucherProgramRequest/properties/value_per_trip_percentage",
    ),
    "edge-value-per-period-max-trips-max": _edge_flag(
        "UPD-MAX-TRIPS-MAX",
        "value_per_period_max_trips",
        "max",
        "/components/schemas/UpdateVoucherProgramRequest/properties/value_per_period_max_trips",
    ),
    # One request enum taking near misses each.
    "near-miss-owner-type": _near_miss_flag(
        "CRT-OWNER-TYPE-ENUM", "owner_type", "/components/schemas/OwnerType", "PERSONAL"
    ),
    "near-miss-trip-restriction-type": _near_miss_flag(
        "UPD-TRIP-RESTRICTION-ENUM", "trip_restriction_type", "/components/schemas/TripRestrictionType", "NONE"
    ),
    "near-miss-value-recurrence-period": _near_miss_flag(
        "UPD-RECURRENCE-ENUM", "value_recurrence_period", "/components/schemas/ValueRecurrencePeriod", "WEEKLY"
    ),
    "near-miss-vehicle-category-types": _near_miss_flag(
        "UPD-VEHICLE-ENUM", "each vehicle category", "/components/schemas/VehicleCategoryType", "COMFORT"
    ),
    "accept-nonpositive-count": _ignore(
        "GEN-COUNT-POSITIVE",
        "number_of_codes 0 or below is answered like a success (nothing is generated)",
        severity=WARNING,
    ),
    "accept-count-as-string": _ignore("GEN-COUNT-INTEGER", "number_of_codes given as a string is accepted"),
    "accept-create-without-contact": _ignore(
        "CRT-CONTACT-REQUIRED", "a create request without email or mobile number is accepted"
    ),
    "accept-bad-mobile": _ignore(
        # Only the request example shows the form (D-006; the reading mobile-number=any).
        "CRT-MOBILE-FORMAT",
        "mobile numbers without a country code are accepted",
        severity=WARNING,
    ),
    "accept-bad-time-zone": _ignore("UPD-TIMEZONE-IANA", "time zone names outside the tz database are accepted"),
    # Ignored conditional rules.
    "ignore-pickup-only-needs-pickups": _ignore(
        "UPD-TRIP-PICKUP-ONLY", "PICKUP_ONLY without pickup locations is accepted"
    ),
    "ignore-locations-need-type": _ignore(
        "UPD-LOCATIONS-NEED-TRIP-TYPE", "locations without a trip_restriction_type are accepted"
    ),
    # Ignored time, reference and state rules.
    "ignore-starts-too-early": _ignore("CRT-STARTS-NOT-TOO-EARLY", "a start more than 24 hours ago is accepted"),
    "ignore-ends-too-late": _ignore("CRT-ENDS-NOT-TOO-LATE", "an end more than a year ahead is accepted"),
    "ignore-ends-after-starts": _ignore("CRT-ENDS-AFTER-STARTS", "an end before the start is accepted on create"),
    "ignore-template-name": _ignore("CRT-NAME-MATCHES-TEMPLATE", "a name other than the template's is accepted"),
    "accept-inactive-template": _ignore("CRT-TEMPLATE-ACTIVE", "an inactive template is accepted"),
    "update-canceled-programs": _ignore("UPD-CANCELED-IMMUTABLE", "canceled programs can be updated"),
    "move-start-after-start": _ignore("UPD-STARTS-BEFORE-START-ONLY", "starts_at changes after the program started"),
    "lower-percentage-after-start": _ignore(
        "UPD-PERCENT-INCREASE-ONLY", "value_per_trip_percentage may drop after the start"
    ),
    "reduce-ends-after-start": _ignore("UPD-ENDS-NOT-REDUCED", "ends_at may move earlier after the start"),
    "set-absent-deductible": _ignore("UPD-DEDUCTIBLE-IF-PRESENT", "a deductible can be set on a program without one"),
    "redemptions-on-multi-code": _ignore(
        "UPD-REDEMPTIONS-SINGLE-CODE-ONLY", "redemptions_per_code changes on multi-code programs"
    ),
    "generate-on-single-code": _ignore("GEN-MULTI-CODE-ONLY", "single-code programs get more codes"),
    "ignore-generation-in-progress": _ignore("GEN-IN-PROGRESS", "no 409 while codes are being generated"),
    # Wrong statuses, codes and bodies.
    "invalid-request-as-422": _hook(
        "UPD-PERCENT-RANGE",
        "refusals of invalid requests answer 422 instead of 400",
        error=_invalid_request(status=422),
    ),
    "invalid-request-code-renamed": _hook(
        "UPD-PERCENT-RANGE",
        "400 bodies say bad_request instead of invalid_request",
        error=_invalid_request(code="bad_request"),
    ),
    "not-found-as-400": _hook(
        "ERR-PROGRAM-NOT-FOUND", "unknown programs get 400 invalid_request instead of 404", error=_not_found_as_400
    ),
    "error-body-without-code": _hook("ERR-BODY-SHAPE", "error bodies carry only a message", error=_without_code),
    "missing-token-as-403": _hook(
        "AUTH-TOKEN-REQUIRED", "requests without a token get 403 instead of 401", error=_status(401, 403)
    ),
    "rate-limit-bad-retry-after": _hook(
        "ERR-BODY-SHAPE",
        "429 responses carry a Retry-After that is neither seconds nor an HTTP date (soon)",
        reply=_bad_retry_after,
    ),
    "update-200-with-body": _hook(
        "UPD-SUCCESS-204",
        "a successful update answers 200 with a JSON body instead of 204 No Content",
        severity=WARNING,
        reply=_update_answers_200,
    ),
    "server-error-as-text": _hook("ERR-BODY-SHAPE", "500 responses are plain text", reply=_server_error_as_text),
    "malformed-json-as-html-500": _hook(
        "ERR-BODY-SHAPE",
        "a body that is not JSON gets a 500 HTML page instead of 400",
        reply=_html_500_when(lambda operation, reply: reply.cause == "malformed-json"),
    ),
    "garbage-page-token-500": _hook(
        "GST-PAGE-TOKEN-VALID",
        "a page token the server cannot read gets a 500 HTML page instead of 400",
        reply=_html_500_when(lambda operation, reply: reply.rule == "GST-PAGE-TOKEN-VALID"),
    ),
    # Access control.
    "no-token-required": _hook("AUTH-TOKEN-REQUIRED", "requests without a token are served", anonymous=True),
    "delegated-may-create": _ignore(
        "AUTH-CREATE-CLIENT-CREDENTIALS-ONLY", "delegated tokens may create individual programs"
    ),
    "scopes-not-checked": _ignore(
        "AUTH-NO-API-ACCESS", "tokens without the voucher scopes are served", "AUTH-CREATE-CLIENT-CREDENTIALS-ONLY"
    ),
    "unapproved-third-party-served": _ignore(
        "AUTH-THIRD-PARTY-NOT-AUTHORIZED", "third-party apps the organization did not authorize are served"
    ),
    "leak-other-organizations": _ignore("AUTH-ORGANIZATION-ISOLATION", "another organization's programs are served"),
    # Paging.
    "paging-ignores-limit": _hook(
        "GST-LIMIT-HONOURED", "pages hold one guest more than limit", page_size=lambda n: n + 1
    ),
    "limit-ignored": _hook(
        "GST-LIMIT-HONOURED",
        "limit (and the page-size cap) is ignored: every guest comes on one page, without next_token",
        page_size=lambda n: EVERY_GUEST,
        uncapped=True,
    ),
    "paging-overlaps": _hook(
        "GST-PAGES-COMPLETE", "each page repeats the previous page's last guest", position=lambda n: max(0, n - 1)
    ),
    "paging-skips-a-guest": _hook("GST-PAGES-COMPLETE", "each page skips one guest", next_position=lambda n: n + 1),
    # 002 states only that a token comes when more guests follow (D-012): a token after a short
    # last page is what its meaning excludes, so the gate warns.
    "paging-token-on-last-page": _hook(
        "GST-NEXT-TOKEN-WHEN-MORE",
        "the last page still carries a next_token",
        token_on_last_page=True,
        severity=WARNING,
    ),
    # GST-PAGE-TOKEN-VALID is implied (D-013): answering an unknown token is a warning.
    "paging-accepts-forged-tokens": _hook(
        "GST-PAGE-TOKEN-VALID", "unknown page tokens restart the list", refused_token_position=0, severity=WARNING
    ),
    # Responses and persistence.
    "voucher-status-lowercase": _hook(
        "GST-VOUCHER-STATUS-ENUM", "voucher statuses come back in lower case", reply=_guests(_lowercase_status)
    ),
    "canceled-at-on-live-vouchers": _hook(
        "GST-CANCELED-AT-ONLY-CANCELED",
        "canceled_at is set on vouchers that are not canceled",
        reply=_guests(_canceled_at_on_live),
    ),
    "create-response-without-campaign": _hook(
        "RSP-SCHEMA", "the create response lacks campaign_uuid", reply=_without_campaign
    ),
    "updates-not-kept": _hook(
        "UPD-MAX-AMOUNT-INCREASE-ONLY", "updates answer 204 but change nothing", discards=frozenset({UPDATE})
    ),
}


def _compose(functions: Iterable[Callable[..., Any]]) -> Callable[..., Any] | None:
    chain = list(functions)
    if not chain:
        return None

    def composed(*args: Any) -> Any:
        *context, value = args
        for function in chain:
            value = function(*context, value)
        return value

    return composed


class Drift:
    """The active flags, as the hooks the pipeline calls. ``Drift()`` is no drift at all."""

    def __init__(self, flags: Iterable[str] = ()):
        names = sorted(set(flags))
        unknown = [name for name in names if name not in FAULT_FLAGS]
        if unknown:
            raise KeyError(", ".join(unknown))
        self.flags = frozenset(names)
        chosen = [FAULT_FLAGS[name] for name in names]
        #: Documented rules not enforced.
        self.ignored = frozenset(rule for flag in chosen for rule in flag.ignores)

        def hooks(name: str) -> list[Any]:
            return [flag.hooks[name] for flag in chosen if name in flag.hooks]

        self._error = _compose(hooks("error"))
        self._reply = _compose(hooks("reply"))
        self._page_size = _compose(hooks("page_size"))
        self._position = _compose(hooks("position"))
        self._next_position = _compose(hooks("next_position"))
        schema = _compose(hooks("schema"))
        #: The request schemas as the drift reads them (the description's data in, a changed
        #: copy out), or None: the description's own.
        self.schema: Callable[[Any], Any] | None = schema
        #: Requests without a token are served (as :data:`~.auth.ANONYMOUS`).
        self.anonymous = any(hooks("anonymous"))
        #: The last page carries a next_token all the same.
        self.token_on_last_page = any(hooks("token_on_last_page"))
        #: The page size is served as asked, whatever cap the readings set.
        self.uncapped = any(hooks("uncapped"))
        positions = hooks("refused_token_position")
        #: Where a refused page token starts the list instead of a 400 (None: refused).
        self.refused_token_position: int | None = positions[0] if positions else None
        #: Operations whose changes are rolled back although they answer success.
        self.discards: frozenset[str] = frozenset().union(*hooks("discards"))

    def __bool__(self) -> bool:
        return bool(self.flags)

    def error(self, error: ApiError) -> ApiError:
        return self._error(error) if self._error else error

    def reply(self, operation: str, reply: Reply) -> Reply:
        return self._reply(operation, reply) if self._reply else reply

    def page_size(self, size: int) -> int:
        return int(self._page_size(size)) if self._page_size else size

    def position(self, after: int) -> int:
        return int(self._position(after)) if self._position else after

    def next_position(self, last: int) -> int:
        return int(self._next_position(last)) if self._next_position else last


__all__ = ["FAILURE", "FAULT_FLAGS", "SEVERITIES", "WARNING", "Drift", "FaultFlag"]
