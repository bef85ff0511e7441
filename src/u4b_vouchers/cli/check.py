"""``u4b-vouchers check``: run the contract suites against a target.

Without ``--profile`` the target is the embedded emulator (demo seed), called in-process.
Exit codes: 0 conformant, 1 findings that fail the gate (not in the baseline), checks in error, or a
run the deadline cut short (the checks it did not run are "not covered"), 2 configuration or spec
error, or a target that does not answer.
"""

from __future__ import annotations

import argparse
import json
import sys
from functools import partial
from pathlib import Path
from typing import Any

from contract_tests import (
    DEADLINE_SECONDS,
    MAX_RESPONSE_BYTES,
    REQUEST_TIMEOUT_SECONDS,
    SUITES,
    ProductionRefused,
    RunOptions,
    Target,
    run_suites,
)
from contract_tests.baseline import BaselineError, baseline_of, load_baseline
from contract_tests.findings import FAILURE, SEVERITIES, Finding
from contract_tests.redaction import Secrets
from contract_tests.reports import cassette, control_plane_users, html, junit, markdown, verdict
from contract_tests.results import CheckResult, RunResult

from ..client import SyncASGITransport
from ..emulator import Emulator
from ..profile import LIMITS, ProfileError, load_profile
from ..spec import SpecError, load_spec
from .emulated import profile_of
from .errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, CliError, exit_codes_epilog

NAME = "check"
HELP = "run the contract suites against a target (default: the embedded emulator)"
EMBEDDED_URL = "http://emulator.embedded"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    epilog = exit_codes_epilog(
        {
            EXIT_OK: "conformant",
            EXIT_FINDINGS: "findings that fail the gate (not in the baseline), checks in error, or a run "
            'the deadline cut short (the checks it did not run are "not covered")',
            EXIT_USAGE: "configuration or spec error, or a target that does not answer",
        }
    )
    parser = subparsers.add_parser(
        NAME, help=HELP, description=HELP, epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--profile",
        type=Path,
        help="target profile (TOML; `u4b-vouchers init-profile FILE` writes one for the sandbox); "
        "default: the embedded emulator",
    )
    parser.add_argument(
        "--suite",
        action="append",
        choices=SUITES,
        metavar="SUITE",
        help=f"run only this suite (repeatable): {', '.join(SUITES)}",
    )
    parser.add_argument(
        "--rule",
        action="append",
        metavar="RULE_ID",
        help="run only checks covering this rule (repeatable; rule ids: `u4b-vouchers rules`)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=20261122,
        help="integer seed for generated inputs (Hypothesis, Schemathesis) (default: 20261122)",
    )
    parser.add_argument("--max-examples", type=int, default=10, help="generated examples per property (default: 10)")
    parser.add_argument(
        "--budget", type=int, help="most requests to send, at least 1 (default: the profile's request_budget)"
    )
    parser.add_argument("--rate", type=float, help="most requests per second, 0 for no cap (default: the profile's)")
    parser.add_argument(
        "--deadline",
        type=float,
        metavar="SECONDS",
        help="stop starting checks after this long; the rest are not covered and the run fails "
        f"(default: the profile's deadline_seconds, else {DEADLINE_SECONDS:g})",
    )
    parser.add_argument(
        "--request-timeout",
        type=float,
        metavar="SECONDS",
        help="longest wait for one answer (default: the profile's request_timeout_seconds, "
        f"else {REQUEST_TIMEOUT_SECONDS:g})",
    )
    parser.add_argument(
        "--max-response-bytes",
        type=int,
        metavar="BYTES",
        help="largest response read; a larger one is an error of its check (default: the profile's "
        f"max_response_bytes, else {MAX_RESPONSE_BYTES})",
    )
    parser.add_argument(
        "--report-dir",
        type=Path,
        help="write verdict.json, junit.xml, report.md, report.html, cassette.json here",
    )
    parser.add_argument(
        "--baseline", type=Path, help="accepted findings (JSON, by fingerprint); they do not fail the gate"
    )
    parser.add_argument(
        "--write-baseline",
        type=Path,
        metavar="FILE",
        help="write a baseline accepting this run's findings",
    )
    parser.add_argument(
        "--fail-on",
        choices=SEVERITIES,
        default=FAILURE,
        help="the least severity that fails the gate (default: failure; warning makes warnings fail too)",
    )
    parser.add_argument(
        "--allow-production",
        action="store_true",
        help="allow a profile that points at the production host",
    )
    parser.add_argument("--quiet", action="store_true", help="only the summary")
    parser.set_defaults(run=run)


