"""Benchmark of the emulator (scripts/bench-emulator).

1. Throughput and latency of each operation over HTTP on loopback, the load coming from this
   process and the server running in another, against a bare Starlette endpoint served the
   same way in the same run (the ratio is what to compare between machines).
2. Guest-page latency at the start, middle and end of a 1,000-guest and a 1,000,000-guest
   program (paging must stay flat), in-process.
3. Time to generate 30,000 codes, and memory for 1,000,000 guests.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from u4b_vouchers.emulator import Emulator, read_seed  # noqa: E402
from u4b_vouchers.emulator.auth import Principal  # noqa: E402
from u4b_vouchers.profile import load_profile  # noqa: E402

DAY = 86_400_000


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


# ------------------------------------------------------------------ servers


def start(command: list[str], ready_url: str | None, profile: Path | None) -> tuple[subprocess.Popen[bytes], str]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        base = load_profile(profile).base_url if profile is not None and profile.exists() else ready_url
        if base:
            try:
                httpx.get(f"{base}/__emulator/health" if profile else f"{base}/ping", timeout=1)
                return process, base
            except httpx.TransportError:
                pass
        time.sleep(0.1)
    process.kill()
    raise SystemExit("bench: a server did not start within 60 s")


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


def raw_request(
    base: str,
    method: str,
    url: str,
    headers: dict[str, str] | None = None,
    body: Any = None,
    *,
    params: dict[str, Any] | None = None,
) -> bytes:
    host = base.split("://", 1)[1]
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    payload = json.dumps(body).encode() if body is not None else b""
    lines = [f"{method} {url} HTTP/1.1", f"Host: {host}", f"Content-Length: {len(payload)}"]
    if body is not None:
        lines.append("Content-Type: application/json")
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


async def load(base: str, requests: list[bytes], concurrency: int) -> dict[str, float]:
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
        "failures": failures,
        "rps": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
    }


def http_benchmark(count: int, concurrency: int) -> dict[str, Any]:
    python = sys.executable
    with tempfile.TemporaryDirectory() as scratch:
        profile_path = Path(scratch) / "profile.toml"
        emulator, base = start(
            [
                python,
                "-m",
                "u4b_vouchers.cli.main",
                "serve",
                "--port",
                "0",
                "--write-profile",
                str(profile_path),
            ],
            None,
            profile_path,
        )
        bare_port = 18765 + os.getpid() % 1000
        bare, bare_base = start(
            [
                python,
                "-m",
                "uvicorn",
                "benchmarks.bare_app:app",
                "--port",
                str(bare_port),
                "--log-level",
                "warning",
            ],
            f"http://127.0.0.1:{bare_port}",
            None,
        )
        try:
            profile = load_profile(profile_path)
            first = profile.identity("first_party")
            assert first is not None
            token = httpx.post(
                profile.token_url,
                data={
                    "client_id": first.client_id,
                    "client_secret": first.client_secret,
                    "grant_type": "client_credentials",
                },
            ).json()["access_token"]
            headers = {"Authorization": f"Bearer {token}"}
            org = profile.organization_id
            fx = profile.fixtures
            now = int(time.time() * 1000)
            body = {
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
            programs = f"/v1/organizations/{org}/voucher-programs"
            guests = f"{programs}/{fx['program_with_many_guests']}/guests"
            update = f"{programs}/{fx['program_not_started_multi_code']}"
            generate = f"{programs}/{fx['program_started_multi_code']}/codes/generate"
            create = f"/v1/organizations/{org}/individual_voucher_program/create"
            cases = {
                "bare Starlette GET /ping (baseline)": (
                    bare_base,
                    [raw_request(bare_base, "GET", "/ping")] * count,
                ),
                "getVoucherProgramGuestInfo (limit 10)": (
                    base,
                    [raw_request(base, "GET", guests, headers, params={"limit": 10})] * count,
                ),
                "updateVoucherProgram": (
                    base,
                    [raw_request(base, "PATCH", update, headers, {"expense_memo": f"m{i}"}) for i in range(count)],
                ),
                "generateVoucherCodes (1 code)": (
                    base,
                    [raw_request(base, "POST", generate, headers, {"number_of_codes": 1})] * count,
                ),
                "createIndividualVoucherProgram": (
                    base,
                    [raw_request(base, "POST", create, headers, body)] * count,
                ),
            }
            results = {}
            for name, (target, requests) in cases.items():
                asyncio.run(load(target, requests[: max(50, count // 10)], concurrency))  # warm-up
                log(f"HTTP: {name} ({count} requests, {concurrency} concurrent)")
                results[name] = asyncio.run(load(target, requests, concurrency))
            baseline = results["bare Starlette GET /ping (baseline)"]["rps"]
            for value in results.values():
                value["ratio_to_baseline"] = value["rps"] / baseline
            return results
        finally:
            for process in (emulator, bare):
                process.terminate()
                process.wait(timeout=10)


# ------------------------------------------------------------------ in-process


def first_party(owner: str) -> Principal:
    """The demo's first-party caller, for calling the store directly."""
    scopes = frozenset({"organizations.voucher_programs"})
    return Principal("demo-first-party", "client_credentials", scopes, owner, None, False)


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
    emulator = Emulator(seed=seed)
    seeded_s = time.perf_counter() - started
    after = rss_mb()
    principal = first_party(owner)
    store = emulator.store
    results: dict[str, Any] = {
        "seed_seconds": seeded_s,
        "rss_mb_before": before,
        "rss_mb_after": after,
    }
    for size in sizes:
        program = f"bench-{size}"
        positions = {"first page": None, "middle page": size // 2, "last page": size - 10}
        row = {}
        for label, seq in positions.items():
            token = None
            if seq is not None:
                with emulator.db.transaction() as conn:
                    token = store._page_token(conn, program, seq)
            times = []
            for _ in range(300):
                started = time.perf_counter()
                page = store.get_voucher_program_guest_info(principal, owner, program, "10", token)
                times.append(time.perf_counter() - started)
                assert len(page["guests"]) == 10
            row[label] = statistics.median(times) * 1000
        results[f"{size} guests"] = row
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
    emulator = Emulator(seed=seed)
    principal = first_party(owner)
    log("generating 30,000 codes in one call")
    started = time.perf_counter()
    created = emulator.store.generate_voucher_codes(principal, owner, "gen", {"number_of_codes": 30000})
    elapsed = time.perf_counter() - started
    assert len({text for _, text in created}) == 30000
    emulator.close()
    return {"seconds": elapsed, "codes_per_second": 30000 / elapsed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=3000, help="requests per operation (default 3000)")
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight (default 16)")
    parser.add_argument("--big", type=int, default=1_000_000, help="guests in the large program (default 1,000,000)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args()

    results = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "http": http_benchmark(args.requests, args.concurrency),
        "generate_30000_codes": generation_benchmark(),
        "paging": paging_benchmark([1000, args.big]),
    }
    http = results["http"]
    print(
        f"\nHTTP on loopback, {args.requests} requests per row, {args.concurrency} in flight "
        f"({results['machine']['cpus']} CPUs, Python {results['machine']['python']}):"
    )
    print(f"{'endpoint':<42} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs bare':>8} {'errors':>7}")
    for name, row in http.items():
        figures = f"{row['rps']:>8.0f} {row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f}"
        print(f"{name:<42} {figures} {row['ratio_to_baseline']:>8.2f} {row['failures']:>7}")
    gen = results["generate_30000_codes"]
    rate = f"{gen['codes_per_second']:,.0f} codes/s"
    print(f"\nGenerate 30,000 codes (one call, in-process): {gen['seconds']:.2f} s ({rate})")
    paging = results["paging"]
    seeding = f"seeding took {paging['seed_seconds']:.1f} s"
    print(f"\nGuest page (limit 10), median of 300 calls, in-process; {seeding}:")
    for key, row in paging.items():
        if isinstance(row, dict):
            print(f"  {key:>18}: " + ", ".join(f"{label} {ms:.3f} ms" for label, ms in row.items()))
    before, after = paging["rss_mb_before"], paging["rss_mb_after"]
    print(
        f"Memory (RSS) before seeding {before:.0f} MB, after seeding {args.big + 1000:,} guests "
        f"{after:.0f} MB: {after - before:.0f} MB for them"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
