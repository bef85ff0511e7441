"""Running the registered checks against a target, one at a time, in suite order."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from u4b_vouchers.client import TokenError
from u4b_vouchers.spec import Spec, parse_rules

from . import (
    suite_auth,
    suite_errors,
    suite_lifecycle,
    suite_paging,
    suite_robustness,
    suite_rules,
    suite_schemathesis,
)
from .bounded import TargetFailure
from .context import CheckContext, Deviation, NotCovered
from .findings import FAILURE
from .registry import CHECKS, SUITES, Check
from .results import ERROR, FAILED, NOT_COVERED, PASSED, WARNED, CheckResult, RunResult
from .target import BudgetExhausted, DeadlineExceeded, IdentityUnavailable, Target

#: Told of each check once it is over: its result, its place and the number of checks.
Progress = Callable[[CheckResult, int, int], None]


@dataclass(frozen=True)
class Running:
    """How far the running check has got: what a live progress line shows."""

    check: str
    index: int
    total: int
    #: Generated test cases and requests of this check so far.
    cases: int
    requests: int
    #: Seconds since the check started.
    seconds: float
    #: The run's requests so far, and its budget (None: no budget).
    run_requests: int
    budget: int | None
    #: Seconds left before the run's deadline.
    deadline_left: float


#: Told, while a check runs, how far it has got (often: the listener decides what to show).
Live = Callable[[Running], None]

#: Importing a suite module registers its checks.
SUITE_MODULES = (
    suite_auth,
    suite_rules,
    suite_paging,
    suite_lifecycle,
    suite_errors,
    suite_robustness,
    suite_schemathesis,
)


@dataclass(frozen=True)
class RunOptions:
    suites: tuple[str, ...] = SUITES
    #: Only checks that cover one of these rule ids (all when empty).
    rules: tuple[str, ...] = ()
    seed: int = 20261122
    max_examples: int = 10
    #: Accepted findings, as fingerprints (see baseline.py).
    baseline: frozenset[str] = field(default_factory=frozenset)
    #: ``failure`` (the default) or ``warning``: the least severity that fails the gate.
    fail_on: str = FAILURE


def selected(options: RunOptions) -> list[Check]:
    chosen = [c for c in CHECKS.values() if c.suite in options.suites]
    if options.rules:
        wanted = set(options.rules)
        chosen = [c for c in chosen if wanted & set(c.rules)]
    return sorted(chosen, key=lambda c: (SUITES.index(c.suite), c.rank))


def _find(error: BaseException, kinds: tuple[type[BaseException], ...]) -> BaseException | None:
    """The first exception of ``kinds`` in ``error`` or, for exception groups (hypothesis's
    flaky reports), among the exceptions it holds."""
    if isinstance(error, kinds):
        return error
    for inner in getattr(error, "exceptions", ()) or ():
        found = _find(inner, kinds)
        if found is not None:
            return found
    cause = error.__cause__ or error.__context__
    return _find(cause, kinds) if cause is not None and cause is not error else None


#: What a check may raise that the run reports as its outcome.
CAUGHT = (Deviation, NotCovered, BudgetExhausted, DeadlineExceeded, IdentityUnavailable, TokenError, TargetFailure)


def run_check(
    check: Check,
    target: Target,
    spec: Spec,
    options: RunOptions,
    rules: dict[str, object],
    *,
    live: Live | None = None,
    place: tuple[int, int] = (1, 1),
) -> tuple[CheckResult, int]:
    ctx = CheckContext(
        target,
        spec,
        rules,  # type: ignore[arg-type]
        seed=options.seed,
        max_examples=options.max_examples,
        check=check.id,
    )
    target.current_check = check.id
    control_before = target.control.requests if target.control is not None else 0
    before, started, recorded = target.requests_made, time.perf_counter(), len(target.exchanges)
    if live is not None:
        listener = live

        def progress() -> None:
            listener(
                Running(
                    check=check.id,
                    index=place[0],
                    total=place[1],
                    cases=ctx.cases,
                    requests=target.requests_made - before,
                    seconds=time.perf_counter() - started,
                    run_requests=target.requests_made,
                    budget=target.budget,
                    deadline_left=target.remaining,
                )
            )

        ctx.on_progress = target.on_record = progress
    result = CheckResult(check=check.id, suite=check.suite, rules=check.rules, title=check.title, status=PASSED)
    try:
        check.function(ctx)
    except Exception as error:
        found = _find(
            error,
            (Deviation, NotCovered, BudgetExhausted, DeadlineExceeded, IdentityUnavailable, TokenError, TargetFailure),
        )
        if isinstance(found, Deviation):
            ctx.record(found)
        elif isinstance(found, NotCovered | BudgetExhausted | DeadlineExceeded | IdentityUnavailable):
            result.status, result.message = NOT_COVERED, str(found)
            result.over_budget = isinstance(found, BudgetExhausted)
            result.over_deadline = isinstance(found, DeadlineExceeded)
        elif isinstance(found, TokenError):
            result.status, result.message = ERROR, f"could not get a token: {found}"
        elif isinstance(found, TargetFailure):
            result.status, result.message = ERROR, str(found)
        else:
            result.status, result.message = (
                ERROR,
                f"{type(error).__name__}: {error}".splitlines()[0][:500],
            )
    result.findings = [
        replace(f, accepted=f.fingerprint in options.baseline) if f.fingerprint in options.baseline else f
        for f in ctx.findings.values()
    ]
    result.omitted = ctx.omitted
    if result.status == PASSED and result.findings:
        result.status = FAILED if result.failures else WARNED
    if result.first is not None and not result.message:
        result.message = result.first.message
    result.message = target.secrets.text(" ".join(result.message.split()))
    result.requests = target.requests_made - before
    result.seconds = time.perf_counter() - started
    result.control_requests = (target.control.requests if target.control is not None else 0) - control_before
    result.used_control_plane = result.control_requests > 0
    ctx.on_progress = target.on_record = None
    target.trim_records(recorded)
    return result, ctx.cases


def not_run(check: Check, reason: str) -> CheckResult:
    """A check the deadline left no time for."""
    return CheckResult(
        check=check.id,
        suite=check.suite,
        rules=check.rules,
        title=check.title,
        status=NOT_COVERED,
        message=reason,
        over_deadline=True,
    )


def run_suites(
    target: Target,
    spec: Spec,
    options: RunOptions,
    progress: Progress | None = None,
    live: Live | None = None,
) -> RunResult:
    """Run the selected checks; ``progress`` is told of each check once it is over, ``live``
    how far the running one has got."""
    rules = {rule.id: rule for rule in parse_rules(spec.data)}
    run = RunResult(
        target=target.profile.name, base_url=target.profile.base_url, seed=options.seed, fail_on=options.fail_on
    )
    target.start()
    run.started_at = time.time()
    started = target.started
    checks: Iterable[Check] = selected(options)
    checks = list(checks)
    for index, check in enumerate(checks, start=1):
        if target.past_deadline:
            result, cases = (
                not_run(check, f"not run: the run's deadline of {target.deadline:g} s passed (--deadline)"),
                0,
            )
        else:
            result, cases = run_check(
                check,
                target,
                spec,
                options,
                rules,  # type: ignore[arg-type]
                live=live,
                place=(index, len(checks)),
            )
        run.results.append(result)
        run.cases += cases
        if progress is not None:
            progress(result, index, len(checks))
    run.seconds = time.perf_counter() - started
    run.requests = target.requests_made
    run.token_requests = target.token_requests
    run.exchanges = list(target.exchanges)
    run.deadline = target.deadline
    run.secrets = target.secrets
    seen = {f.fingerprint for f in run.findings}
    run.unmatched_baseline = sorted(options.baseline - seen)
    return run
