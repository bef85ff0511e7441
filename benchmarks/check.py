"""Benchmark of the contract suites (scripts/bench-check).

1. `u4b-vouchers check` against the embedded emulator, in-process: wall time, requests and
   generated test cases per second, over several seeds.
2. Time to detect, for every emulator fault flag: `u4b-vouchers serve --fault-flag NAME
   --no-control` in a subprocess, the whole gate over HTTP with the profile it writes (as a user
   runs it against a target), and the requests and seconds until the first finding at the
   flag's rule and severity. The three flags whose drift only the control plane provokes (a
   server error, throttling, codes still being generated) run with it, and are shown apart.
   The median and maximum over all flags are compared with the goals: every flag within
   120 s, the median within 5 s and 200 requests.
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

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from benchmarks.serving import NotServing, served  # noqa: E402
from contract_tests import RunOptions, Target, run_suites  # noqa: E402

from u4b_vouchers.cli import profile_of  # noqa: E402
from u4b_vouchers.client import SyncASGITransport  # noqa: E402
from u4b_vouchers.emulator import FAULT_FLAGS, Emulator  # noqa: E402
from u4b_vouchers.spec import load_spec  # noqa: E402

SPEC = load_spec()
#: Flags whose drift shows only under conditions the control plane provokes on demand.
NEEDS_CONTROL = frozenset({"server-error-as-text", "rate-limit-bad-retry-after", "ignore-generation-in-progress"})
GOAL_MAX_S, GOAL_MEDIAN_S, GOAL_MEDIAN_REQUESTS = 120.0, 5.0, 200


def embedded() -> tuple[Emulator, Target]:
    emulator = Emulator(spec=SPEC, seed="demo")
    target = Target(profile_of(emulator, "http://emulator.embedded"), transport=SyncASGITransport(emulator.app))
    target.asgi_app = emulator.app
    return emulator, target


def full_runs(seeds: list[int], max_examples: int) -> list[dict[str, Any]]:
    rows = []
    for seed in seeds:
        emulator, target = embedded()
        started = time.perf_counter()
        run = run_suites(target, SPEC, RunOptions(seed=seed, max_examples=max_examples))
        wall = time.perf_counter() - started
        rows.append(
            {
                "seed": seed,
                "seconds": wall,
                "checks": len(run.results),
                "failures": len(run.failures),
                "warnings": len(run.warnings),
                "requests": run.requests,
                "cases": run.cases,
                "cases_per_second": run.cases / wall,
                "requests_per_second": run.requests / wall,
            }
        )
        print(f"bench: full run, seed {seed}: {wall:.1f} s", file=sys.stderr)
        target.close()
        emulator.close()
    return rows


def flag_run(name: str, max_examples: int, folder: Path) -> dict[str, Any]:
    """The whole gate over HTTP against an emulator with one fault flag; when, and after how
    many requests, the first finding at the flag's rule and severity came."""
    flag = FAULT_FLAGS[name]
    options = ["--fault-flag", name]
    with served(folder, options, control=name in NEEDS_CONTROL) as profile:
        target = Target(profile)
        started = time.perf_counter()
        try:
            run = run_suites(target, SPEC, RunOptions(max_examples=max_examples))
        finally:
            target.close()
        wall = time.perf_counter() - started
    hits = sorted(
        (f for f in run.findings if f.rule == flag.expected and f.severity == flag.severity),
        key=lambda f: f.request_index or 0,
    )
    first = hits[0] if hits else None
    print(f"bench: {name}: {'caught' if first else 'MISSED'}", file=sys.stderr)
    return {
        "flag": name,
        "rule": flag.expected,
        "severity": flag.severity,
        "control_plane": name in NEEDS_CONTROL,
        "caught": first is not None,
        "seconds_to_first_finding": first.seconds if first else None,
        "requests_to_first_finding": first.request_index if first else None,
        "by": first.check if first else None,
        "findings": len(run.findings),
        "run_seconds": wall,
        "run_requests": run.requests,
    }


