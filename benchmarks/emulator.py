"""Benchmark of the emulator (scripts/bench-emulator).

1. Throughput and latency of each of the four operations over HTTP on loopback, against a bare
   Starlette + uvicorn `GET /ping` served the same way (one uvicorn worker) in the same run: the
   ratio to that baseline is what to compare between machines. The load comes from wrk (same
   threads, connections and duration for every row; keep-alive; request bodies and the token
   from a generated Lua script). Without wrk on PATH (or with --no-wrk) it comes from a small
   in-Python generator instead (--requests per row). With Prism installed
   (node_modules/.bin/prism, or --prism PATH), Prism's mock of openapi/vouchers.yaml is a peer
   row on the guests endpoint. --rounds N repeats the rows, baseline and operations
   interleaved in each round; the ratio is then the median with the min-max across rounds.
   Before each emulator row the emulator is reset to its seed (POST /__emulator/reset).
2. With --profile: the guests and update rows again, the emulator in-process under cProfile
   while the same load runs; the top entries by cumulative time.
3. In-process, through the emulator's ASGI app without a socket: guest-page latency at the
   start, middle and end of a 1,000-guest and a --big-guest program (paging must stay flat),
   time to generate 30,000 codes, and memory for the big program. --http-only skips them.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import json
import math
import os
import pstats
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import uvicorn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from u4b_vouchers.emulator import Emulator, read_seed  # noqa: E402
from u4b_vouchers.profile import load_profile  # noqa: E402

DAY = 86_400_000
#: The demo seed's first-party client (README, Quick start), used when the profile lacks it.
CLIENT_ID, CLIENT_SECRET = "demo-first-party", "demo-first-party-secret"
#: Codes one program may hold (GEN-TOTAL-CODES-MAX), and a rate no generate row reaches on
#: loopback: the generate row rotates over enough programs to stay under the quota at that rate.
CODES_PER_PROGRAM = 30_000
RATE_CEILING = 20_000

#: Row keys in table order: the baseline first, then the four operations, then the peer.
LABELS = {
    "bare": "bare Starlette GET /ping (baseline)",
    "guests": "Get Voucher Program Guest Info (limit=10)",
    "update": "Update Voucher Program (name)",
    "generate": "Generate Voucher Codes (1 code)",
    "create": "Create Individual Voucher Program",
    "prism_guests": "Prism mock: Get Guest Info (peer)",
}


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# ------------------------------------------------------------------ servers


@contextlib.contextmanager
def server(
    command: list[str], ready: str, *, name: str, logs: Path, timeout: float = 60
) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``command`` until the block ends; ready once ``ready`` answers any HTTP status.
    Its output goes to ``logs`` (a pipe nobody reads would stall it under load)."""
    with logs.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, cwd=ROOT)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                output = logs.read_text(errors="replace").strip()
                raise SystemExit(f"bench: {name} exited with {process.returncode} at start: {output[-2000:]}")
            try:
                httpx.get(ready, timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"bench: {name} did not answer {ready} within {timeout:.0f} s") from None
                time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def serve_emulator(scratch: Path) -> tuple[contextlib.AbstractContextManager[Any], Path]:
    profile = scratch / "emulator.toml"
    port = free_port()
    command = [
        str(ROOT / ".venv" / "bin" / "u4b-vouchers"),
        "serve",
        "--seed-data",
        "demo",
        "--port",
        str(port),
        "--write-profile",
        str(profile),
    ]
    if not Path(command[0]).exists():  # a virtualenv elsewhere: the same command, by module
        command[:1] = [sys.executable, "-m", "u4b_vouchers.cli.main"]
    ready = f"http://127.0.0.1:{port}/__emulator/health"
    return server(command, ready, name="the emulator", logs=scratch / "emulator.log"), profile


def serve_bare(scratch: Path) -> tuple[contextlib.AbstractContextManager[Any], str]:
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "benchmarks.bare_app:app", "--port", str(port)]
    command += ["--log-level", "warning"]
    base = f"http://127.0.0.1:{port}"
    return server(command, f"{base}/ping", name="the bare Starlette server", logs=scratch / "bare.log"), base


def serve_prism(prism: Path, scratch: Path) -> tuple[contextlib.AbstractContextManager[Any], str]:
    port = free_port()
    # Request logging off (warnings stay), as the emulator and the baseline run without access logs.
    command = [str(prism), "mock", "-h", "127.0.0.1", "-p", str(port), "--verboseLevel", "warn"]
    command.append(str(ROOT / "openapi" / "vouchers.yaml"))
    base = f"http://127.0.0.1:{port}"
    return server(command, f"{base}/", name="Prism", logs=scratch / "prism.log", timeout=120), base


