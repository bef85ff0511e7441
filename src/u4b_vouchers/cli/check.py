"""``u4b-vouchers check``: run the contract suites against a target.

Without ``--profile`` or ``--url`` the target is the embedded emulator (demo seed), called
in-process. ``--url`` names any target without a profile file: its credentials and fixture ids
come from options (and the environment), and become a profile in memory.
Exit codes: 0 conformant, 1 findings that fail the gate (not in the baseline), checks in error, or a
run the deadline cut short (the checks it did not run are "not covered"), 2 configuration or spec
error, or a target that does not answer.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import textwrap
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

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
from contract_tests.reports import cassette, html, junit, markdown, sarif, traffic_har, verdict
from contract_tests.results import CheckResult, RunResult
from contract_tests.runner import Running

from ..client import PRODUCTION, SANDBOX, TOKEN_URL, Environment, SyncASGITransport
from ..emulator import Emulator
from ..profile import (
    LIMITS,
    OPTION_IDENTITY,
    SANDBOX_LIMITS,
    Profile,
    ProfileError,
    load_profile,
    profile_from_options,
)
from ..spec import Spec, SpecError, load_spec
from .emulated import profile_of
from .errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, CliError, exit_codes_epilog

NAME = "check"
HELP = "run the contract suites against a target (default: the embedded emulator)"
EMBEDDED_URL = "http://emulator.embedded"
#: Where ``check --url`` reads its secrets (and the client id) when the flags are not given.
TOKEN_ENV, CLIENT_ID_ENV, CLIENT_SECRET_ENV = "U4B_TOKEN", "U4B_CLIENT_ID", "U4B_CLIENT_SECRET"
#: The options that describe a ``--url`` target (none of them goes with ``--profile``).
URL_OPTIONS = ("token", "client_id", "client_secret", "token_url", "fixture")


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
    target = parser.add_argument_group(
        "any target without a profile",
        textwrap.fill(
            "--url URL with a static --token, or a --client-id and --client-secret that check gets its own "
            f"token with, as the {OPTION_IDENTITY} identity; --fixture KIND=ID for the ids a profile would "
            "name (organization_id is required). What these leave out (the other identities, fixtures not "
            'given, the emulator\'s control plane) is "not covered", as with a profile that lacks it. '
            f"Secrets are best given through {TOKEN_ENV} and {CLIENT_SECRET_ENV} (the client id through "
            f"{CLIENT_ID_ENV}), which keeps them out of process lists and shell history; a value on the "
            "command line is accepted and wins. Without any credentials, only the checks that need no "
            "token run. The description's sandbox gets the limits `init-profile` writes for it (--budget, "
            "--rate, ... win).",
            width=76,
        ),
    )
    target.add_argument(
        "--url",
        metavar="URL",
        help="the target's base URL, instead of --profile (the production host needs --allow-production)",
    )
    target.add_argument(
        "--token",
        metavar="TOKEN",
        help=f"an access token, used as given and never renewed (a 401 means it is wrong or has expired); "
        f"default: ${TOKEN_ENV}",
    )
    target.add_argument("--client-id", metavar="ID", help=f"a client-credentials client id; default: ${CLIENT_ID_ENV}")
    target.add_argument(
        "--client-secret", metavar="SECRET", help=f"that client's secret; default: ${CLIENT_SECRET_ENV}"
    )
    target.add_argument(
        "--token-url",
        metavar="URL",
        help="where check asks for tokens with the client id and secret (default: the description's token "
        "URL for its servers, else URL + "
        f"{urlsplit(TOKEN_URL).path}, where the emulator serves them)",
    )
    target.add_argument(
        "--fixture",
        action="append",
        metavar="KIND=ID",
        help="an id that exists before the run (repeatable): organization_id, foreign_organization_id, or a "
        "fixture kind of the profile format (program_started_multi_code, template_active, ...; a wrong KIND "
        "lists them all)",
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
        help="write verdict.json, junit.xml, report.md, report.html, cassette.json, traffic.har (HAR 1.2) and "
        "findings.sarif (SARIF 2.1.0, for code scanning: each finding at its line of openapi/vouchers.yaml) here",
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
        help="allow a profile or --url that points at the production host",
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


def _validate_target(args: argparse.Namespace) -> None:
    """``--url`` and ``--profile`` are two ways to name a target; the ``--url`` options need ``--url``."""
    given = [_flag(key) for key in URL_OPTIONS if getattr(args, key) is not None]
    if args.url is not None and args.profile is not None:
        raise CliError("give --url or --profile, not both (a profile names its own base_url)")
    if args.url is None and given:
        raise CliError(f"{', '.join(given)}: only with --url (a profile names its own identities and fixtures)")
    if args.token is not None and (args.client_id is not None or args.client_secret is not None):
        raise CliError("give --token or --client-id and --client-secret, not both")
    for key in ("url", "token", "client_id", "client_secret", "token_url"):
        if getattr(args, key) == "":
            raise CliError(f"{_flag(key)} is empty")


def _flag(key: str) -> str:
    return "--" + key.replace("_", "-")


def _fixtures(values: list[str] | None) -> dict[str, str]:
    """``--fixture KIND=ID`` options as a mapping (the kinds are the profile's to judge)."""
    fixtures: dict[str, str] = {}
    for value in values or ():
        kind, equals, ident = (part.strip() for part in value.partition("="))
        if not equals or not kind or not ident:
            raise CliError(f"--fixture {value!r}: expected KIND=ID, for example organization_id=...")
        if fixtures.get(kind, ident) != ident:
            raise CliError(f"--fixture {kind}: given twice with different ids")
        fixtures[kind] = ident
    return fixtures


def _credentials(args: argparse.Namespace) -> tuple[str | None, str | None, str | None]:
    """The ``--url`` target's token, client id and secret: from the command line, else from the
    environment. Credentials given on the command line win over the environment's of the other
    kind (a ``--token`` over ``U4B_CLIENT_ID``); two kinds from the environment are refused."""
    environ = {key: os.environ.get(key) or None for key in (TOKEN_ENV, CLIENT_ID_ENV, CLIENT_SECRET_ENV)}
    if args.token is not None:
        return args.token, None, None
    if args.client_id is not None or args.client_secret is not None:
        return None, args.client_id or environ[CLIENT_ID_ENV], args.client_secret or environ[CLIENT_SECRET_ENV]
    token, client_id, secret = environ[TOKEN_ENV], environ[CLIENT_ID_ENV], environ[CLIENT_SECRET_ENV]
    if token and (client_id or secret):
        other = CLIENT_SECRET_ENV if secret else CLIENT_ID_ENV
        raise CliError(
            f"both {TOKEN_ENV} and {other} are set: unset one, or give --token or --client-id on the command line"
        )
    return token, client_id, secret


def _token_url(base_url: str) -> str:
    """Where tokens come from for ``base_url``: the description's token URL for its servers, else
    the emulator's place under ``base_url``."""
    for environment in (SANDBOX, PRODUCTION):
        if base_url.rstrip("/") == environment.base_url:
            return environment.token_url
    try:
        return Environment.custom(base_url).token_url
    except ValueError:
        return base_url  # the profile refuses the base URL itself, in its own words


def _url_profile(args: argparse.Namespace, spec: Spec) -> Profile:
    """The profile of ``--url`` and its options (:func:`u4b_vouchers.profile.profile_from_options`)."""
    token, client_id, secret = _credentials(args)
    if client_id and not secret:
        raise CliError(f"--client-id needs --client-secret (or {CLIENT_SECRET_ENV})")
    if secret and not client_id:
        raise CliError(f"--client-secret needs --client-id (or {CLIENT_ID_ENV})")
    if args.token_url is not None and not client_id:
        raise CliError("--token-url goes with --client-id and --client-secret (a --token is used as given)")
    from .init_profile import sandbox_scopes  # the scope a profile's first_party asks for

    sandbox = args.url.rstrip("/") == SANDBOX.base_url  # shared: as gentle as init-profile's template
    return profile_from_options(
        args.url,
        limits={key: value for key, (value, _) in SANDBOX_LIMITS.items()} if sandbox else None,
        token_url=args.token_url or _token_url(args.url),
        fixtures=_fixtures(args.fixture),
        access_token=token,
        client_id=client_id,
        client_secret=secret,
        scope=sandbox_scopes(spec).get(OPTION_IDENTITY) if client_id else None,
    )


def _url_notes(profile: Profile, result: RunResult, *, quiet: bool) -> None:
    """What a ``--url`` run's user may not know: how to cover more, and a static token refused."""
    if result.count("not-covered") and not quiet:
        _say(
            "with --url, a fixture a check needs is given as --fixture KIND=ID (KIND as the check names "
            "it); other identities and the control plane need a profile (--profile)",
            sys.stdout,
            result.secrets,
        )
    refused = _static_token_refused(profile, result)
    if refused:
        _say(
            f"{_plural(refused, 'request')} with the token given {'was' if refused == 1 else 'were'} answered "
            "401: the token is wrong or has expired (check uses a --token as given and cannot renew it; get "
            "a new one, or give --client-id and --client-secret and check gets its own)",
            sys.stdout,
            result.secrets,
        )


def _static_token_refused(profile: Profile, run: RunResult) -> int:
    """Requests made with a static token of ``profile`` that were answered 401."""
    identity = profile.identity(OPTION_IDENTITY)
    if identity is None or not identity.access_token:
        return 0
    return sum(e.identity == OPTION_IDENTITY and e.status == 401 for e in run.exchanges)


def _limits(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "deadline": args.deadline,
        "request_timeout": args.request_timeout,
        "max_response_bytes": args.max_response_bytes,
    }


def _target(args: argparse.Namespace, spec: Spec) -> tuple[Profile, Target, Emulator | None]:
    """The run's profile and target: the embedded emulator (returned too, to be closed), a
    profile file, or ``--url``."""
    try:
        if args.profile is None and args.url is None:
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
            return profile, target, emulator
        profile = load_profile(args.profile) if args.url is None else _url_profile(args, spec)
        target = Target(
            profile,
            budget=args.budget,
            requests_per_second=args.rate,
            allow_production=args.allow_production,
            **_limits(args),
        )
    except (ProfileError, ProductionRefused) as exc:
        raise CliError(str(exc)) from None
    return profile, target, None


def run(args: argparse.Namespace) -> int:
    _validate(args)
    _validate_target(args)
    try:
        spec = load_spec()
        baseline = load_baseline(args.baseline) if args.baseline else frozenset()
    except (SpecError, BaselineError) as exc:
        raise CliError(str(exc)) from None
    profile, target, emulator = _target(args, spec)
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
        if args.url is not None and not profile.identities:
            _say(
                f"check: no credentials (--token, or --client-id and --client-secret; nor {TOKEN_ENV}, "
                f"{CLIENT_ID_ENV} and {CLIENT_SECRET_ENV}): only the checks that need no token run, "
                'the others are "not covered"',
                sys.stderr,
                target.secrets,
            )
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
    if args.url is not None:
        _url_notes(profile, result, quiet=args.quiet)
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
            args.report_dir / "findings.sarif": sarif(result, spec),
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
