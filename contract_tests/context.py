"""What a check works with: the target, the spec's rules, fixtures, and ways to say what it saw."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

from u4b_vouchers.spec import Outcome, Rule, Spec

from .findings import FAILURE, MAX_PER_CHECK, WARNING, Finding, difference, has_status
from .target import ControlPlane, Exchange, Target

T = TypeVar("T")
DAY = 86_400_000
HOUR = 3_600_000


def _status(exchange: Exchange) -> str:
    return f"{exchange.status} {exchange.code}" if exchange.code else str(exchange.status)


class Deviation(Exception):
    """The target did something the documents do not allow (or, at ``warning``, something they
    imply it should not do). ``kind`` names the kind of deviation for the finding's fingerprint;
    ``severity`` is worked out from the rule when not given."""

    def __init__(
        self,
        message: str,
        rule: str | None = None,
        exchange: Exchange | None = None,
        *,
        kind: str = "deviation",
        expected: str = "",
        got: str = "",
        field: str | None = None,
        probe: str | None = None,
        severity: str | None = None,
    ):
        super().__init__(message)
        self.message, self.rule, self.exchange = message, rule, exchange
        self.kind, self.expected, self.got = kind, expected, got
        self.field, self.probe, self.severity = field, probe, severity


class NotCovered(Exception):
    """The check cannot run on this target (an identity, fixture or the control plane is missing)."""


def basis(rule: Rule | None) -> str:
    """``stated``, ``implied`` or ``open`` (openapi/extensions.md); stated for a rule not in the
    description (the generic schema rules a finding may fall back to)."""
    return rule.basis if rule is not None else "stated"


class CheckContext:
    def __init__(
        self,
        target: Target,
        spec: Spec,
        rules: dict[str, Rule],
        *,
        seed: int,
        max_examples: int,
        check: str = "",
    ):
        self.target = target
        self.spec = spec
        self.rules = rules
        self.seed = seed
        self.max_examples = max_examples
        self.check = check
        self.cases = 0
        #: Distinct findings by fingerprint, in the order first seen.
        self.findings: dict[str, Finding] = {}
        #: Distinct findings past :data:`MAX_PER_CHECK`, counted but not kept.
        self.omitted = 0
        #: Every deviation recorded, repeats included.
        self.recorded = 0
        #: The name of the fixed probe being run (an edge value), for fingerprints.
        self.probe: str | None = None
        #: The runner's live progress, told how far the check has got (see :meth:`progress`).
        self.on_progress: Callable[[], None] | None = None

    def progress(self) -> None:
        """Say how far the check has got (its :attr:`cases`, and the target's requests): the
        runner shows it while a long check runs. Every recorded request says it too; a suite
        that counts cases of its own calls this after each."""
        if self.on_progress is not None:
            self.on_progress()

    # -------------------------------------------------------------- findings

    def severity_of(self, deviation: Deviation) -> str:
        if deviation.severity is not None:
            return deviation.severity
        rule = self.rules.get(deviation.rule or "")
        if basis(rule) == "implied" and deviation.kind == "accepted":
            return WARNING
        return FAILURE

    def record(self, deviation: Deviation) -> Finding:
        """Keep ``deviation`` as a finding (once per fingerprint) and go on."""
        exchange = deviation.exchange
        finding = Finding(
            check=self.check,
            rule=deviation.rule or "ERR-BODY-SHAPE",
            severity=self.severity_of(deviation),
            kind=deviation.kind,
            message=deviation.message,
            expected=deviation.expected,
            got=deviation.got or (_status(exchange) if exchange is not None else ""),
            operation=exchange.operation if exchange is not None else None,
            method=exchange.method if exchange is not None else None,
            path=exchange.path_template if exchange is not None else None,
            status=exchange.status if exchange is not None else None,
            code=exchange.code if exchange is not None else None,
            field=deviation.field or _target_field(self.rules.get(deviation.rule or "")),
            probe=deviation.probe if deviation.probe is not None else self.probe,
            request_index=exchange.index if exchange is not None else None,
            seconds=exchange.seconds if exchange is not None else None,
            curl=exchange.curl() if exchange is not None else None,
        )
        self.recorded += 1
        known = self.findings.get(finding.fingerprint)
        if known is not None:
            self.findings[finding.fingerprint] = known.seen()
        elif len(self.findings) < MAX_PER_CHECK:
            self.findings[finding.fingerprint] = finding
        else:
            self.omitted += 1
        return finding

    @contextmanager
    def step(self, probe: str | None = None) -> Iterator[None]:
        """One independent part of a check: a deviation in it is recorded, and the check goes
        on with its next part."""
        before, self.probe = self.probe, probe if probe is not None else self.probe
        try:
            yield
        except Deviation as deviation:
            self.record(deviation)
        finally:
            self.probe = before

    # -------------------------------------------------------------- what the profile offers

    @property
    def org(self) -> str:
        return self.target.profile.organization_id

    def fixture(self, kind: str) -> str:
        value = self.target.profile.fixture(kind)
        if not value:
            raise NotCovered(f"the profile names no {kind} fixture")
        return value

    def identity(self, name: str) -> str:
        if not self.target.has_identity(name):
            raise NotCovered(self.target.profile.unavailable(name))
        return name

    @property
    def control(self) -> ControlPlane:
        if self.target.control is None:
            raise NotCovered("needs the emulator's control plane (the profile does not say emulator = true)")
        missing = self.target.profile.control_token_missing
        if missing:
            raise NotCovered(f"needs the emulator's control plane, whose token {missing} is not set")
        return self.target.control

    @staticmethod
    def now_ms() -> int:
        return time.time_ns() // 1_000_000

    # -------------------------------------------------------------- the four operations

    def program_path(self, program: str, org: str | None = None) -> str:
        return f"/v1/organizations/{org or self.org}/voucher-programs/{program}"

    def generate(self, program: str, body: Any, identity: str | None = "first_party", **kw: Any) -> Exchange:
        return self.target.request(
            "POST",
            f"{self.program_path(program, kw.pop('org', None))}/codes/generate",
            identity=identity,
            json_body=body,
            **kw,
        )

    def create(self, body: Any, identity: str | None = "first_party", **kw: Any) -> Exchange:
        org = kw.pop("org", None) or self.org
        return self.target.request(
            "POST",
            f"/v1/organizations/{org}/individual_voucher_program/create",
            identity=identity,
            json_body=body,
            **kw,
        )

    def guests(
        self,
        program: str,
        identity: str | None = "first_party",
        params: dict[str, Any] | None = None,
        **kw: Any,
    ) -> Exchange:
        return self.target.request(
            "GET",
            f"{self.program_path(program, kw.pop('org', None))}/guests",
            identity=identity,
            params=params,
            **kw,
        )

    def update(self, program: str, body: Any, identity: str | None = "first_party", **kw: Any) -> Exchange:
        return self.target.request(
            "PATCH",
            self.program_path(program, kw.pop("org", None)),
            identity=identity,
            json_body=body,
            **kw,
        )

    def valid_create(self, **changes: Any) -> dict[str, Any]:
        """A request the active template fixture accepts (NotCovered without one)."""
        now = self.now_ms()
        body: dict[str, Any] = {
            "template_uuid": self.fixture("template_active"),
            "program_uuid": self.fixture("template_active_program_uuid"),
            "owner_uuid": self.fixture("template_active_owner_uuid"),
            "owner_type": "ORGANIZATION",
            "name": self.fixture("template_active_name"),
            "display_name": "Contract Suite",
            "email_address": "contract-suite@example.com",
            "starts_at": now + HOUR,
            "ends_at": now + 30 * DAY,
        }
        body.update(changes)
        return {k: v for k, v in body.items() if v is not None}

    # -------------------------------------------------------------- judging

    def outcomes(self, rule_ids: Iterable[str]) -> list[Outcome]:
        return [o for rule_id in rule_ids for o in self.rules[rule_id].violation]

    def expect_refused(self, exchange: Exchange, *rule_ids: str) -> None:
        """The response must be one the documents allow for breaking any of ``rule_ids``."""
        allowed = self.outcomes(rule_ids)
        succeeded = 200 <= exchange.status < 300
        implied = [r for r in rule_ids if basis(self.rules.get(r)) == "implied"]
        if succeeded and implied:
            # The documents imply the refusal but state none: taking the permissive side is a
            # warning, whether or not the rule lists a success among its outcomes.
            shown = ", ".join(sorted({str(o) for o in allowed if not o.matches(exchange.status, None)}))
            raise Deviation(
                f"accepted a request that breaks {implied[0]} (implied, not stated): got {_status(exchange)}",
                implied[0],
                exchange,
                kind="accepted",
                expected=shown or "a refusal",
                severity=WARNING,
            )
        if any(o.matches(exchange.status, exchange.code) for o in allowed):
            return
        shown = ", ".join(sorted({str(o) for o in allowed}))
        if 200 <= exchange.status < 300:
            kind = "accepted"
        elif any(has_status(o, exchange.status) for o in allowed):
            kind = "code"  # the status is one the documents give; the code is not
        else:
            kind = "status"
        raise Deviation(
            f"a request breaking {' or '.join(rule_ids)} got {difference(allowed, exchange)}",
            rule_ids[0],
            exchange,
            kind=kind,
            expected=shown,
        )

    def expect_success(self, exchange: Exchange, rule_id: str, statuses: tuple[int, ...] = (200, 204)) -> None:
        if exchange.status not in statuses:
            raise Deviation(
                f"a valid request was refused: {difference([Outcome(s) for s in statuses], exchange)}",
                rule_id,
                exchange,
                kind="refused" if exchange.status >= 400 else "status",
                expected="/".join(map(str, statuses)),
            )

    def expect_status(self, exchange: Exchange, rule_id: str, status: int, code: str | None = None) -> None:
        want = Outcome(status, code)
        if not want.matches(exchange.status, exchange.code):
            raise Deviation(
                f"got {difference([want], exchange)}",
                rule_id,
                exchange,
                kind="code" if exchange.status == status else "status",
                expected=str(want),
            )

    # -------------------------------------------------------------- property-based checks

    def explore(
        self,
        strategy: st.SearchStrategy[T],
        test: Callable[[T], None],
        *,
        examples: int | None = None,
        edges: Sequence[T] | Mapping[str, T] = (),
    ) -> None:
        """Run ``test`` on ``edges`` (every run, whatever the seed and ``--max-examples``), then on
        generated values: seeded, no shrinking (each example costs requests). A deviation on one
        value is recorded and the next value is tried; an edge value names its probe (its repr,
        or its key when ``edges`` is a mapping of names to values that vary between targets).
        Once a drawn value has shown a deviation, the rest of the drawn values are not sent (they
        would show it again, under the same fingerprint); every edge still is."""
        named = dict(edges) if isinstance(edges, Mapping) else {f"edge:{value!r}"[:120]: value for value in edges}
        values = list(named.values())

        saturated = False

        @hypothesis_seed(self.seed)
        @settings(
            max_examples=examples or self.max_examples,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.reuse, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(strategy)
        def run(value: T) -> None:
            nonlocal saturated
            probe = next((name for name, edge in named.items() if _same(value, edge)), None)
            if probe is None and saturated:
                return  # a drawn value already showed the deviation drawn values show: spare the target
            self.cases += 1
            before = self.recorded
            with self.step(probe):
                test(value)
            self.progress()
            if probe is None and self.recorded > before:
                saturated = True

        for value in reversed(values):  # explicit examples run first, in the order given
            run = example(value)(run)
        run()


def _target_field(rule: Rule | None) -> str | None:
    """The field a rule constrains, as its ``target`` names it (``body.value_per_trip_percentage``)."""
    target = getattr(rule, "target", None)
    return str(target) if target and target != "body" else None


def _same(value: Any, edge: Any) -> bool:
    try:
        return type(value) is type(edge) and bool(value == edge)
    except Exception:  # values whose comparison fails are not edges
        return False