def serve_profiled(scratch: Path) -> tuple[contextlib.AbstractContextManager[Any], str]:
    port = free_port()
    command = [sys.executable, str(Path(__file__).resolve()), "--serve-profiled", str(port)]
    base = f"http://127.0.0.1:{port}"
    ready = f"{base}/__emulator/health"
    return server(command, ready, name="the profiled emulator", logs=scratch / "profiled.log"), base


# ------------------------------------------------------------------ what each row sends


@dataclass
class Load:
    """What one row sends: one method, one or several paths (taken in turn), one body."""

    base: str
    method: str
    paths: list[str]
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None


class Target:
    """The emulator over HTTP, through its public interfaces only: the profile ``serve``
    writes, the vendor's paths, ``/oauth/v2/token`` and ``/__emulator/reset``."""

    def __init__(self, base: str, profile_path: Path | None):
        self.base = base
        self.http = httpx.Client(base_url=base, timeout=30)
        client_id, secret = CLIENT_ID, CLIENT_SECRET
        fixtures: dict[str, str] = {}
        org = ""
        if profile_path is not None:
            profile = load_profile(profile_path)
            fixtures, org = profile.fixtures, profile.organization_id
            first = profile.identity("first_party")
            if first is not None and first.client_id and first.client_secret:
                client_id, secret = first.client_id, first.client_secret
        else:  # the profiled in-process emulator writes no profile: the demo seed's own
            described = read_seed("demo")["profile"]
            fixtures, org = described["fixtures"], described["organization_id"]
        self.client = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
        self.fixtures, self.org = fixtures, org
        self.programs = f"/v1/organizations/{org}/voucher-programs"

    def check(self, response: httpx.Response, what: str) -> httpx.Response:
        if response.status_code >= 300:
            raise SystemExit(f"bench: {what} got {response.status_code}: {response.text[:500]}")
        return response

    def fresh(self) -> dict[str, str]:
        """Reset to the seed, then a client-credentials token: every row starts from the same state."""
        self.check(self.http.post("/__emulator/reset"), "POST /__emulator/reset")
        response = self.check(self.http.post("/oauth/v2/token", data=self.client), "POST /oauth/v2/token")
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    def create_body(self) -> dict[str, Any]:
        now = int(self.check(self.http.get("/__emulator/clock"), "GET /__emulator/clock").json()["now_ms"])
        fx = self.fixtures
        return {
            "template_uuid": fx["template_active"],
            "program_uuid": fx["template_active_program_uuid"],
            "owner_uuid": fx["template_active_owner_uuid"],
            "owner_type": "ORGANIZATION",
            "name": fx["template_active_name"],
            "display_name": "Bench",
            "email_address": "bench@example.com",
            "starts_at": now + DAY,
            "ends_at": now + 30 * DAY,
        }

    def load(self, key: str, expected_requests: float) -> Load:
        headers = self.fresh()
        fx = self.fixtures
        if key == "guests":
            path = f"{self.programs}/{fx['program_with_many_guests']}/guests?limit=10"
            return Load(self.base, "GET", [path], headers)
        if key == "update":
            # `name` has no increase-only or before-start rule: the same body stays valid forever.
            path = f"{self.programs}/{fx['program_not_started_multi_code']}"
            return Load(self.base, "PATCH", [path], headers, {"name": "Bench program"})
        if key == "create":
            path = f"/v1/organizations/{self.org}/individual_voucher_program/create"
            return Load(self.base, "POST", [path], headers, self.create_body())
        if key == "generate":
            # Fresh multi-code programs (Create makes MULTI_CODE_SINGLE_REDEEM ones, D-055), enough
            # of them that, taken in turn, none reaches the 30,000-code quota.
            count = max(2, math.ceil(expected_requests / (CODES_PER_PROGRAM - 1)) + 1)
            create = f"/v1/organizations/{self.org}/individual_voucher_program/create"
            body = self.create_body()
            ids = [
                self.check(self.http.post(create, json=body, headers=headers), "create").json()["campaign_uuid"]
                for _ in range(count)
            ]
            paths = [f"{self.programs}/{program}/codes/generate" for program in ids]
            return Load(self.base, "POST", paths, headers, {"number_of_codes": 1})
        raise ValueError(key)

    def refusals(self, key: str) -> Counter[str]:
        """What the emulator's request log says about the refused calls of the last row."""
        operation = {
            "guests": "getVoucherProgramGuestInfo",
            "update": "updateVoucherProgram",
            "generate": "generateVoucherCodes",
            "create": "createIndividualVoucherProgram",
        }[key]
        try:  # a diagnosis only: the failures are counted from the load generator's own output
            entries = self.http.get("/__emulator/requests", params={"limit": 10_000}).json()["requests"]
            return Counter(
                f"{e['status']} {e.get('rule') or ''}".strip()
                for e in entries
                if e.get("operation") == operation and e["status"] >= 400
            )
        except (httpx.HTTPError, ValueError, KeyError, TypeError):
            return Counter()


