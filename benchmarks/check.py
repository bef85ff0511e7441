"""Benchmark of the contract suites (scripts/bench-check).

1. `u4b-vouchers check` against the embedded emulator, in-process: wall time, requests and
   generated test cases per second, over several seeds.
2. For every emulator fault flag: a full run against the emulator with that flag set, and the
   time and number of requests until the suites first report the flag's rule as broken.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from contract_tests import RunOptions, Target, run_suites  # noqa: E402

from u4b_vouchers.cli import profile_of  # noqa: E402
from u4b_vouchers.client import SyncASGITransport  # noqa: E402
from u4b_vouchers.emulator import FAULT_FLAGS, Emulator  # noqa: E402
from u4b_vouchers.spec import load_spec  # noqa: E402

SPEC = load_spec()


def embedded(flags: tuple[str, ...] = ()) -> tuple[Emulator, Target]:
    emulator = Emulator(spec=SPEC, seed="demo")
    emulator.set_switches(fault_flags=flags)
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
                "findings": len(run.findings),
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


def flag_run(name: str, max_examples: int) -> dict[str, Any]:
    """A full run with one fault flag set; when, and after how many requests, it was caught."""
    flag = FAULT_FLAGS[name]
    emulator, target = embedded((name,))
    started = time.perf_counter()
    first: dict[str, Any] = {}
    run = run_suites(target, SPEC, RunOptions(max_examples=max_examples))
    caught = sorted(
        (f for f in run.findings if f.rule == flag.expected and f.request_index is not None),
        key=lambda f: f.request_index or 0,
    )
    if caught:
        first.update(seconds=caught[0].seconds, requests=caught[0].request_index, check=caught[0].check)
    target.close()
    emulator.close()
    print(f"bench: {name}: {'caught' if first else 'MISSED'}", file=sys.stderr)
    return {
        "flag": name,
        "rule": flag.expected,
        "caught": bool(first),
        "first_failure_s": first.get("seconds"),
        "requests_to_first_failure": first.get("requests"),
        "by": first.get("check"),
        "findings": len(run.findings),
        "run_seconds": time.perf_counter() - started,
    }


def flag_runs(max_examples: int) -> list[dict[str, Any]]:
    return [flag_run(name, max_examples) for name in FAULT_FLAGS]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=3, help="full runs with seeds 1..N (default 3)")
    parser.add_argument("--max-examples", type=int, default=10, help="as `check --max-examples` (default 10)")
    parser.add_argument("--no-flags", action="store_true", help="skip the per-flag runs")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args()

    full = full_runs(list(range(1, args.seeds + 1)), args.max_examples)
    flags = [] if args.no_flags else flag_runs(args.max_examples)
    median = statistics.median
    seconds = [r["seconds"] for r in full]
    print(f"\n`check` on the embedded emulator, --max-examples {args.max_examples}, {len(full)} seeds:")
    print(
        f"  wall time median {median(seconds):.1f} s (range {min(seconds):.1f}-{max(seconds):.1f}), "
        f"{median(r['requests'] for r in full):.0f} requests, {median(r['cases'] for r in full):.0f} test cases, "
        f"{median(r['cases_per_second'] for r in full):.0f} test cases/s, "
        f"findings {sum(r['findings'] for r in full)}"
    )
    if flags:
        caught = [r for r in flags if r["caught"]]
        print(f"\nFault flags caught: {len(caught)} of {len(flags)}")
        print(f"{'flag':<34} {'rule':<34} {'first failure':>13} {'requests':>9}  check")
        for row in flags:
            when = f"{row['first_failure_s']:.2f} s" if row["caught"] else "missed"
            requests = row["requests_to_first_failure"] or "-"
            print(f"{row['flag']:<34} {row['rule']:<34} {when:>13} {requests:>9}  {row['by'] or ''}")
        times = [r["first_failure_s"] for r in caught]
        if times:
            print(f"time to first failure: median {statistics.median(times):.2f} s, max {max(times):.2f} s")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"full_runs": full, "flags": flags}, indent=2))


if __name__ == "__main__":
    main()
