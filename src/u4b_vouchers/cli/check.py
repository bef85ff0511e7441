"""``u4b-vouchers check``: run the contract suites against a target.

Without ``--profile`` the target is the embedded emulator (demo seed), called in-process.
Exit codes: 0 conformant, 1 findings that fail the gate (not in the baseline), checks in error, or a
run the deadline cut short (the checks it did not run are "not covered"), 2 configuration or spec
error, or a target that does not answer.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import textwrap
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TextIO

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
from contract_tests.findings import FAILURE, SEVERITIES, WARNING, Finding
from contract_tests.redaction import Secrets
from contract_tests.reports import cassette, html, junit, markdown, traffic_har, verdict
from contract_tests.results import CheckResult, RunResult
from contract_tests.runner import Running

from ..client import SyncASGITransport
from ..emulator import Emulator
from ..profile import LIMITS, ProfileError, load_profile
from ..spec import Spec, SpecError, load_spec
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
        help="write verdict.json, junit.xml, report.md, report.html, cassette.json, traffic.har (HAR 1.2) here",
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


#: Continuation lines of a wrapped console line are indented by this.
INDENT = "    "
#: The console width when the stream is not a terminal (a CI log, a file, a pipe).
PLAIN_WIDTH = 100
#: Live progress lines: at most one a second on a terminal (rewritten in place), one every
#: five seconds elsewhere, so that a CI log stays short.
TTY_EVERY, PLAIN_EVERY = 1.0, 5.0


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False


def console_width(stream: TextIO) -> int:
    """The terminal's width when ``stream`` is one (``COLUMNS`` first), else :data:`PLAIN_WIDTH`."""
    if not _is_tty(stream):
        return PLAIN_WIDTH
    return max(40, shutil.get_terminal_size((PLAIN_WIDTH, 24)).columns)