def prism_load(base: str, target: Target) -> Load:
    path = f"{target.programs}/{target.fixtures['program_with_many_guests']}/guests?limit=10"
    return Load(base, "GET", [path], {"Authorization": "Bearer bench"})


# ------------------------------------------------------------------ wrk


def lua_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def wrk_script(load: Load) -> str:
    lines = [f"wrk.method = {lua_string(load.method)}"]
    for name, value in load.headers.items():
        lines.append(f"wrk.headers[{lua_string(name)}] = {lua_string(value)}")
    if load.body is not None:
        lines.append('wrk.headers["Content-Type"] = "application/json"')
        lines.append(f"wrk.body = {lua_string(json.dumps(load.body, separators=(',', ':')))}")
    if len(load.paths) > 1:  # several paths: taken in turn (a request() function per request)
        lines.append("local paths = {" + ", ".join(lua_string(p) for p in load.paths) + "}")
        lines += [
            "local turn = 0",
            "request = function()",
            "  turn = turn % #paths + 1",
            "  return wrk.format(nil, paths[turn])",
            "end",
        ]
    return "\n".join(lines) + "\n"


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}
TIME = r"([\d.]+)(us|ms|s|m|h)"


def milliseconds(value: str, unit: str) -> float:
    return float(value) * UNITS[unit]


def parse_wrk(output: str) -> dict[str, Any]:
    """Figures from the text wrk prints with --latency."""

    def find(pattern: str) -> re.Match[str]:
        match = re.search(pattern, output, re.MULTILINE)
        if match is None:
            raise ValueError(f"no match for {pattern!r} in wrk's output:\n{output}")
        return match

    thread_latency = find(rf"^\s+Latency\s+{TIME}\s+{TIME}\s+{TIME}")
    p50, p99 = find(rf"^\s+50(?:\.0+)?%\s+{TIME}"), find(rf"^\s+99(?:\.0+)?%\s+{TIME}")
    total = find(r"^\s+(\d+) requests in ([\d.]+)(us|ms|s|m|h)")
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    socket_errors = (
        dict(zip(("connect", "read", "write", "timeout"), map(int, sockets.groups()), strict=True)) if sockets else {}
    )
    non_2xx_count = int(non_2xx.group(1)) if non_2xx else 0
    return {
        "requests": int(total.group(1)),
        "seconds": milliseconds(total.group(2), total.group(3)) / 1000,
        "rps": float(find(r"^Requests/sec:\s+([\d.]+)").group(1)),
        "mean_ms": milliseconds(*thread_latency.group(1, 2)),
        "p50_ms": milliseconds(*p50.group(1, 2)),
        "p99_ms": milliseconds(*p99.group(1, 2)),
        "max_ms": milliseconds(*thread_latency.group(5, 6)),
        "non_2xx": non_2xx_count,
        "socket_errors": socket_errors,
        "failures": non_2xx_count + sum(socket_errors.values()),
    }


@dataclass
class Wrk:
    executable: str
    threads: int
    connections: int
    duration: float
    scratch: Path

    def version(self) -> str:
        done = subprocess.run([self.executable, "-v"], capture_output=True, text=True, check=False)
        first = (done.stdout or done.stderr).strip().splitlines()
        return " ".join(first[0].split()[:2]) if first else "wrk"

    def run(self, load: Load, seconds: float, name: str) -> dict[str, Any]:
        script = self.scratch / f"{name}.lua"
        script.write_text(wrk_script(load))
        command = [
            self.executable,
            f"--threads={min(self.threads, self.connections)}",
            f"--connections={self.connections}",
            f"--duration={max(1, round(seconds))}s",
            "--latency",
            f"--script={script}",
            load.base + load.paths[0],
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=seconds + 60)
        if done.returncode != 0:
            raise SystemExit(f"bench: wrk failed ({done.returncode}): {done.stderr or done.stdout}")
        figures = parse_wrk(done.stdout)
        figures["wrk_output"] = done.stdout
        return figures


# ------------------------------------------------------------------ the in-Python load generator


