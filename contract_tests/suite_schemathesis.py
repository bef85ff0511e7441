"""Schemathesis over all four operations and every phase (examples, coverage, fuzzing,
stateful through the description's links), authenticated as the first-party identity.

Which of Schemathesis's checks run, and how, is decided in openapi/DECISIONS.md (D-057).
"""

from __future__ import annotations

from typing import Any

from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events, from_schema
from schemathesis.openapi import from_dict

from .context import CheckContext, Deviation, NotCovered
from .registry import check
from .schemathesis_findings import Judge, record_interaction

#: D-057: checks whose assumptions the documents do not support are configured, not dropped.
CHECKS_CONFIG: dict[str, Any] = {
    # The documents say nothing about unknown methods (405 vs 404): not asserted.
    "unsupported_method": {"enabled": False},
    "allow_header_conformance": {"enabled": False},
    # A schema-valid request may still break a state, time or reference rule (x-u4b-rules),
    # so acceptance is asserted only as "a documented outcome", not as 2xx: the statuses are
    # those rules' outcomes (positive_statuses, below).
    "positive_data_acceptance": {"enabled": True},
    # Needs several users' objects; the auth suite checks organization isolation instead.
    "object_level_authorization": {"enabled": False},
}


def positive_statuses(ctx: CheckContext) -> list[str]:
    """What a schema-valid request may get: a success, or an outcome of breaking a rule the
    schema cannot express (a state, time, reference or quota rule, under any of its readings)."""
    statuses = {
        str(outcome.status)
        for rule in ctx.rules.values()
        if rule.kind not in ("schema", "auth")
        for outcome in rule.violation
        if not str(outcome.status).startswith("2")
    }
    return ["2XX", *sorted(statuses)]


def _program_for_fuzzing(ctx: CheckContext) -> str:
    """A program of the suite's own when the target lets it create one; else a started fixture,
    whose state-class fuzzing cannot change (starts and vehicle updates are refused on it)."""
    try:
        exchange = ctx.create(ctx.valid_create())
    except NotCovered:
        return ctx.fixture("program_started_multi_code")
    created = (exchange.json() or {}).get("campaign_uuid") if exchange.status == 200 else None
    return str(created) if created else ctx.fixture("program_started_multi_code")


@check(
    "schemathesis",
    "all-phases",
    "schema conformance of all four operations under examples, coverage, fuzzing and stateful phases",
    rules=("ERR-BODY-SHAPE", "REQ-SCHEMA", "RSP-SCHEMA", "GEN-SUCCESS-200", "UPD-SUCCESS-204"),
)
def schemathesis_run(ctx: CheckContext) -> None:
    target = ctx.target
    token = target.token(ctx.identity("first_party"))
    program = _program_for_fuzzing(ctx)
    config: dict[str, Any] = {
        "seed": ctx.seed,
        "headers": {"Authorization": f"Bearer {token}"},
        "generation": {"max-examples": ctx.max_examples, "database": "none"},
        "parameters": {"organization_id": ctx.org, "voucher_program_id": program},
        "checks": {
            **CHECKS_CONFIG,
            "positive_data_acceptance": {"enabled": True, "expected-statuses": positive_statuses(ctx)},
        },
        "output": {"sanitization": {"enabled": True}},
        "request-timeout": target.request_timeout,
    }
    if target.asgi_app is None:
        config["base-url"] = target.profile.base_url
    if target.interval:
        config["rate-limit"] = f"{max(1, round(1 / target.interval))}/s"
    schema = from_dict(ctx.spec.data, config=SchemathesisConfig.from_dict(config))
    if target.asgi_app is not None:
        schema.app = target.asgi_app
    judge = Judge(ctx)
    for event in from_schema(schema).execute():
        target.check_deadline()  # the run's deadline holds here too
        if isinstance(event, events.ScenarioFinished | events.FuzzScenarioFinished):
            ctx.cases += len(event.recorder.cases)
            _judge_scenario(judge, event.recorder)
            ctx.progress()
        elif isinstance(event, (events.NonFatalError, events.FatalError)):
            raise Deviation(
                f"schemathesis could not test: {event.info.message if hasattr(event, 'info') else event}",
                "ERR-BODY-SHAPE",
                kind="schemathesis-error",
            )


def _judge_scenario(judge: Judge, recorder: Any) -> None:
    """Record every request of one scenario, in the order sent (each one of the run's requests,
    in its recorded traffic), then every failed check of it, as findings."""
    exchanges = {
        case_id: record_interaction(interaction, judge.ctx) for case_id, interaction in recorder.interactions.items()
    }
    for case_id, checks in recorder.checks.items():
        for result in checks:
            if result.status.name != "FAILURE" or result.failure_info is None:
                continue
            node = recorder.cases.get(case_id)
            exchange = exchanges.get(case_id)
            judge.failure(
                result.name,
                result.failure_info.failure,
                node.value if node is not None else None,
                exchange if exchange is not None and exchange.status else None,
            )