def wrapped(line: str, width: int) -> str:
    """``line`` wrapped at word boundaries to ``width``, continuation lines indented; no word is
    cut or dropped (a word longer than the width, a URL, stays whole on a line of its own)."""
    lines = textwrap.wrap(
        line,
        width,
        subsequent_indent=INDENT,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return "\n".join(lines) if lines else line


def _say(line: str, stream: TextIO, secrets: Secrets) -> None:
    """Print ``line`` on ``stream``: secrets out, control characters shown, wrapped to its width."""
    print(wrapped(_printable(secrets.text(line)), console_width(stream)), file=stream)


class LiveProgress:
    """The line on stderr that says how far a long check has got: cases, requests, time, the
    budget used and the time left before the deadline. Nothing shows for a check shorter than one
    interval; on a terminal one line is rewritten at most every :data:`TTY_EVERY` seconds, and
    elsewhere a plain line is printed at most every :data:`PLAIN_EVERY` seconds."""

    def __init__(
        self,
        stream: TextIO,
        *,
        tty: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.tty = _is_tty(stream) if tty is None else tty
        self.every = TTY_EVERY if self.tty else PLAIN_EVERY
        self._clock = clock
        self._check: str | None = None
        self._last = 0.0
        self._shown = False  # a line to rewrite is on the terminal

    def __call__(self, running: Running) -> None:
        now = self._clock()
        if running.check != self._check:
            self._check, self._last = running.check, now
            return
        if now - self._last < self.every:
            return
        self._last = now
        line = _printable(self.line(running))
        if self.tty:
            width = console_width(self.stream)
            self.stream.write("\r" + line[: width - 1] + "\x1b[K")
            self._shown = True
        else:
            self.stream.write(wrapped(line, console_width(self.stream)) + "\n")
        self.stream.flush()

    @staticmethod
    def line(running: Running) -> str:
        counts = [_plural(running.cases, "case")] if running.cases else []
        counts += [_plural(running.requests, "request"), f"{running.seconds:.0f} s"]
        text = f"[{running.index:>2}/{running.total}] {running.check} running: {', '.join(counts)}"
        if running.budget is not None:
            text += f"; budget {running.run_requests}/{running.budget}"
        return text + f"; {max(0.0, running.deadline_left):.0f} s to the deadline"

    def clear(self) -> None:
        """Take the rewritten line off the terminal (before the check's own line is printed)."""
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False


MARKS = {"passed": "ok", "failed": "FAIL", "warned": "warning", "not-covered": "not covered", "error": "ERROR"}


def _progress(
    result: CheckResult, index: int, total: int, *, secrets: Secrets, live: LiveProgress | None = None
) -> None:
    if live is not None:
        live.clear()
    mark = "accepted" if result.accepted else MARKS[result.status]
    counts = []
    if result.failures:
        counts.append(f"{len(result.failures)} failure(s)")
    if result.warnings:
        counts.append(f"{len(result.warnings)} warning(s)")
    extra = f" {', '.join(counts)}" if counts else ""
    extra += f": {result.message}" if result.status != "passed" else ""
    line = f"[{index:>2}/{total}] {result.check:<52} {mark} ({result.requests} req, {result.seconds:.1f}s){extra}"
    _say(line, sys.stderr, secrets)


def _printable(line: str) -> str:
    """``line`` with control characters (a target's text may carry terminal escapes) shown as escapes."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in line)


def _finding_line(finding: Finding) -> str:
    word = "accepted" if finding.accepted else finding.severity.upper()
    field = f" at {finding.field}" if finding.field else ""
    where = f" {finding.where()}" if finding.where() else ""
    return f"{word} {finding.rule}{where}{field}: {finding.message}"


def _print_findings(args: argparse.Namespace, run: RunResult) -> None:
    if args.quiet:
        return
    for finding in run.findings:
        _say(_finding_line(finding), sys.stdout, run.secrets)
    for fingerprint in run.unmatched_baseline:
        print(f"accepted by the baseline but not seen this run: {fingerprint}")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def failing_lines(run: RunResult) -> list[str]:
    """One line per check and rule with findings not in the baseline (failures first, then
    warnings), and one per check in error: what the summary names, also under ``--quiet``."""
    rows: list[tuple[str, str, str]] = []
    for severity, word in ((FAILURE, "FAIL"), (WARNING, "WARNING")):
        for result in run.results:
            counts: dict[str, int] = {}
            for finding in result.findings:
                if finding.severity == severity and not finding.accepted:
                    counts[finding.rule] = counts.get(finding.rule, 0) + 1
            rows += [(word, result.check, f"{rule}  {_plural(n, 'finding')}") for rule, n in counts.items()]
    rows += [("ERROR", r.check, r.message) for r in run.errors]
    if not rows:
        return []
    words = max(len(w) for w, _, _ in rows)
    checks = max(len(c) for _, c, _ in rows)
    return [f"{w:<{words}}  {c:<{checks}}  {rest}" for w, c, rest in rows]


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
        live = None if args.quiet else LiveProgress(sys.stderr)
        progress = None if args.quiet else partial(_progress, secrets=target.secrets, live=live)
        result = run_suites(target, spec, options, progress=progress, live=live)
    finally:
        target.close()
        if emulator is not None:
            emulator.close()
    _write_reports(args, result, spec)
    _print_findings(args, result)
    for line in failing_lines(result):
        _say(line, sys.stdout, result.secrets)
    _say(_summary(result), sys.stdout, result.secrets)
    exhausted = sum(r.over_budget for r in result.results)
    if exhausted:
        print(f"the request budget of {target.budget} ran out: {exhausted} check(s) did not run (raise --budget)")
    if result.deadline_passed:
        cut = sum(r.over_deadline for r in result.results)
        print(
            f"the deadline of {target.deadline:g} s passed: {cut} check(s) did not run or were cut (raise --deadline)"
        )
    users = [f"{r.check} ({_plural(r.control_requests, 'request')})" for r in result.results if r.control_requests]
    if users:
        _say(f"the emulator's control plane was used by: {', '.join(users)}", sys.stdout, result.secrets)
    return EXIT_OK if result.conformant else EXIT_FINDINGS


def _write_reports(args: argparse.Namespace, result: RunResult, spec: Spec) -> None:
    outputs: dict[Path, str] = {}
    if args.report_dir is not None:
        outputs = {
            args.report_dir / "verdict.json": json.dumps(verdict(result, spec), indent=2) + "\n",
            args.report_dir / "junit.xml": junit(result, spec),
            args.report_dir / "report.md": markdown(result, spec),
            args.report_dir / "report.html": html(result, spec),
            args.report_dir / "cassette.json": cassette(result),
            args.report_dir / "traffic.har": traffic_har(result),
        }
    if args.write_baseline is not None:
        outputs[args.write_baseline] = baseline_of(result)
    for path, text in outputs.items():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(result.secrets.text(text), encoding="utf-8")
        except OSError as exc:
            raise CliError(f"{path}: cannot write: {exc.strerror}") from None
