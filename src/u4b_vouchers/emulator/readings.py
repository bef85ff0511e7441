"""Readings: the choices the vendor's documents leave to a server, each a named switch.

The emulator is a family of correct servers. Where the documents allow more than one
behaviour, each allowed behaviour is a value of a reading, and the default values are the
emulator's historical choices. Two kinds:

- **rule outcomes**, one per ``x-u4b-rules`` rule whose ``violation`` lists several outcomes:
  the reading is named after the rule and takes one of those outcomes (``403:unauthorized``),
  or ``accept`` where a success is allowed;
- **behaviours**, listed in :data:`BEHAVIOURS`, each from a decision of ``DECISIONS.md``.

Every decision of the log either has a reading here or is in :data:`SETTLED` with the reason
no correct server could differ (``tests/emulator/test_readings.py`` keeps that complete).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..spec import Outcome, Rule, Spec, parse_rules

ACCEPT = "accept"
#: The value of a rule reading that answers 404 where the operation documents 404 and the
#: first other refusal elsewhere (AUTH-ORGANIZATION-ISOLATION's historical behaviour).
HIDE_AS_404 = "hide-as-404"


#: Rule readings whose historical default is not the rule's first outcome.
RULE_DEFAULTS = {
    "AUTH-ORGANIZATION-ISOLATION": HIDE_AS_404,
    "AUTH-CREATE-CLIENT-CREDENTIALS-ONLY": "403:user_not_allowed",
}


class ReadingError(ValueError):
    """An unknown reading or a value it does not take (one line)."""


@dataclass(frozen=True)
class Reading:
    name: str
    summary: str
    values: tuple[str, ...]
    default: str
    decisions: tuple[str, ...]
    rule: str | None = None
    #: A reading whose values are whole numbers (``values`` then lists the special words).
    numeric: bool = False

    def check(self, value: str) -> str:
        if value in self.values or (self.numeric and value.isascii() and value.isdigit() and int(value) > 0):
            return value
        allowed = ", ".join(self.values) + (", or a whole number above 0" if self.numeric else "")
        raise ReadingError(f"reading {self.name} takes {allowed}; got {value!r}")


def _behaviour(name: str, summary: str, values: str, decisions: str, *, numeric: bool = False) -> Reading:
    words = tuple(values.split())
    return Reading(name, summary, words, words[0], tuple(decisions.split()), numeric=numeric)


BEHAVIOURS: tuple[Reading, ...] = (
    _behaviour("page-size-default", "guests per page when limit is absent", "100", "D-013", numeric=True),
    _behaviour("page-size-cap", "the largest page served (none: no cap)", "1000 none", "D-013 D-056", numeric=True),
    _behaviour(
        "page-size-above-cap", "a limit above the cap: served capped, or refused (400)", "clamp refuse", "D-013"
    ),
    _behaviour(
        "page-tokens",
        "page tokens: signed (only tokens this server issued), or plain positions any client can read",
        "signed plain",
        "D-013",
    ),
    _behaviour(
        "next-token-on-full-last-page",
        "whether an exactly full last page still carries a next_token (002 states only the 'if')",
        "no yes",
        "D-012",
    ),
    _behaviour("next-token-in-guests", "whether each guest also repeats the page's next_token", "no yes", "D-012"),
    _behaviour("empty-guest-list", "an empty page: guests as [], or left out", "array omitted", "D-011"),
    _behaviour(
        "unclaimed-voucher",
        "an unclaimed (sent or scheduled) voucher: shown as stored, as {}, or left out",
        "shown empty omitted",
        "D-014",
    ),
    _behaviour(
        "canceled-at-when-live", "canceled_at of a voucher not canceled: left out, or 0", "omitted zero", "D-015"
    ),
    _behaviour("usage-amount", "usage_amount as a number or a decimal string", "number string", "D-010"),
    _behaviour("code-ids", "code_id and voucher_id: UUIDs, or opaque strings", "uuid opaque", "D-007"),
    _behaviour("error-message", "error bodies: code and message, or the code alone", "included omitted", "D-017"),
    _behaviour(
        "retry-after",
        "429's Retry-After header: seconds, an HTTP date, or left out",
        "seconds http-date omitted",
        "D-019",
    ),
    _behaviour("generate-response", "Generate Voucher Codes' 200: no body, or a JSON object", "empty json", "D-003"),
    _behaviour("created-owner-type", "the create response's owner_type: echoed, or as words", "echoed words", "D-021"),
    _behaviour("created-memo", "the create response's memo: echoed, or left out", "echoed omitted", "D-022"),
    _behaviour(
        "created-times",
        "the create response's starts_at/ends_at: milliseconds, or strings",
        "milliseconds string",
        "D-023",
    ),
    _behaviour(
        "response-extras", "JSON objects answered carry only documented fields, or an extra one", "none added", "D-060"
    ),
    _behaviour(
        "empty-update-body",
        "an update with an empty or null body, or JSON under another content type: refused, or nothing",
        "refused nothing",
        "D-061",
    ),
    _behaviour(
        "null-fields", "null in an optional request field: refused (400), or taken as absent", "refused absent", "D-059"
    ),
    _behaviour(
        "mobile-number",
        "Create's mobile_number: E.164 only, or any string (the example is a placeholder)",
        "e164 any",
        "D-006",
    ),
    _behaviour(
        "display-timezone",
        "Create's display_timezone: a tz database name, or any string (001 gives an eg: only)",
        "tz-database any",
        "D-043",
    ),
    _behaviour(
        "increase-only-equal",
        "the same value for a 'can only be increased' field: accepted, or refused",
        "accepted refused",
        "D-032",
    ),
    _behaviour(
        "time-windows",
        "create's time windows: exact, or wider or narrower by just under each rule's tolerance",
        "exact lenient strict",
        "D-031",
    ),
    _behaviour(
        "error-precedence",
        "an unknown program and a bad body: 400 first (body, then existence), or 404 first",
        "body-first existence-first",
        "D-054",
    ),
)

#: Decisions that leave a correct server no choice (or concern only this project's tooling).
SETTLED: dict[str, str] = {
    "D-001": "how sources are cited; no server behaviour",
    "D-002": "the table types number_of_codes as int; a string breaks GEN-COUNT-INTEGER",
    "D-008": "operation names; no server behaviour",
    "D-009": "the example's trailing commas; no server behaviour",
    "D-016": "Accept-Language is optional and has no effect the documents describe",
    "D-018": "409 code_generation_in_progress is the one documented outcome",
    "D-020": "campaign_uuid is the program id the other operations take",
    "D-024": "the vendor's own example sends an undocumented field, so it must be accepted",
    "D-025": "only address is mandatory in a location",
    "D-026": "a partial update leaves absent fields as they are; the defaults are for a program without them",
    "D-027": "the table says milliseconds",
    "D-028": "one field name; the others are slips in prose",
    "D-029": "the four trip-restriction rules are stated per value",
    "D-030": "400 invalid_request is the only documented status for an invalid request",
    "D-033": "started, completed and canceled as the pages use them",
    "D-039": "the authorization URL; no behaviour of the four operations",
    "D-040": "a description flag",
    "D-041": "003's example shows 204 No Content",
    "D-042": "001 requires the template's name and program",
    "D-044": "each operation's own field names",
    "D-045": "shell typos in examples; no server behaviour",
    "D-046": "items are enumerated, duplicates allowed, an empty list clears",
    "D-047": "amounts are plain numbers",
    "D-048": "no rule ties owner_type to owner_uuid",
    "D-049": "single-code programs get no more codes: 400 invalid_request",
    "D-050": "every field is optional, so {} is valid",
    "D-051": "the response table lists what the response carries",
    "D-052": "either contact, or both",
    "D-053": "updates have no time window",
    "D-055": "the new program's contents are the emulator's; the documents state only the response",
    "D-057": "how the contract suites configure Schemathesis",
    "D-058": "how the contract suites stay precise",
    "D-062": "how each rule's basis was chosen; what a gate makes of a server, not what it does",
}


#: Behaviour values that stop enforcing a rule the default reading enforces.
RELAXES: dict[tuple[str, str], str] = {
    ("mobile-number", "any"): "CRT-MOBILE-FORMAT",
    ("display-timezone", "any"): "CRT-DISPLAY-TIMEZONE-IANA",
}


def outcome_value(outcome: Outcome) -> str:
    """A rule outcome as a reading value: ``400:invalid_request``, or ``accept`` for 2XX."""
    if isinstance(outcome.status, str) and outcome.status.startswith("2"):
        return ACCEPT
    return f"{outcome.status}:{outcome.code}" if outcome.code else str(outcome.status)


def rule_reading(rule: Rule) -> Reading | None:
    """The reading of a rule whose violation lists more than one outcome, else None."""
    values = tuple(dict.fromkeys(outcome_value(o) for o in rule.violation))
    if len(values) < 2:
        return None
    if rule.id == "AUTH-ORGANIZATION-ISOLATION":
        values = (HIDE_AS_404, *values)
    default = RULE_DEFAULTS.get(rule.id) or next((v for v in values if v != ACCEPT), values[0])
    return Reading(rule.id, f"the outcome of breaking {rule.id}", values, default, rule.decisions, rule=rule.id)


def catalogue(rules: Iterable[Rule]) -> dict[str, Reading]:
    """Every reading: the behaviours, then one per rule with several outcomes."""
    found = {reading.name: reading for reading in BEHAVIOURS}
    for rule in rules:
        reading = rule_reading(rule)
        if reading is not None:
            found[reading.name] = reading
    return found


def known_readings(spec: Spec) -> dict[str, Reading]:
    """Every reading of an emulator of ``spec``."""
    return catalogue(parse_rules(spec.data))


class Readings:
    """The values in force: the defaults, changed by ``chosen`` (name → value)."""

    def __init__(self, known: Mapping[str, Reading], chosen: Mapping[str, str] | None = None):
        self.known = dict(known)
        values = {name: reading.default for name, reading in self.known.items()}
        for name, value in (chosen or {}).items():
            reading = self.known.get(name)
            if reading is None:
                raise ReadingError(f"unknown reading {name!r} (serve --list-readings lists them)")
            values[name] = reading.check(str(value))
        self._values = values

    def __getitem__(self, name: str) -> str:
        return self._values[name]

    def number(self, name: str) -> int | None:
        """A numeric reading's value, or None for its word (``none``)."""
        value = self._values[name]
        return int(value) if value.isascii() and value.isdigit() else None

    def is_(self, name: str, value: str) -> bool:
        return self._values[name] == value

    def relaxed(self) -> frozenset[str]:
        """Rule ids the readings in force do not enforce."""
        return frozenset(rule for (name, value), rule in RELAXES.items() if self._values.get(name) == value)

    def changed(self) -> dict[str, str]:
        """The readings whose value is not the default."""
        return {n: v for n, v in self._values.items() if v != self.known[n].default}

    def as_dict(self) -> dict[str, str]:
        return dict(self._values)

    def with_changes(self, chosen: Mapping[str, str]) -> Readings:
        return Readings(self.known, {**self.changed(), **chosen})


def parse_assignments(items: Iterable[str], known: Mapping[str, Reading]) -> dict[str, str]:
    """``NAME[=VALUE]`` items (a bare NAME picks the reading's first value that is not its
    default) as a mapping."""
    chosen: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        reading = known.get(name)
        if reading is None:
            raise ReadingError(f"unknown reading {name!r} (serve --list-readings lists them)")
        if not sep:
            others = [v for v in reading.values if v != reading.default]
            if not others:
                raise ReadingError(f"reading {name} needs a value ({name}=N)")
            value = others[0]
        chosen[name] = reading.check(value)
    return chosen
