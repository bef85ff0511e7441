"""The kinds of rule in ``x-u4b-rules``, in one registry that lint, diff and the suites read.

Each :class:`Kind` says which fields a rule of that kind carries (and which it must carry),
whether breaking it refuses a request, who enforces it, how a change to it ranks for ``diff``
(its ``tightening``) and how the contract suites probe it. A new kind is one entry here, its
``if``/``then`` in ``x-u4b-rules.schema.yaml``, its row in ``extensions.md`` (a test keeps the
three in step) and, when the emulator's rule book enforces it, an evaluator there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .durations import parse_duration
from .rules import COMMON_KEYS

RuleData = Mapping[str, Any]
#: ``tightening(base, revision)``: +1 tighter, -1 looser, 0 equal, None when it cannot be ranked.
Ranking = Callable[[RuleData, RuleData], int | None]

#: Who enforces a kind in the emulator: its schema validation, its OAuth layer, the guest
#: listing, or the rule book's evaluators of state and time (None: the rule is described only).
ENFORCERS = ("schema", "auth", "paging", "state")


@dataclass(frozen=True)
class Parameter:
    """A field a rule of some kind carries, beyond id, operations, kind, summary and source."""

    name: str
    description: str
    required: bool = False


@dataclass(frozen=True)
class Kind:
    """What the project knows about one kind of rule."""

    name: str
    summary: str
    params: tuple[Parameter, ...]
    #: Whether a rule of this kind refuses requests that break it (unless it is lenient).
    refuses: bool
    enforcer: str | None
    #: How the contract suites probe it (None: not observable through requests).
    probe: str | None
    #: Ranks a change to the kind's own parameters (those outside ``COMMON_KEYS``); every own
    #: parameter it does not rank must be equal for a rankable change.
    tightening: Ranking = field(repr=False)
    #: Groups of parameters of which a rule needs at least one (``minimum`` and/or ``maximum``).
    at_least_one_of: tuple[tuple[str, ...], ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params if p.required)

    @property
    def own(self) -> frozenset[str]:
        """The kind's own parameters: what :attr:`Rule.params` holds for a rule of this kind."""
        return frozenset(self.names) - COMMON_KEYS

    def missing(self, rule: RuleData) -> list[str]:
        """What a rule of this kind lacks: a parameter name, or ``a or b`` for a group."""
        lacks = [name for name in self.required if name not in rule]
        lacks += [" or ".join(group) for group in self.at_least_one_of if not any(n in rule for n in group)]
        return lacks


def combine_rankings(verdicts: Iterable[int | None]) -> int | None:
    """One verdict from several: None when any is None or they disagree, else their direction."""
    found = list(verdicts)
    if None in found or (1 in found and -1 in found):
        return None
    return 1 if 1 in found else -1 if -1 in found else 0


# ---------------------------------------------------------------- rankings


def _same(*keys: str) -> Ranking:
    """Unrankable unless ``keys`` are unchanged."""

    def tightening(base: RuleData, revision: RuleData) -> int | None:
        return 0 if all(base.get(k) == revision.get(k) for k in keys) else None

    return tightening


def _bound(key: str, sign: int, size: Callable[[Any], float] = float) -> Ranking:
    """A revision that raises ``key`` ranks ``sign`` (+1 for a lower bound); adding one tightens."""

    def tightening(base: RuleData, revision: RuleData) -> int | None:
        old, new = base.get(key), revision.get(key)
        if old == new:
            return 0
        if old is None or new is None:
            return 1 if new is not None else -1
        try:
            grown, shrunk = size(new) > size(old), size(new) < size(old)
        except (TypeError, ValueError):
            return None
        return sign if grown else -sign if shrunk else 0

    return tightening


def _days(duration: Any) -> float:
    return parse_duration(duration).days


def _states(key: str, sign: int = 1) -> Ranking:
    """More members rank ``sign`` (+1 when the list names where the rule refuses), fewer ``-sign``."""

    def tightening(base: RuleData, revision: RuleData) -> int | None:
        old, new = set(base.get(key) or []), set(revision.get(key) or [])
        if old == new:
            return 0
        return sign if new > old else -sign if new < old else None

    return tightening


