"""``u4b-vouchers serve``: run the emulator over HTTP (uvicorn).

SIGINT and SIGTERM stop it the same way, with exit 0: uvicorn stops taking connections and
finishes the requests under way, then the emulator's database is closed (a ``--state`` file is
checkpointed: no ``-wal`` or ``-shm`` file is left beside it) and one line says it stopped. A
second signal during that shutdown stops waiting for open connections.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import uvicorn

from ..emulator import (
    FAULT_FLAGS,
    Emulator,
    ReadingError,
    SeedError,
    StateError,
    known_readings,
    parse_assignments,
)
from ..profile import dump_profile
from ..spec import Spec, load_spec
from .emulated import profile_of
from .errors import EXIT_OK, EXIT_USAGE, CliError, exit_codes_epilog
from .listening import Server, Stopped, Stopping, is_loopback, listen, signals_handled

NAME = "serve"
HELP = "run the stateful emulator of the Vouchers API over HTTP"
EPILOG = exit_codes_epilog(
    {
        EXIT_OK: "stopped by SIGINT (Ctrl+C) or SIGTERM, state saved; or --list-readings, --list-fault-flags",
        EXIT_USAGE: "bad input (an option, the seed data, the state file), or the port cannot be listened on",
    }
)
LOG_LEVELS = ("critical", "error", "warning", "info", "debug")
#: What the deprecated ``--seed`` prints (it clashed with ``check --seed``, an integer).
SEED_RENAMED = "u4b-vouchers: warning: serve --seed is now --seed-data"


class _DeprecatedSeed(argparse.Action):
    """``--seed``, hidden from ``--help``: warns on standard error and sets ``--seed-data``."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        print(SEED_RENAMED, file=sys.stderr)
        setattr(namespace, self.dest, values)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        NAME, help=HELP, description=HELP, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    parser.add_argument(
        "--seed-data",
        default="demo",
        metavar="NAME|FILE",
        help="the data the emulator starts with: a built-in seed (demo) or a YAML seed file (default: demo)",
    )
    parser.add_argument("--seed", dest="seed_data", action=_DeprecatedSeed, help=argparse.SUPPRESS)
    parser.add_argument("--state", type=Path, help="keep all state in this SQLite file (default: in memory)")
    parser.add_argument(
        "--write-profile",
        type=Path,
        metavar="FILE",
        help="write a target profile for this emulator",
    )
    parser.add_argument("--no-control", action="store_true", help="leave out the /__emulator control plane")
    parser.add_argument(
        "--control-token",
        metavar="TOKEN",
        help="control-plane requests must carry Authorization: Bearer TOKEN (needed to serve the control "
        "plane on an address other than loopback)",
    )
    parser.add_argument(
        "--control-token-env",
        metavar="VAR",
        help="as --control-token, with the token read from environment variable VAR (kept off the command line)",
    )
    parser.add_argument(
        "--reading",
        action="append",
        default=[],
        metavar="NAME[=VALUE]",
        help="take this reading of the documents instead of the default (repeatable; see --list-readings)",
    )
    parser.add_argument(
        "--list-readings",
        action="store_true",
        help="list every reading (the choices the documents leave to a server) and exit",
    )
    parser.add_argument(
        "--fault-flag",
        action="append",
        default=[],
        metavar="NAME",
        help="drift from the documents by this fault flag from the start (repeatable; see --list-fault-flags)",
    )
    parser.add_argument(
        "--list-fault-flags",
        action="store_true",
        help="list every fault flag (its name, the rule it breaks, its severity, what it does) and exit",
    )
    parser.add_argument(
        "--log-level",
        default="warning",
        choices=LOG_LEVELS,
        metavar="LEVEL",
        help=f"uvicorn's log level: {', '.join(LOG_LEVELS)} (default: warning)",
    )
    parser.set_defaults(run=run)


def list_readings(spec: Spec) -> str:
    lines = []
    for reading in known_readings(spec).values():
        values = [f"[{v}]" if v == reading.default else v for v in reading.values]
        if reading.numeric:
            values.append("N")
        lines.append(f"{reading.name}={'|'.join(values)}")
        lines.append(f"    {reading.summary} ({', '.join(reading.decisions) or 'no decision'})")
    return "\n".join(lines)


def list_fault_flags() -> str:
    lines = []
    for name, flag in FAULT_FLAGS.items():
        lines.append(f"{name}  breaks {flag.expected} ({flag.severity})")
        lines.append(f"    {flag.description}")
    return "\n".join(lines)


def _fault_flags(names: list[str]) -> list[str]:
    unknown = [name for name in dict.fromkeys(names) if name not in FAULT_FLAGS]
    if unknown:
        plural = "s" if len(unknown) > 1 else ""
        raise CliError(f"unknown fault flag{plural} {', '.join(unknown)} (serve --list-fault-flags lists them)")
    return list(dict.fromkeys(names))


def _readings(items: list[str], spec: Spec) -> dict[str, str]:
    try:
        return parse_assignments(items, known_readings(spec))
    except ReadingError as exc:
        raise CliError(str(exc)) from None


