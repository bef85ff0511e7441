"""Benchmark of `u4b-vouchers diff` (scripts/bench-diff) on a large synthetic description."""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import build, revise  # noqa: E402


def timed_diff(base: Path, revision: Path) -> dict[str, float]:
    """One `u4b-vouchers diff` process: wall time and its peak memory."""
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = subprocess.run(
        [sys.executable, "-m", "u4b_vouchers.cli.main", "diff", str(base), str(revision), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if result.returncode != 0:
        raise SystemExit(f"bench: diff failed: {result.stderr.strip()}")
    findings = json.loads(result.stdout)["findings"]
    return {
        "seconds": seconds,
        "peak_rss_mb": max(peak, before) / 1024,
        "findings": len(findings),
        "breaking": sum(f["level"] == "breaking" for f in findings),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--operations", type=int, default=3000)
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    base, revision = build(args.operations), revise(build(args.operations), args.changes)
    results = {}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for kind in ("json", "yaml"):
            paths = folder / f"base.{kind}", folder / f"revision.{kind}"
            for path, doc in zip(paths, (base, revision), strict=True):
                path.write_text(json.dumps(doc) if kind == "json" else yaml.safe_dump(doc, sort_keys=False))
            size = paths[0].stat().st_size / 1e6
            print(
                f"bench: diff of two {size:.1f} MB {kind.upper()} descriptions ({args.operations} operations)",
                file=sys.stderr,
            )
            results[kind] = {"size_mb": size, **timed_diff(*paths)}
    print(f"\n`u4b-vouchers diff` on a synthetic description of {args.operations} operations, {args.changes} edits:")
    for kind, row in results.items():
        size, seconds, peak = row["size_mb"], row["seconds"], row["peak_rss_mb"]
        print(f"  {kind.upper():<4} {size:.1f} MB each: {seconds:.2f} s, peak RSS {peak:.0f} MB, ", end="")
        print(f"{row['findings']} findings ({row['breaking']} breaking)")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
