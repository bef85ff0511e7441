"""What a check works with: the target, the spec's rules, fixtures, and ways to say what it saw."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

from u4b_vouchers.spec import Outcome, Rule, Spec

from .target import ControlPlane, Exchange, Target

T = TypeVar("T")
DAY = 86_400_000
HOUR = 3_600_000


def _status(exchange: Exchange) -> str:
    return f"{exchange.status} {exchange.code}" if exchange.code else str(exchange.status)


class Deviation(Exception):
    """The target did something the documents do not allow."""

    def __init__(self, message: str, rule: str | None = None, exchange: Exchange | None = None):
        super().__init__(message)
        self.message, self.rule, self.exchange = message, rule, exchange


class NotCovered(Exception):
    """The check cannot run on this target (an identity, fixture or the control plane is missing)."""


class CheckContext:
    def __init__(self, target: Target, spec: Spec, rules: dict[str, Rule], *, seed: int, max_examples: int):
        self.target = target
        self.spec = spec
        self.rules = rules
        self.seed = seed
        self.max_examples = max_examples
        self.cases = 0

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
            raise NotCovered(f"the profile has no usable {name} identity")
        return name

    @property
    def control(self) -> ControlPlane:
        if self.target.control is None:
            raise NotCovered("needs the emulator's control plane (the profile does not say emulator = true)")
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
        if any(o.matches(exchange.status, exchange.code) for o in allowed):
            return
        shown = ", ".join(sorted({str(o) for o in allowed}))
        raise Deviation(
            f"expected {shown} for breaking {' or '.join(rule_ids)}, got {_status(exchange)}",
            rule_ids[0],
            exchange,
        )

    def expect_success(self, exchange: Exchange, rule_id: str, statuses: tuple[int, ...] = (200, 204)) -> None:
        if exchange.status not in statuses:
            raise Deviation(
                f"a valid request was refused: expected {'/'.join(map(str, statuses))}, got {_status(exchange)}",
                rule_id,
                exchange,
            )

    def expect_status(self, exchange: Exchange, rule_id: str, status: int, code: str | None = None) -> None:
        if exchange.status != status or (code is not None and exchange.code != code):
            want = f"{status} {code}" if code else str(status)
            raise Deviation(
                f"expected {want}, got {exchange.status} {exchange.code or ''}".strip(),
                rule_id,
                exchange,
            )

    # -------------------------------------------------------------- property-based checks

    def explore(
        self,
        strategy: st.SearchStrategy[T],
        test: Callable[[T], None],
        *,
        examples: int | None = None,
        edges: Sequence[T] = (),
    ) -> None:
        """Run ``test`` on ``edges`` (every run, whatever the seed and ``--max-examples``), then on
        generated values: seeded, no shrinking (each example costs requests)."""

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
            self.cases += 1
            test(value)

        for value in reversed(edges):  # explicit examples run first, in the order given
            run = example(value)(run)
        run()