def _equal(base: RuleData, revision: RuleData) -> int | None:
    """``equal: forbidden`` refuses an unchanged value: moving to it tightens, away loosens."""
    old, new = base.get("equal"), revision.get("equal")
    if old == new:
        return 0
    return 1 if new == "forbidden" else -1 if old == "forbidden" else None


def _all(*rankings: Ranking) -> Ranking:
    def tightening(base: RuleData, revision: RuleData) -> int | None:
        return combine_rankings(rank(base, revision) for rank in rankings)

    return tightening


# ---------------------------------------------------------------- the registry

_TARGET = Parameter("target", "the request location the rule constrains", required=True)
_VIOLATION = Parameter("violation", "outcomes a request that breaks the rule may get", required=True)
_POINTER = Parameter("pointer", "JSON pointer to the schema keyword or object", required=True)


def _kind(
    name: str,
    summary: str,
    *params: Parameter,
    refuses: bool = True,
    enforcer: str | None = "state",
    probe: str | None = None,
    tightening: Ranking | None = None,
    at_least_one_of: tuple[tuple[str, ...], ...] = (),
) -> Kind:
    own = sorted({p.name for p in params} - COMMON_KEYS)
    return Kind(name, summary, params, refuses, enforcer, probe, tightening or _same(*own), at_least_one_of)