def control_token(args: argparse.Namespace) -> str | None:
    """The control token from --control-token or --control-token-env; a refusal when the control
    plane would be served beyond loopback without one."""
    if args.control_token is not None and args.control_token_env is not None:
        raise CliError("give --control-token or --control-token-env, not both")
    token: str | None = args.control_token
    if args.control_token_env is not None:
        token = os.environ.get(args.control_token_env)
        if not token:
            raise CliError(f"--control-token-env {args.control_token_env}: the variable is not set or empty")
    if token is not None and (not token.strip() or not token.isprintable() or not token.isascii()):
        raise CliError("the control token must be printable ASCII, not empty")
    if token is None and not args.no_control and not is_loopback(args.host):
        raise CliError(
            f"--host {args.host} is not loopback: the control plane would be open to the network; "
            "give --control-token TOKEN (or --control-token-env VAR), or --no-control"
        )
    return token


def _announce(args: argparse.Namespace, base_url: str, readings: dict[str, str], flags: list[str]) -> None:
    """What is served where, on stderr."""
    state = str(args.state) if args.state else "in memory"
    print(f"u4b-vouchers emulator on {base_url} (seed data {args.seed_data}, state {state})", file=sys.stderr)
    if readings:
        chosen = ", ".join(f"{name}={value}" for name, value in readings.items())
        print(f"readings: {chosen}", file=sys.stderr)
    if flags:
        print(f"fault flags: {', '.join(flags)} (drifting from the documents)", file=sys.stderr)
    if not args.no_control:
        guarded = " (needs the control token)" if args.control_token or args.control_token_env else ""
        print(
            f"control plane: {base_url}/__emulator{guarded} (description at /__emulator/openapi.yaml)",
            file=sys.stderr,
        )
    if args.write_profile is not None:
        print(f"profile: {args.write_profile}", file=sys.stderr)
        if args.control_token and not args.no_control:
            print(
                "note: the profile names no control token (it never holds one); serve with "
                "--control-token-env VAR so that it names the variable",
                file=sys.stderr,
            )


def run(args: argparse.Namespace) -> int:
    with signals_handled() as stopping:
        try:
            return _run(args, stopping)
        except Stopped:
            print(f"u4b-vouchers emulator stopped ({stopping.by}) before it served", file=sys.stderr)
            return EXIT_OK


def _run(args: argparse.Namespace, stopping: Stopping) -> int:
    if args.list_fault_flags:
        print(list_fault_flags())
        return EXIT_OK
    flags = _fault_flags(args.fault_flag)
    spec = load_spec()  # once: the readings are checked against it and the emulator runs on it
    if args.list_readings:
        print(list_readings(spec))
        return EXIT_OK
    readings = _readings(args.reading, spec)
    if not 0 <= args.port <= 65535:
        raise CliError(f"--port must be between 0 and 65535, got {args.port}")
    token = control_token(args)
    if args.state is not None and args.state.is_dir():
        raise CliError(f"--state {args.state}: is a directory, not a file")
    try:
        emulator = Emulator(
            spec=spec,
            seed=args.seed_data,
            state=args.state,
            control_plane=not args.no_control,
            readings=readings,
            control_token=token,
        )
    except (SeedError, StateError) as exc:
        raise CliError(str(exc)) from None
    try:
        _serve(args, emulator, stopping, readings, flags)
    finally:
        emulator.close()  # a --state file is checkpointed: no -wal or -shm is left beside it
    print(f"u4b-vouchers emulator stopped{f' ({stopping.by})' if stopping.by else ''}", file=sys.stderr)
    return EXIT_OK


def _serve(
    args: argparse.Namespace, emulator: Emulator, stopping: Stopping, readings: dict[str, str], flags: list[str]
) -> None:
    """Listen, write the profile, serve until a signal."""
    if flags:
        emulator.set_switches(fault_flags=flags)
    # Listening before the profile is written: from the moment the profile exists, connections
    # are queued until the server takes them, never refused.
    sock, base_url = listen(args.host, args.port)
    try:
        if args.write_profile is not None:
            _write_profile(args, emulator, base_url)
        _announce(args, base_url, readings, flags)
        server = Server(uvicorn.Config(emulator.app, log_level=args.log_level, lifespan="off"))
        stopping.server = server  # from now on a signal asks the server to shut down
        server.run(sockets=[sock])
    finally:
        sock.close()


def _write_profile(args: argparse.Namespace, emulator: Emulator, base_url: str) -> None:
    try:
        args.write_profile.parent.mkdir(parents=True, exist_ok=True)
        partial = args.write_profile.with_name(f".{args.write_profile.name}.partial")
        written = profile_of(emulator, base_url, control_token_env=args.control_token_env)
        partial.write_text(dump_profile(written), encoding="utf-8")
        partial.replace(args.write_profile)  # whole or absent, for anyone polling for it
    except OSError as exc:
        raise CliError(f"{args.write_profile}: cannot write the profile: {exc.strerror}") from None