def _progress(result: CheckResult, index: int, total: int, *, secrets: Secrets) -> None:
    marks = {"passed": "ok", "failed": "FAIL", "warned": "warning", "not-covered": "not covered", "error": "ERROR"}
    mark = "accepted" if result.accepted else marks[result.status]
    counts = []
    if result.failures:
        counts.append(f"{len(result.failures)} failure(s)")
    if result.warnings:
        counts.append(f"{len(result.warnings)} warning(s)")
    extra = f" {', '.join(counts)}" if counts else ""
    extra += f": {result.message}" if result.status != "passed" else ""
    line = f"[{index:>2}/{total}] {result.check:<52} {mark} ({result.requests} req, {result.seconds:.1f}s){extra}"
    print(_printable(secrets.text(line))[:240], file=sys.stderr)


def _printable(line: str) -> str:
    """``line`` with control characters (a target's text may carry terminal escapes) shown as escapes."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in line)


def _finding_line(finding: Finding) -> str:
    word = "accepted" if finding.accepted else finding.severity.upper()
    field = f" at {finding.field}" if finding.field else ""
    where = f" {finding.where()}" if finding.where() else ""
    return f"{word} {finding.rule}{where}{field}: {finding.message}"[:400]


def _print_findings(args: argparse.Namespace, run: RunResult) -> None:
    if args.quiet:
        return
    for finding in run.findings:
        print(_printable(run.secrets.text(_finding_line(finding))))
    for fingerprint in run.unmatched_baseline:
        print(f"accepted by the baseline but not seen this run: {fingerprint}")


def _summary(run: RunResult) -> str:
    counts = {s: run.count(s) for s in ("passed", "failed", "warned", "not-covered", "error")}
    failures = sum(not f.accepted for f in run.failures)
    warnings = sum(not f.accepted for f in run.warnings)
    accepted = sum(f.accepted for f in run.findings)
    verdict_word = "conformant" if run.conformant else "not conformant"
    return (
        f"{run.target} ({run.base_url}): {verdict_word}: {failures} failure(s), {warnings} warning(s)"
        f"{f', {accepted} accepted by the baseline' if accepted else ''}"
        f"{' (warnings fail the gate)' if run.fail_on == 'warning' else ''}. "
        f"Checks: {counts['passed']} passed, {counts['failed']} failed, {counts['warned']} warned, "
        f"{counts['not-covered']} not covered, {counts['error']} errors; {run.requests} requests, "
        f"{run.token_requests} token request(s), {run.cases} generated test cases, {run.seconds:.1f} s."
    )


def _validate(args: argparse.Namespace) -> None:
    """Refuse option values that make no sense, before anything runs."""
    if args.max_examples < 1:
        raise CliError(f"--max-examples must be at least 1, got {args.max_examples}")
    if args.budget is not None and args.budget < 1:
        raise CliError(f"--budget must be at least 1, got {args.budget}")
    if args.rate is not None and not args.rate >= 0:  # catches nan too
        raise CliError(f"--rate must be 0 (no cap) or more, got {args.rate}")
    for flag, value, limit in (
        ("--deadline", args.deadline, LIMITS["deadline_seconds"]),
        ("--request-timeout", args.request_timeout, LIMITS["request_timeout_seconds"]),
        ("--max-response-bytes", args.max_response_bytes, LIMITS["max_response_bytes"]),
    ):
        if value is not None and not limit.lowest <= value <= limit.highest:  # catches nan too
            raise CliError(f"{flag} must be from {limit.lowest:g} to {limit.highest:g}, got {value}")
    if args.report_dir is not None and args.report_dir.exists() and not args.report_dir.is_dir():
        raise CliError(f"--report-dir {args.report_dir}: exists and is not a folder")


def _limits(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "deadline": args.deadline,
        "request_timeout": args.request_timeout,
        "max_response_bytes": args.max_response_bytes,
    }


def run(args: argparse.Namespace) -> int:
    _validate(args)
    try:
        spec = load_spec()
        baseline = load_baseline(args.baseline) if args.baseline else frozenset()
    except (SpecError, BaselineError) as exc:
        raise CliError(str(exc)) from None
    emulator: Emulator | None = None
    try:
        if args.profile is None:
            emulator = Emulator(spec=spec, seed="demo")
            profile = profile_of(emulator, EMBEDDED_URL, name="embedded emulator (demo seed)")
            target = Target(
                profile,
                transport=SyncASGITransport(emulator.app),
                budget=args.budget,
                requests_per_second=args.rate,
                **_limits(args),
            )
            target.asgi_app = emulator.app
        else:
            profile = load_profile(args.profile)
            target = Target(
                profile,
                budget=args.budget,
                requests_per_second=args.rate,
                allow_production=args.allow_production,
                **_limits(args),
            )
    except (ProfileError, ProductionRefused) as exc:
        raise CliError(str(exc)) from None
    options = RunOptions(
        suites=tuple(args.suite) if args.suite else SUITES,
        rules=tuple(args.rule or ()),
        seed=args.seed,
        max_examples=args.max_examples,
        baseline=baseline,
        fail_on=args.fail_on,
    )
    unknown = [r for r in options.rules if r not in {rule["id"] for rule in spec.data.get("x-u4b-rules", [])}]
    if unknown:
        raise CliError(f"unknown rule id(s): {', '.join(unknown)}")
    reason = target.unreachable()
    if reason is not None:
        target.close()
        raise CliError(f"cannot reach {profile.base_url}: {reason}")
    if not args.quiet:
        print(f"check: {profile.name} at {profile.base_url}", file=sys.stderr)
    try:
        progress = None if args.quiet else partial(_progress, secrets=target.secrets)
        result = run_suites(target, spec, options, progress=progress)
    finally:
        target.close()
        if emulator is not None:
            emulator.close()
    _write_reports(args, result, spec)
    _print_findings(args, result)
    print(_summary(result))
    exhausted = sum(r.over_budget for r in result.results)
    if exhausted:
        print(f"the request budget of {target.budget} ran out: {exhausted} check(s) did not run (raise --budget)")
    if result.deadline_passed:
        cut = sum(r.over_deadline for r in result.results)
        print(
            f"the deadline of {target.deadline:g} s passed: {cut} check(s) did not run or were cut (raise --deadline)"
        )
    users = control_plane_users(result)
    if users:
        print(f"the emulator's control plane was used by: {', '.join(users)}")
    return EXIT_OK if result.conformant else EXIT_FINDINGS


def _write_reports(args: argparse.Namespace, result: RunResult, spec: object) -> None:
    outputs: dict[Path, str] = {}
    if args.report_dir is not None:
        outputs = {
            args.report_dir / "verdict.json": json.dumps(verdict(result, spec), indent=2) + "\n",  # type: ignore[arg-type]
            args.report_dir / "junit.xml": junit(result),
            args.report_dir / "report.md": markdown(result, spec),  # type: ignore[arg-type]
            args.report_dir / "report.html": html(result, spec),  # type: ignore[arg-type]
            args.report_dir / "cassette.json": cassette(result),
        }
    if args.write_baseline is not None:
        outputs[args.write_baseline] = baseline_of(result)
    for path, text in outputs.items():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(result.secrets.text(text), encoding="utf-8")
        except OSError as exc:
            raise CliError(f"{path}: cannot write: {exc.strerror}") from None
