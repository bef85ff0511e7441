"""Benchmark of the judging proxy (scripts/bench-proxy): the latency it adds.

One served emulator (`u4b-vouchers serve`, as a user starts it) and one `u4b-vouchers proxy`
in front of it (both subprocesses). Each round sends --requests requests of a realistic mix
(pages of guests, most of them; code generation; program updates), each one twice in turn:
straight to the emulator, then through the proxy (direct, proxied, direct, ...), each client
on its own keep-alive connection, one request at a time. The added latency of a round is the
proxied p50 (p99) less the direct p50 (p99) of that round; across --rounds the median is shown
with the min-max; so is each request's own cost, proxied less the direct call just before it
(its p50 and p99 are robust to a spike on one side only). At the end the proxy is stopped as a
user stops it, and its summary line says whether every proxied exchange was judged.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from benchmarks.emulator import percentile  # noqa: E402
from benchmarks.proxying import proxying  # noqa: E402
from benchmarks.serving import served  # noqa: E402

from u4b_vouchers.client import provider_for  # noqa: E402
from u4b_vouchers.profile import Profile  # noqa: E402

#: Of every 20 requests: guests pages, code generations, updates.
MIX = (("guests", 14), ("generate", 3), ("update", 3))


def requests_of(profile: Profile, count: int) -> list[tuple[str, str, str, dict[str, Any]]]:
    """``count`` requests of the mix: (kind, method, path, httpx options), in a fixed order."""
    programs = f"/v1/organizations/{profile.organization_id}/voucher-programs"
    fx = profile.fixtures
    made: dict[str, tuple[str, str, dict[str, Any]]] = {
        "guests": ("GET", f"{programs}/{fx['program_with_many_guests']}/guests", {"params": {"limit": 25}}),
        "generate": (
            "POST",
            f"{programs}/{fx['program_not_started_multi_code']}/codes/generate",
            {"json": {"number_of_codes": 1}},
        ),
        "update": (
            "PATCH",
            f"{programs}/{fx['program_not_started_single_code']}",
            {"json": {"expense_memo": "bench"}},
        ),
    }
    cycle = [kind for kind, weight in MIX for _ in range(weight)]
    return [(cycle[i % len(cycle)], *made[cycle[i % len(cycle)]]) for i in range(count)]


def timed(http: httpx.Client, method: str, url: str, options: dict[str, Any]) -> float:
    started = time.perf_counter()
    response = http.request(method, url, **options)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code >= 400:
        raise RuntimeError(f"{method} {url}: {response.status_code} {response.text[:200]}")
    return elapsed


def one_round(direct: httpx.Client, proxied: httpx.Client, base: str, proxy: str, mix: list[Any]) -> dict[str, Any]:
    times: dict[str, list[float]] = {"direct": [], "proxied": []}
    for _, method, path, options in mix:
        times["direct"].append(timed(direct, method, base + path, options))
        times["proxied"].append(timed(proxied, method, proxy + path, options))
    row: dict[str, Any] = {}
    for name, values in times.items():
        row[f"{name}_p50_ms"] = percentile(values, 0.5)
        row[f"{name}_p99_ms"] = percentile(values, 0.99)
    # each request's own cost: proxied less the direct call just before it (robust to a spike
    # that lands on one side only, which the difference of two p99s is not)
    paired = [p - d for d, p in zip(times["direct"], times["proxied"], strict=True)]
    row["paired_added_p50_ms"] = percentile(paired, 0.5)
    row["paired_added_p99_ms"] = percentile(paired, 0.99)
    row["added_p50_ms"] = row["proxied_p50_ms"] - row["direct_p50_ms"]
    row["added_p99_ms"] = row["proxied_p99_ms"] - row["direct_p99_ms"]
    row["ratio_p50"] = row["proxied_p50_ms"] / row["direct_p50_ms"]
    row["ratio_p99"] = row["proxied_p99_ms"] / row["direct_p99_ms"]
    return row


def spread(rows: list[dict[str, Any]], key: str) -> dict[str, float]:
    values = [row[key] for row in rows]
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=400, help="requests per round, each sent both ways")
    parser.add_argument("--rounds", type=int, default=5, help="rounds (default: 5)")
    parser.add_argument("--warmup", type=int, default=40, help="requests each way before the first round")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch, served(Path(scratch)) as profile:
        with httpx.Client() as http:
            token = provider_for(profile, "first_party").token(http)
        headers = {"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"}
        mix = requests_of(profile, args.requests)
        rows = []
        with (
            proxying(profile.base_url, ["--quiet"]) as proxy,
            httpx.Client(headers=headers) as direct,
            httpx.Client(headers=headers) as proxied,
        ):
            one_round(direct, proxied, profile.base_url, proxy.url, requests_of(profile, args.warmup))
            for number in range(1, args.rounds + 1):
                rows.append(one_round(direct, proxied, profile.base_url, proxy.url, mix))
                print(
                    f"bench: round {number}: +{rows[-1]['added_p50_ms']:.2f} ms p50, "
                    f"+{rows[-1]['added_p99_ms']:.2f} ms p99",
                    file=sys.stderr,
                )
        proxied_count = args.warmup + args.rounds * args.requests
    summary_line = proxy.stdout.splitlines()[-1] if proxy.stdout else ""
    report = {
        "requests_per_round": args.requests,
        "rounds": rows,
        "mix": dict(MIX),
        "added_p50_ms": spread(rows, "added_p50_ms"),
        "added_p99_ms": spread(rows, "added_p99_ms"),
        "paired_added_p50_ms": spread(rows, "paired_added_p50_ms"),
        "paired_added_p99_ms": spread(rows, "paired_added_p99_ms"),
        "ratio_p50": spread(rows, "ratio_p50"),
        "ratio_p99": spread(rows, "ratio_p99"),
        "direct_p50_ms": spread(rows, "direct_p50_ms"),
        "proxied_p50_ms": spread(rows, "proxied_p50_ms"),
        "proxied_requests": proxied_count,
        "judged_all": f": {proxied_count} exchange(s)," in summary_line,
        "proxy_exit": proxy.returncode,
        "proxy_summary": summary_line,
    }
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    a50, a99, r50 = report["added_p50_ms"], report["added_p99_ms"], report["ratio_p50"]
    print(f"Proxy overhead, {args.rounds} round(s) of {args.requests} requests each way (mix {dict(MIX)}):")
    direct_p50, proxied_p50 = report["direct_p50_ms"]["median"], report["proxied_p50_ms"]["median"]
    print(f"  direct p50 {direct_p50:.2f} ms, proxied p50 {proxied_p50:.2f} ms")
    q50, q99 = report["paired_added_p50_ms"], report["paired_added_p99_ms"]
    print(
        f"  per request (proxied less the direct call before it): p50 +{q50['median']:.2f} ms "
        f"({q50['min']:.2f}-{q50['max']:.2f}), p99 +{q99['median']:.2f} ms ({q99['min']:.2f}-{q99['max']:.2f})"
    )
    print(f"  every proxied exchange judged: {report['judged_all']} ({summary_line})")
    print(
        f"README: the proxy adds {a50['median']:.2f} ms at p50 ({a50['min']:.2f}-{a50['max']:.2f}) and "
        f"{a99['median']:.2f} ms at p99 ({a99['min']:.2f}-{a99['max']:.2f}) to a served emulator's answers, "
        f"{r50['median']:.2f}x the direct p50 ({r50['min']:.2f}-{r50['max']:.2f}), "
        f"{args.rounds} rounds of {args.requests} requests (scripts/bench-proxy)"
    )
    return 0 if report["judged_all"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