_ALL_KINDS = (
    _kind(
        "schema",
        "expressed by the schema keyword at pointer",
        Parameter("target", "the request location, for reports"),
        _POINTER,
        _VIOLATION,
        enforcer="schema",
        probe="values that break the keyword alone: edge values bound ± 1, outside the enum, missing fields",
    ),
    _kind(
        "bound",
        "a bound the schema does not state, because the documents do not",
        _TARGET,
        Parameter("minimum", "the smallest accepted number"),
        Parameter("maximum", "the largest accepted number"),
        _VIOLATION,
        at_least_one_of=(("minimum", "maximum"),),
        probe="edge values bound ± 1",
        tightening=_all(_bound("minimum", 1), _bound("maximum", -1)),
    ),
    _kind(
        "time-window",
        "a timestamp within durations of the moment the request arrives",
        _TARGET,
        Parameter("not-before", "ISO 8601 duration from now to the earliest accepted instant (-PT24H)"),
        Parameter("not-after", "ISO 8601 duration from now to the latest accepted instant (P1Y)"),
        Parameter("tolerance", "ISO 8601 duration around each bound within which nothing is asserted", required=True),
        _VIOLATION,
        at_least_one_of=(("not-before", "not-after"),),
        probe="beyond tolerance on either side of each bound",
        # The tolerance only says where suites assert nothing: no request's outcome changes.
        tightening=_all(_bound("not-before", 1, _days), _bound("not-after", -1, _days)),
    ),
    _kind(
        "field-order",
        "target strictly later than another field",
        _TARGET,
        Parameter("after", "the field target must be later than", required=True),
        Parameter("scope", "request (the two request fields) or effective (request, else stored value)", required=True),
        _VIOLATION,
        probe="target equal to and before after",
    ),
    _kind(
        "format",
        "a format JSON Schema has no keyword for",
        _TARGET,
        Parameter("format", "iana-time-zone", required=True),
        _VIOLATION,
        probe="values outside the format (names missing from the tz database)",
    ),
    _kind(
        "default",
        "the value a program has when the field was never set",
        _TARGET,
        Parameter("default", "the value", required=True),
        refuses=False,
        enforcer=None,
    ),
    _kind(
        "reference",
        "the value names an existing entity, one in a state, or equals a property of it",
        _TARGET,
        Parameter("must-exist", "program or template"),
        Parameter("must-be", "active"),
        Parameter("must-equal", "template.name or template.program_uuid"),
        _VIOLATION,
        at_least_one_of=(("must-exist", "must-be", "must-equal"),),
        probe="an unknown, inactive or mismatching entity",
    ),
    _kind(
        "program-state",
        "sending target is refused while the program is in one of the states",
        _TARGET,
        Parameter("forbidden-when", "program states", required=True),
        _VIOLATION,
        probe="target sent to a fixture in a forbidden state, and to one in an allowed state",
        tightening=_states("forbidden-when"),
    ),
    _kind(
        "monotonic",
        "in the states, the value may move only in one direction",
        _TARGET,
        Parameter("when", "program states in which the rule holds", required=True),
        Parameter("direction", "increase or decrease: the way the value may move", required=True),
        Parameter("equal", "what an unchanged value gets: allowed, forbidden or unspecified", required=True),
        _VIOLATION,
        probe="move the value in its direction (kept), then one step back (refused)",
        # A changed direction refuses what was accepted and accepts what was refused: unrankable.
        tightening=_all(_states("when"), _equal, _same("direction")),
    ),
    _kind(
        "present-only",
        "the field may be sent only if the program already has a value for it",
        _TARGET,
        _VIOLATION,
        probe="the field sent to a program without a value for it",
    ),
    _kind(
        "code-scheme",
        "allowed only for programs of these code schemes",
        _TARGET,
        Parameter("code-schemes", "SINGLE_CODE_MULTI_REDEEM and/or MULTI_CODE_SINGLE_REDEEM", required=True),
        _VIOLATION,
        probe="a fixture of another code scheme",
        tightening=_states("code-schemes", sign=-1),  # fewer allowed schemes refuse more
    ),
    _kind(
        "quota",
        "a cumulative limit across requests",
        _TARGET,
        Parameter("limit", "the most the requests may add up to", required=True),
        Parameter("per", "what the limit is counted for (program)", required=True),
        _VIOLATION,
        probe="requests adding up to beyond the limit (needs the limit's worth of work)",
        tightening=_all(_bound("limit", -1), _same("per")),
    ),
    _kind(
        "conflict",
        "refused while the named background work runs",
        _TARGET,
        Parameter("while", "code-generation", required=True),
        _VIOLATION,
        probe="a second request while the work runs (emulator control plane)",
    ),
    _kind(
        "paging",
        "a paging invariant of a listing",
        _TARGET,
        Parameter(
            "property",
            "limit-honoured, token-if-more, complete-without-overlap or token-issued-by-server",
            required=True,
        ),
        Parameter("violation", "outcomes of a request that breaks it (for tokens the server did not issue)"),
        enforcer="paging",
        probe="walk every page at several limits; forge a token",
    ),
    _kind(
        "auth",
        "what a caller of this identity gets",
        Parameter("target", "the request location, for reports"),
        Parameter("identity", "none, client-credentials, authorization-code, third-party-..., ...", required=True),
        Parameter("scopes", "the scopes the identity's token carries"),
        Parameter("outcome", "allowed or rejected", required=True),
        Parameter("violation", "outcomes when rejected (required then)"),
        enforcer="auth",
        probe="every operation called as the identity (or with no or an invalid token)",
    ),
    _kind(
        "acceptance",
        "a documented permission: in these states the request is accepted",
        _TARGET,
        Parameter("states", "program states", required=True),
        Parameter("outcome", "allowed", required=True),
        refuses=False,
        enforcer=None,
        probe="the request sent to fixtures in the states is accepted",
    ),
    _kind(
        "response",
        "a rule about responses",
        _POINTER,
        refuses=False,
        enforcer=None,
        probe="responses validated against the schema at pointer",
    ),
    _kind(
        "behaviour",
        "documented behaviour traced for completeness",
        Parameter("target", "the request location, if any"),
        Parameter("pointer", "the schema it concerns, if any"),
        refuses=False,
        enforcer=None,
    ),
    _kind(
        "deprecation",
        "the operation is deprecated",
        _POINTER,
        refuses=False,
        enforcer=None,
    ),
)

#: Every kind, by name, in the order extensions.md lists them.
KINDS: Mapping[str, Kind] = {kind.name: kind for kind in _ALL_KINDS}