def flag_runs(names: list[str], max_examples: int) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="bench-check-") as folder:
        return [flag_run(name, max_examples, Path(folder) / name) for name in names]


def _summary(rows: list[dict[str, Any]], title: str) -> list[str]:
    caught = [r for r in rows if r["caught"]]
    if not caught:
        return [f"{title}: none caught"]
    seconds = [r["seconds_to_first_finding"] for r in caught]
    requests = [r["requests_to_first_finding"] for r in caught]
    slowest = max(caught, key=lambda r: r["seconds_to_first_finding"])
    return [
        f"{title}: {len(caught)} of {len(rows)} caught; time to the first finding median "
        f"{statistics.median(seconds):.2f} s (max {max(seconds):.2f} s, {slowest['flag']}), requests median "
        f"{statistics.median(requests):.0f} (max {max(requests)})"
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=3, help="full runs with seeds 1..N (default 3)")
    parser.add_argument("--max-examples", type=int, default=10, help="as `check --max-examples` (default 10)")
    parser.add_argument("--no-flags", action="store_true", help="skip the per-flag runs")
    parser.add_argument("--flag", action="append", metavar="NAME", help="time only this flag (repeatable)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args()
    unknown = sorted(set(args.flag or ()) - set(FAULT_FLAGS))
    if unknown:
        parser.error(f"unknown fault flag(s): {', '.join(unknown)}")

    full = full_runs(list(range(1, args.seeds + 1)), args.max_examples) if args.seeds > 0 else []
    names = [] if args.no_flags else (args.flag or sorted(FAULT_FLAGS))
    flags = flag_runs(names, args.max_examples)
    median = statistics.median
    if full:
        seconds = [r["seconds"] for r in full]
        print(f"\n`check` on the embedded emulator, --max-examples {args.max_examples}, {len(full)} seeds:")
        print(
            f"  wall time median {median(seconds):.1f} s (range {min(seconds):.1f}-{max(seconds):.1f}), "
            f"{median(r['requests'] for r in full):.0f} requests, {median(r['cases'] for r in full):.0f} test cases, "
            f"{median(r['cases_per_second'] for r in full):.0f} test cases/s, "
            f"{sum(r['failures'] for r in full)} failures, {sum(r['warnings'] for r in full)} warnings"
        )
    if flags:
        print("\nTime to detect, over HTTP with a profile (the whole gate against `serve --fault-flag NAME`):")
        print(f"{'flag':<38} {'rule':<32} {'severity':<8} {'seconds':>8} {'requests':>9}  check")
        for row in flags:
            when = f"{row['seconds_to_first_finding']:.2f}" if row["caught"] else "missed"
            requests = row["requests_to_first_finding"] or "-"
            by = (row["by"] or "") + (" (control plane)" if row["control_plane"] else "")
            print(f"{row['flag']:<38} {row['rule']:<32} {row['severity']:<8} {when:>8} {requests:>9}  {by}")
        without = [r for r in flags if not r["control_plane"]]
        for line in _summary(flags, "all flags") + _summary(without, "without the control plane"):
            print(line)
        caught = [r for r in flags if r["caught"]]
        if caught and len(caught) == len(flags):
            seconds = [r["seconds_to_first_finding"] for r in caught]
            requests = [r["requests_to_first_finding"] for r in caught]
            met = (
                max(seconds) <= GOAL_MAX_S
                and median(seconds) <= GOAL_MEDIAN_S
                and median(requests) <= GOAL_MEDIAN_REQUESTS
            )
            print(
                f"goals (every flag within {GOAL_MAX_S:.0f} s, median within {GOAL_MEDIAN_S:.0f} s and "
                f"{GOAL_MEDIAN_REQUESTS} requests): {'met' if met else 'NOT met'}"
            )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"full_runs": full, "flags": flags}, indent=2))


if __name__ == "__main__":
    try:
        main()
    except NotServing as exc:
        raise SystemExit(f"bench: {exc}") from None
