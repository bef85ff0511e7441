"""``u4b-vouchers proxy --target URL``: forward a client's traffic to a target and judge it live.

The proxy listens on loopback (another address only with ``--allow-remote-listen``), sends
every request on to the target unchanged and its answer back unchanged; each exchange is then
judged against the description on the side (``contract_tests/proxy.py``), and each violation
printed as one line as it is found. SIGINT and SIGTERM stop it as they stop ``serve``: the
requests under way are finished, the exchanges still queued are judged, ``--report-dir`` gets
``findings.json`` and ``traffic.har``, and a summary line ends the output.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import uvicorn
from contract_tests import MAX_RESPONSE_BYTES, REQUEST_TIMEOUT_SECONDS
from contract_tests.findings import FAILURE, SEVERITIES, WARNING, Finding
from contract_tests.observer import TrafficJudge
from contract_tests.proxy import Forwarder, Observer, blocking, summary, write_reports
from contract_tests.target import Exchange

from ..spec import SpecError, load_spec
from .errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, CliError, exit_codes_epilog
from .listening import Server, Stopped, is_loopback, listen, signals_handled

NAME = "proxy"
HELP = "forward a client's traffic to a target unchanged and report each violation of the description live"
EPILOG = exit_codes_epilog(
    {
        EXIT_OK: "stopped by SIGINT (Ctrl+C) or SIGTERM with no finding at or above --fail-on, and every request "
        "answered by the target",
        EXIT_FINDINGS: "findings at or above --fail-on, or requests the target gave no usable answer to (each was "
        "answered 502 with a JSON body saying why)",
        EXIT_USAGE: "bad input (an option, the description, a non-loopback --host without --allow-remote-listen), "
        "or the port cannot be listened on",
    }
)
#: How often (seconds) a running thread hands the interpreter over: the forwarding thread waits
#: at most this long for the judge's thread at each step of a request.
SWITCH_INTERVAL = 0.0005
#: The longest message a live line shows.
LINE_MESSAGE = 160


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        NAME, help=HELP, description=HELP, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--target", required=True, metavar="URL", help="the API to forward to (http:// or https://)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port (default: 8080; 0 picks a free one)")
    parser.add_argument(
        "--allow-remote-listen",
        action="store_true",
        help="listen on a --host other than loopback (anyone who reaches it sends requests with your target)",
    )
    parser.add_argument(
        "--report-dir",
        type=Path,
        metavar="DIR",
        help="write findings.json, findings.sarif (SARIF 2.1.0) and traffic.har (HAR 1.2) here on stop",
    )
    parser.add_argument(
        "--fail-on",
        choices=SEVERITIES,
        default=FAILURE,
        help="exit 1 on findings of this severity or worse (default: failure; warning: warnings too)",
    )
    parser.add_argument("--spec", metavar="FILE", help="the description to judge by (default: the bundled one)")
    parser.add_argument(
        "--request-timeout",
        type=float,
        default=REQUEST_TIMEOUT_SECONDS,
        metavar="SECONDS",
        help=f"longest wait for the target's answer; then 502 (default: {REQUEST_TIMEOUT_SECONDS:g})",
    )
    parser.add_argument(
        "--max-body-bytes",
        type=int,
        default=MAX_RESPONSE_BYTES,
        metavar="BYTES",
        help=f"largest request or answer forwarded; a larger answer is a 502 (default: {MAX_RESPONSE_BYTES})",
    )
    parser.add_argument("--quiet", action="store_true", help="print no line per violation (the summary only)")
    parser.set_defaults(run=run)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LINE_MESSAGE else text[: LINE_MESSAGE - 1] + "…"


def violation_line(finding: Finding, exchange: Exchange) -> str:
    """The live line of one finding: rule, severity, METHOD path, message."""
    path = finding.path or exchange.url.split("://", 1)[-1].partition("/")[2].partition("?")[0]
    return (
        f"{finding.rule} [{finding.severity}] {exchange.method} {finding.path or '/' + path}: {_short(finding.message)}"
    )


def _validate(args: argparse.Namespace) -> None:
    if not args.target.startswith(("http://", "https://")):
        raise CliError(f"--target must be an http:// or https:// URL, got {args.target!r}")
    if not 0 <= args.port <= 65535:
        raise CliError(f"--port must be between 0 and 65535, got {args.port}")
    if not is_loopback(args.host) and not args.allow_remote_listen:
        raise CliError(
            f"--host {args.host} is not loopback: the proxy would forward anyone's requests to the target; "
            "give --allow-remote-listen if you mean it"
        )
    if args.request_timeout <= 0:
        raise CliError(f"--request-timeout must be positive, got {args.request_timeout:g}")
    if args.max_body_bytes <= 0:
        raise CliError(f"--max-body-bytes must be positive, got {args.max_body_bytes}")
    if args.report_dir is not None and args.report_dir.exists() and not args.report_dir.is_dir():
        raise CliError(f"--report-dir {args.report_dir}: exists and is not a folder")


def run(args: argparse.Namespace) -> int:
    _validate(args)

    def said(finding: Finding, exchange: Exchange) -> None:
        if not args.quiet:
            print(violation_line(finding, exchange), flush=True)

    def failed(line: str) -> None:
        print(f"u4b-vouchers proxy: {line}", file=sys.stderr, flush=True)

    observer: Observer | None = None
    forwarder: Forwarder | None = None
    with signals_handled() as stopping:
        try:
            try:
                judge = TrafficJudge(load_spec(args.spec) if args.spec else load_spec())
            except SpecError as exc:
                raise CliError(str(exc)) from None
            # The judge's thread holds the interpreter while it validates; the forwarding thread
            # waits for it at each await that wakes up. Hand it over more often than the default 5 ms.
            sys.setswitchinterval(SWITCH_INTERVAL)
            observer = Observer(judge, on_finding=said)
            forwarder = Forwarder(
                args.target, observer, max_bytes=args.max_body_bytes, timeout=args.request_timeout, on_failure=failed
            )
            _listen(args, forwarder, stopping)
        except Stopped:
            if forwarder is None:
                print(f"u4b-vouchers proxy stopped ({stopping.by}) before it listened", file=sys.stderr)
                return EXIT_OK
        finally:
            if observer is not None:
                observer.close()  # every exchange answered is judged before anything is written
    return _finish(args, judge, forwarder, stopping.by)


def _listen(args: argparse.Namespace, forwarder: Forwarder, stopping: object) -> None:
    sock, base_url = listen(args.host, args.port)
    try:
        print(f"u4b-vouchers proxy on {base_url} forwarding to {forwarder.target_url}", flush=True)
        config = uvicorn.Config(forwarder, log_level="warning", lifespan="on", server_header=False, date_header=False)
        server = Server(config)
        stopping.server = server  # type: ignore[attr-defined]
        server.run(sockets=[sock])
    finally:
        sock.close()


def _finish(args: argparse.Namespace, judge: TrafficJudge, forwarder: Forwarder, by: str) -> int:
    observer = forwarder.observer
    written: list[Path] = []
    if args.report_dir is not None:
        try:
            written = write_reports(args.report_dir, forwarder.target_url, judge, observer, forwarder.failures)
        except OSError as exc:
            raise CliError(f"{args.report_dir}: cannot write: {exc.strerror}") from None
    counts = summary(judge, observer.observed, forwarder.failures)
    findings = counts["findings"]
    line = (
        f"u4b-vouchers proxy stopped{f' ({by})' if by else ''}: {counts['exchanges']} exchange(s), "
        f"{findings[FAILURE]} failure(s), {findings[WARNING]} warning(s)"
    )
    if forwarder.failures:
        line += f", {forwarder.failures} request(s) not answered by the target (502)"
    if observer.observed.errors:
        line += f", {len(observer.observed.errors)} exchange(s) the judge could not read"
    if written:
        line += f"; wrote {', '.join(str(p) for p in written)}"
    print(line, flush=True)
    gate = blocking(judge.findings, args.fail_on)
    return EXIT_FINDINGS if gate or forwarder.failures else EXIT_OK