class Connection:
    """A minimal HTTP/1.1 keep-alive client: the load generator must outrun the server, and
    httpx tops out well below what a bare Starlette endpoint serves on this machine."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, raw: bytes) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(raw)
        status_line = await self.reader.readline()
        length = 0
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if length:
            await self.reader.readexactly(length)
        return int(status_line.split()[1])

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def raw_requests(load: Load, count: int) -> list[bytes]:
    host = load.base.split("://", 1)[1]
    payload = json.dumps(load.body).encode() if load.body is not None else b""
    built = []
    for path in load.paths:
        lines = [f"{load.method} {path} HTTP/1.1", f"Host: {host}", f"Content-Length: {len(payload)}"]
        if load.body is not None:
            lines.append("Content-Type: application/json")
        lines += [f"{k}: {v}" for k, v in load.headers.items()]
        built.append(("\r\n".join(lines) + "\r\n\r\n").encode() + payload)
    return [built[i % len(built)] for i in range(count)]


async def python_load(base: str, requests: list[bytes], concurrency: int) -> dict[str, Any]:
    host, port = base.split("://", 1)[1].rsplit(":", 1)
    latencies: list[float] = []
    failures = 0
    queue = list(reversed(requests))

    async def worker() -> None:
        nonlocal failures
        connection = Connection(host, int(port))
        try:
            while queue:
                raw = queue.pop()
                started = time.perf_counter()
                status = await connection.request(raw)
                latencies.append(time.perf_counter() - started)
                failures += status >= 400
        finally:
            connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "seconds": elapsed,
        "rps": len(latencies) / elapsed,
        "mean_ms": statistics.fmean(latencies) * 1000,
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "max_ms": max(latencies) * 1000,
        "non_2xx": failures,
        "socket_errors": {},
        "failures": failures,
    }


@dataclass
class PythonLoad:
    requests: int
    concurrency: int

    def run(self, load: Load, count: int) -> dict[str, Any]:
        return asyncio.run(python_load(load.base, raw_requests(load, count), self.concurrency))


# ------------------------------------------------------------------ the HTTP rows


class Driver:
    """One row's warm-up and measurement, with wrk or the in-Python generator."""

    def __init__(self, args: argparse.Namespace, scratch: Path):
        self.wrk = Wrk(args.wrk, args.threads, args.connections, args.duration, scratch) if args.wrk else None
        self.python = PythonLoad(args.requests, args.connections)
        self.warmup: float = args.warmup

    @property
    def expected_requests(self) -> float:
        if self.wrk is not None:
            return (self.wrk.duration + self.warmup) * RATE_CEILING
        return self.python.requests * 1.1 + 50

    def measure(self, load: Load, name: str) -> dict[str, Any]:
        if self.wrk is not None:
            if self.warmup > 0:
                self.wrk.run(load, self.warmup, f"{name}-warmup")
            return self.wrk.run(load, self.wrk.duration, name)
        count = self.python.requests
        self.python.run(load, max(50, count // 10))  # warm-up
        return self.python.run(load, count)

    def describe(self) -> str:
        if self.wrk is not None:
            w = self.wrk
            warmup = f"after {self.warmup:g} s of warm-up" if self.warmup else "no warm-up"
            return (
                f"{self.wrk.version()}, {min(w.threads, w.connections)} threads, {w.connections} connections, "
                f"{w.duration:g} s per row ({warmup}), keep-alive"
            )
        return f"in-Python load generator, {self.python.requests} requests per row, {self.python.concurrency} in flight"


def summarise(rounds: list[dict[str, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for key, label in LABELS.items():
        runs = [r[key] for r in rounds if key in r]
        if not runs:
            continue
        ratios = [run["ratio_to_baseline"] for run in runs]
        rows[key] = {
            "label": label,
            "rps": statistics.median(run["rps"] for run in runs),
            "p50_ms": statistics.median(run["p50_ms"] for run in runs),
            "p99_ms": statistics.median(run["p99_ms"] for run in runs),
            "max_ms": max(run["max_ms"] for run in runs),
            "ratio_to_baseline": statistics.median(ratios),
            "ratio_min": min(ratios),
            "ratio_max": max(ratios),
            "requests": sum(run["requests"] for run in runs),
            "failures": sum(run["failures"] for run in runs),
            "rounds": [{k: v for k, v in run.items() if k != "wrk_output"} for run in runs],
        }
    return rows


def http_benchmark(args: argparse.Namespace) -> dict[str, Any]:
    prism = Path(args.prism) if args.prism else ROOT / "node_modules" / ".bin" / "prism"
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        scratch = Path(tmp)
        driver = Driver(args, scratch)
        emulator_cm, profile_path = serve_emulator(scratch)
        bare_cm, bare_base = serve_bare(scratch)
        stack.enter_context(emulator_cm)
        stack.enter_context(bare_cm)
        target = Target(load_profile(profile_path).base_url, profile_path)
        prism_base = None
        if prism.exists():
            log(f"starting Prism ({prism})")
            prism_cm, prism_base = serve_prism(prism, scratch)
            stack.enter_context(prism_cm)
            prism_note = f"Prism peer: {prism}"
        else:
            prism_note = (
                f"Prism peer: skipped ({prism.relative_to(ROOT) if prism.is_relative_to(ROOT) else prism} "
                "not installed; install @stoplight/prism-cli outside package.json, or pass --prism PATH)"
            )
        rounds: list[dict[str, dict[str, Any]]] = []
        refusals: dict[str, dict[str, int]] = {}
        for number in range(1, args.rounds + 1):
            row: dict[str, dict[str, Any]] = {}
            for key, label in LABELS.items():
                if key == "bare":
                    load = Load(bare_base, "GET", ["/ping"])
                elif key == "prism_guests":
                    if prism_base is None:
                        continue
                    load = prism_load(prism_base, target)
                else:
                    load = target.load(key, driver.expected_requests)
                log(f"round {number}/{args.rounds}: {label}")
                row[key] = driver.measure(load, f"r{number}-{key}")
                if row[key]["failures"] and key not in {"bare", "prism_guests"}:
                    for outcome, n in target.refusals(key).items():
                        refusals.setdefault(key, {})[outcome] = refusals.get(key, {}).get(outcome, 0) + n
            baseline = row["bare"]["rps"]
            for value in row.values():
                value["ratio_to_baseline"] = value["rps"] / baseline if baseline else float("nan")
            rounds.append(row)
        return {
            "load_generator": "wrk" if driver.wrk is not None else "python",
            "load": driver.describe(),
            "settings": {
                "threads": args.threads,
                "connections": args.connections,
                "duration_s": args.duration,
                "warmup_s": args.warmup,
                "requests": args.requests,
                "rounds": args.rounds,
            },
            "prism": prism_note,
            "rows": summarise(rounds),
            "refusals": refusals,
            "wrk_output": {
                f"round {n} {key}": run.get("wrk_output", "")
                for n, r in enumerate(rounds, 1)
                for key, run in r.items()
                if "wrk_output" in run
            },
        }


def print_http(http: dict[str, Any], machine: dict[str, Any]) -> None:
    rounds = http["settings"]["rounds"]
    print(f"\nHTTP on loopback: {http['load']}; {rounds} round{'s' if rounds != 1 else ''}")
    print(f"({machine['cpus']} CPUs, Python {machine['python']}, load average {machine['loadavg']})")
    if rounds > 1:
        print("req/s, p50 and p99: median over rounds; max: over all rounds; vs bare: median (min-max).")
    width = max(len(label) for label in LABELS.values())
    header = f"{'endpoint':<{width}} | {'req/s':>8} | {'p50 ms':>7} | {'p99 ms':>7} | {'max ms':>7} | "
    header += f"{'vs bare':>16} | failures"
    print(header)
    print("-" * len(header))
    for row in http["rows"].values():
        ratio = f"{row['ratio_to_baseline']:.2f}"
        if rounds > 1:
            ratio += f" ({row['ratio_min']:.2f}-{row['ratio_max']:.2f})"
        figures = f"{row['rps']:>8,.0f} | {row['p50_ms']:>7.2f} | {row['p99_ms']:>7.2f} | {row['max_ms']:>7.1f}"
        print(f"{row['label']:<{width}} | {figures} | {ratio:>16} | {row['failures']:>8}")
    print(http["prism"])
    failed = {row["label"]: row["failures"] for row in http["rows"].values() if row["failures"]}
    if failed:
        print("FAILURES: " + "; ".join(f"{label}: {n} failed responses" for label, n in failed.items()))
        for key, outcomes in http["refusals"].items():
            seen = ", ".join(f"{n} x {outcome}" for outcome, n in outcomes.items())
            print(f"  {LABELS[key]}: last logged refusals: {seen}")
        print("These figures are not valid: a failing row measures refusals, not the operation.")


# ------------------------------------------------------------------ profiling


class ProfiledApp:
    """The emulator's ASGI app with two extra routes that start and stop cProfile (in the event
    loop's thread, where the handlers run): only the load is profiled, not the set-up."""

    def __init__(self, app: Any):
        self.app = app
        self.profiler: cProfile.Profile | None = None

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] in {"/__bench/profile/start", "/__bench/profile/stop"}:
            if scope["path"].endswith("start"):
                self.profiler = cProfile.Profile()
                self.profiler.enable()
            elif self.profiler is not None:
                self.profiler.disable()
                out = parse_qs(scope["query_string"].decode())["file"][0]
                self.profiler.dump_stats(out)
                self.profiler = None
            await send({"type": "http.response.start", "status": 204, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        await self.app(scope, receive, send)


def serve_profiled_emulator(port: int) -> None:
    """The emulator in this process (demo seed, one uvicorn worker as ``serve`` runs it)."""
    emulator = Emulator(seed="demo")
    app = ProfiledApp(emulator.app)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    try:
        uvicorn.Server(config).run()
    finally:
        emulator.close()


FRAMEWORK = ("/uvicorn/", "/starlette/", "/asyncio/", str(Path(__file__).resolve()))


def where(key: tuple[str, int, str]) -> str:
    file, line, name = key
    if file == "~":
        return name
    for prefix in ("site-packages/", str(ROOT / "src") + "/", str(ROOT) + "/"):
        if prefix in file:
            file = file.split(prefix, 1)[1]
            break
    else:
        file = re.sub(r"^.*/lib/python3\.\d+/", "", file)
    return f"{file}:{line}({name})"


def top_entries(
    path: Path, requests: int, sort: str, count: int, *, below_framework: bool = False
) -> list[dict[str, Any]]:
    stats: dict[tuple[str, int, str], tuple[int, int, float, float, Any]]
    stats = pstats.Stats(str(path)).stats  # type: ignore[attr-defined]
    index = 3 if sort == "cumulative" else 2
    ordered = sorted(stats.items(), key=lambda item: item[1][index], reverse=True)
    if below_framework:  # the server, the framework and the profiler's own wrapper left out
        ordered = [item for item in ordered if not any(part in item[0][0] for part in FRAMEWORK)]
    return [
        {
            "function": where(key),
            "calls": calls,
            "tottime_s": tottime,
            "cumtime_s": cumtime,
            "cum_us_per_request": cumtime / requests * 1e6 if requests else float("nan"),
            "calls_per_request": calls / requests if requests else float("nan"),
        }
        for key, (_, calls, tottime, cumtime, _) in ordered[:count]
    ]


def profile_benchmark(args: argparse.Namespace) -> dict[str, Any]:
    keep = Path(args.profile_dir) if args.profile_dir else None
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        scratch = Path(tmp)
        out_dir = keep or scratch
        out_dir.mkdir(parents=True, exist_ok=True)
        driver = Driver(args, scratch)
        profiled_cm, base = serve_profiled(scratch)
        stack.enter_context(profiled_cm)
        target = Target(base, None)
        results: dict[str, Any] = {"load": driver.describe()}
        for key in ("guests", "update"):
            load = target.load(key, driver.expected_requests)
            out = (out_dir / f"{key}.prof").resolve()
            if driver.wrk is not None and args.warmup > 0:
                driver.wrk.run(load, args.warmup, f"profile-{key}-warmup")
            log(f"profiling {LABELS[key]} under load")
            target.check(target.http.post("/__bench/profile/start"), "start the profiler")
            if driver.wrk is not None:
                figures = driver.wrk.run(load, driver.wrk.duration, f"profile-{key}")
            else:
                figures = driver.python.run(load, driver.python.requests)
            target.check(target.http.post("/__bench/profile/stop", params={"file": str(out)}), "stop the profiler")
            results[key] = {
                "label": LABELS[key],
                "requests": figures["requests"],
                "rps_under_profiler": figures["rps"],
                "failures": figures["failures"],
                "file": str(out) if keep else None,
                "top_cumulative": top_entries(out, figures["requests"], "cumulative", 15),
                "top_cumulative_below_framework": top_entries(
                    out, figures["requests"], "cumulative", 15, below_framework=True
                ),
                "top_tottime": top_entries(out, figures["requests"], "tottime", 10),
            }
        return results


def print_profile(profile: dict[str, Any]) -> None:
    print(f"\nProfile (cProfile, emulator in-process, one uvicorn worker; {profile['load']}):")
    for key in ("guests", "update"):
        result = profile[key]
        print(
            f"\n{result['label']}: {result['requests']:,} requests under the profiler "
            f"({result['rps_under_profiler']:,.0f} req/s, {result['failures']} failures)"
            + (f"; stats in {result['file']}" if result["file"] else "")
        )
        for title, entries in (
            ("top 15 by cumulative time", result["top_cumulative"]),
            ("top 15 by cumulative time below uvicorn and Starlette", result["top_cumulative_below_framework"]),
            ("top 10 by own time", result["top_tottime"]),
        ):
            print(f"  {title}:")
            print(f"  {'cum us/req':>10} {'own s':>7} {'cum s':>7} {'calls/req':>9}  function")
            for e in entries:
                print(
                    f"  {e['cum_us_per_request']:>10.1f} {e['tottime_s']:>7.3f} {e['cumtime_s']:>7.3f} "
                    f"{e['calls_per_request']:>9.2f}  {e['function']}"
                )


# ------------------------------------------------------------------ in-process
#
# Through the emulator's public surface only (`Emulator(seed=...)`, its ASGI `app`, `close()`,
# `read_seed`, the seed format's `generated_guests`, the vendor's paths and the control plane),
# called as ASGI directly, without a socket or an HTTP client: the figures are the emulator's
# own cost per call (routing, auth, validation, the store, SQLite, serialisation).


class InProcess:
    """An emulator in this process, called through its ASGI app."""

    def __init__(self, seed: dict[str, Any]):
        self.emulator = Emulator(seed=seed)
        self.app = self.emulator.app
        self.loop = asyncio.new_event_loop()
        described = seed["profile"]
        self.org = described["organization_id"]
        self.auth = ""
        status, body = self.call(
            "POST",
            "/oauth/v2/token",
            form={"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
        )
        assert status == 200, body
        self.auth = f"Bearer {json.loads(body)['access_token']}"

    async def asgi(
        self, method: str, path: str, query: str, headers: list[tuple[bytes, bytes]], body: bytes
    ) -> tuple[int, bytes]:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": [(b"host", b"emulator.test"), (b"content-length", str(len(body)).encode()), *headers],
            "client": ("127.0.0.1", 50000),
            "server": ("emulator.test", 80),
        }
        sent = False
        done = asyncio.Event()
        status = 0
        chunks: list[bytes] = []

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            await done.wait()
            return {"type": "http.disconnect"}

        async def send(message: MutableMapping[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body"):
                    done.set()

        await self.app(scope, receive, send)
        return status, b"".join(chunks)

    def call(
        self, method: str, path: str, *, query: str = "", json_body: Any = None, form: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        headers: list[tuple[bytes, bytes]] = []
        body = b""
        if json_body is not None:
            body = json.dumps(json_body).encode()
            headers.append((b"content-type", b"application/json"))
        elif form is not None:
            body = "&".join(f"{k}={v}" for k, v in form.items()).encode()
            headers.append((b"content-type", b"application/x-www-form-urlencoded"))
        if self.auth:
            headers.append((b"authorization", self.auth.encode()))
        return self.loop.run_until_complete(self.asgi(method, path, query, headers, body))

    def guests(self, program: str, limit: int, token: str | None) -> tuple[int, bytes]:
        query = f"limit={limit}" + (f"&page_token={token}" if token else "")
        return self.call("GET", f"/v1/organizations/{self.org}/voucher-programs/{program}/guests", query=query)

    def close(self) -> None:
        self.loop.close()
        self.emulator.close()


def page(status: int, body: bytes) -> tuple[int, str | None]:
    assert status == 200, body[:500]
    data = json.loads(body)
    return len(data["guests"]), data.get("next_token")


def token_at(emulator: InProcess, program: str, known: dict[int, str | None], target: int) -> str | None:
    """The page token after guest ``target``, from the nearest token the walk kept before it."""
    base = max(p for p in known if p <= target)
    if base == target:
        return known[base]
    count, token = page(*emulator.guests(program, target - base, known[base]))
    assert count == target - base
    assert token is not None
    return token


def paging_benchmark(sizes: list[int]) -> dict[str, Any]:
    seed = read_seed("demo")
    owner = seed["profile"]["organization_id"]
    programs = []
    for size in sizes:
        programs.append(
            {
                "id": f"bench-{size}",
                "org_id": owner,
                "code_scheme": "MULTI_CODE_SINGLE_REDEEM",
                "starts_at": "now-P1D",
                "ends_at": "now+P30D",
                "generated_guests": size,
            }
        )
    seed = {**seed, "programs": programs}
    before = rss_mb()
    log(f"seeding programs with {', '.join(f'{s:,}' for s in sizes)} guests")
    started = time.perf_counter()
    emulator = InProcess(seed)
    seeded_s = time.perf_counter() - started
    after = rss_mb()
    results: dict[str, Any] = {
        "seed_seconds": seeded_s,
        "rss_mb_before": before,
        "rss_mb_after": after,
    }
    for size in sizes:
        program = f"bench-{size}"
        # The page tokens of the middle and last pages, by walking the program once in big pages
        # (tokens are only issued by the API; the walk is timed as a figure of its own).
        step = max(10, min(1000, size // 10))
        log(f"walking the {size:,} guests, limit {step}")
        known: dict[int, str | None] = {0: None}
        position, token = 0, None
        started = time.perf_counter()
        while True:
            count, token = page(*emulator.guests(program, step, token))
            position += count
            if token is None:
                break
            known[position] = token
        walk_s = time.perf_counter() - started
        assert position == size, (position, size)

        positions = {"first page": 0, "middle page": size // 2, "last page": size - 10}
        row: dict[str, Any] = {}
        for label, seq in positions.items():
            token = token_at(emulator, program, known, seq)
            times = []
            for _ in range(300):
                started = time.perf_counter()
                status, body = emulator.guests(program, 10, token)
                times.append(time.perf_counter() - started)
            count, following = page(status, body)
            assert count == 10
            assert (following is None) == (label == "last page")
            row[label] = statistics.median(times) * 1000
        results[f"{size} guests"] = row
        results.setdefault("walk", {})[f"{size} guests"] = {"limit": step, "seconds": walk_s}
    emulator.close()
    return results


def generation_benchmark() -> dict[str, float]:
    seed = read_seed("demo")
    owner = seed["profile"]["organization_id"]
    seed = {
        **seed,
        "programs": [
            {
                "id": "gen",
                "org_id": owner,
                "code_scheme": "MULTI_CODE_SINGLE_REDEEM",
                "starts_at": "now-P1D",
                "ends_at": "now+P30D",
            }
        ],
    }
    emulator = InProcess(seed)
    log("generating 30,000 codes in one call")
    path = f"/v1/organizations/{owner}/voucher-programs/gen/codes/generate"
    started = time.perf_counter()
    status, body = emulator.call("POST", path, json_body={"number_of_codes": 30000})
    elapsed = time.perf_counter() - started
    assert status == 200, body[:500]
    status, body = emulator.call("GET", "/__emulator/programs/gen/codes", query="limit=40000")
    assert status == 200, body[:500]
    assert len({code["code_text"] for code in json.loads(body)["codes"]}) == 30000
    emulator.close()
    return {"seconds": elapsed, "codes_per_second": 30000 / elapsed}


def print_in_process(results: dict[str, Any], big: int) -> None:
    gen = results["generate_30000_codes"]
    rate = f"{gen['codes_per_second']:,.0f} codes/s"
    print(f"\nGenerate 30,000 codes (one call, in-process): {gen['seconds']:.2f} s ({rate})")
    paging = results["paging"]
    seeding = f"seeding took {paging['seed_seconds']:.1f} s"
    print(f"\nGuest page (limit 10), median of 300 calls, in-process through the ASGI app; {seeding}:")
    for key, row in paging.items():
        if key.endswith(" guests"):
            walk = paging["walk"][key]
            listing = f"; listing all of them (limit {walk['limit']}) {walk['seconds']:.2f} s"
            print(f"  {key:>18}: " + ", ".join(f"{label} {ms:.3f} ms" for label, ms in row.items()) + listing)
    before, after = paging["rss_mb_before"], paging["rss_mb_after"]
    print(
        f"Memory (RSS) before seeding {before:.0f} MB, after seeding {big + 1000:,} guests "
        f"{after:.0f} MB: {after - before:.0f} MB for them"
    )


# ------------------------------------------------------------------ main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument(
        "--connections", "--concurrency", type=int, default=32, help="connections, i.e. requests in flight (default 32)"
    )
    parser.add_argument("--duration", type=float, default=8, help="seconds of load per row with wrk (default 8)")
    parser.add_argument(
        "--warmup", type=float, default=1, help="seconds of warm-up before each row with wrk (default 1)"
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="rounds of all rows, for a spread (default 1; use 3 for figures)"
    )
    parser.add_argument(
        "--requests", type=int, default=3000, help="requests per row with the in-Python generator (default 3000)"
    )
    parser.add_argument("--no-wrk", action="store_true", help="use the in-Python load generator even if wrk is there")
    parser.add_argument(
        "--prism", metavar="PATH", help="Prism executable (default: node_modules/.bin/prism if present)"
    )
    parser.add_argument("--profile", action="store_true", help="also profile the guests and update rows (cProfile)")
    parser.add_argument("--profile-dir", metavar="DIR", help="keep the .prof files of --profile here")
    parser.add_argument(
        "--http-only", action="store_true", help="skip the in-process paging, generation and memory parts"
    )
    parser.add_argument("--big", type=int, default=1_000_000, help="guests in the large program (default 1,000,000)")
    parser.add_argument("--json", type=Path, help="also write every figure as JSON")
    parser.add_argument("--serve-profiled", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_profiled is not None:
        serve_profiled_emulator(args.serve_profiled)
        return 0
    if min(args.threads, args.connections, args.rounds, args.requests) < 1 or args.duration < 1 or args.warmup < 0:
        parser.error("--threads, --connections, --rounds, --requests and --duration must be at least 1")

    args.wrk = None if args.no_wrk else shutil.which("wrk")
    fallback = None
    if args.wrk is None:
        why = "--no-wrk" if args.no_wrk else "wrk not found on PATH"
        fallback = f"{why}: using the in-Python load generator (--requests {args.requests} per row) instead of wrk"
        log(fallback)

    machine = {
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "loadavg": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    results: dict[str, Any] = {"machine": machine, "http": http_benchmark(args)}
    if fallback:
        results["http"]["fallback"] = fallback
    if args.profile:
        results["profile"] = profile_benchmark(args)
    if not args.http_only:
        results["generate_30000_codes"] = generation_benchmark()
        results["paging"] = paging_benchmark([1000, args.big])

    if fallback:
        print(f"\n{fallback}")
    print_http(results["http"], machine)
    if args.profile:
        print_profile(results["profile"])
    if not args.http_only:
        print_in_process(results, args.big)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2))
    return 1 if any(row["failures"] for row in results["http"]["rows"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())
