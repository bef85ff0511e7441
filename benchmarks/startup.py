"""Benchmark of start-up (scripts/bench-startup): whole `u4b-vouchers` processes, each command run
N times (the commands taken in turn, so that a slow spell of the machine falls on all of them),
median and spread, each quoted against `python -c pass` measured in the same run.

Commands: `u4b-vouchers --help`; `diff` of two small YAML descriptions; `diff` of a generated
multi-MB YAML pair (benchmarks/synthetic.py, written to a temporary folder). Peak RSS is each
process's own, as GNU time reports it (left out where /usr/bin/time is missing).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import build, revise  # noqa: E402

#: Goals of issue 12 (seconds of wall time, median).
GOALS = {"help": 0.2, "diff-small": 0.35, "diff-large": 5.0}


def entry_point() -> list[str]:
    """The installed `u4b-vouchers` beside this Python (what a user runs), else `python -m`."""
    script = Path(sys.executable).absolute().parent / "u4b-vouchers"
    return [str(script)] if script.exists() else [sys.executable, "-m", "u4b_vouchers.cli.main"]


def environment(checkout: Path = ROOT) -> dict[str, str]:
    """The sources of ``checkout`` first on the path (a worktree's, not the editable install's)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(checkout / "src"), env.get("PYTHONPATH", "")]))
    return env


#: GNU time, where installed: it reports a process's own peak RSS (a child forked from this
#: benchmark would report the benchmark's memory as its own).
GNU_TIME = Path("/usr/bin/time")


def run_once(command: list[str], env: dict[str, str], output: Path) -> tuple[float, float | None, int]:
    """(wall seconds, peak RSS in MB or None, exit code) of one process; its stdout goes to ``output``."""
    memory = output.with_suffix(".rss")
    wrapped = [str(GNU_TIME), "-f", "%M", "-o", str(memory), *command] if GNU_TIME.exists() else command
    with output.open("wb") as out:
        started = time.perf_counter()
        code = subprocess.run(wrapped, stdout=out, stderr=subprocess.DEVNULL, env=env, check=False).returncode
        seconds = time.perf_counter() - started
    peak = None
    if GNU_TIME.exists():
        lines = memory.read_text(encoding="utf-8").split()
        peak = int(lines[-1]) / 1024 if lines and lines[-1].isdigit() else None
    return seconds, peak, code


def summary(times: list[float], peaks: list[float | None]) -> dict[str, Any]:
    known = [p for p in peaks if p is not None]
    return {
        "runs": len(times),
        "median_s": statistics.median(times),
        "min_s": min(times),
        "max_s": max(times),
        "peak_rss_mb": max(known) if known else None,
        "times_s": [round(t, 4) for t in times],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10, help="runs of each quick command (default 10)")
    parser.add_argument("--large-runs", type=int, default=3, help="runs of the large diff (default 3)")
    parser.add_argument("--operations", type=int, default=3000, help="operations of the large pair (default 3000)")
    parser.add_argument("--changes", type=int, default=200, help="edits in the large revision (default 200)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--checkout",
        type=Path,
        default=ROOT,
        help="run the sources of this checkout (default: this one), e.g. another worktree for a before figure",
    )
    args = parser.parse_args()
    cli, env = entry_point(), environment(args.checkout.resolve())
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        files = {}
        for name, operations, changes in (("small", 8, 4), ("large", args.operations, args.changes)):
            base = build(operations)
            for side, doc in (("base", base), ("revision", revise(build(operations), changes))):
                path = folder / f"{name}-{side}.yaml"
                path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
                files[name, side] = path
        large_mb = files["large", "base"].stat().st_size / 1e6
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "help": [*cli, "--help"],
            "diff-small": [
                *cli,
                "diff",
                str(files["small", "base"]),
                str(files["small", "revision"]),
                "--format",
                "json",
            ],
            "diff-large": [
                *cli,
                "diff",
                str(files["large", "base"]),
                str(files["large", "revision"]),
                "--format",
                "json",
            ],
        }
        labels = {
            "python -c pass": "python -c pass",
            "help": "u4b-vouchers --help",
            "diff-small": "diff, two small YAML files (--format json)",
            "diff-large": f"diff, two {large_mb:.1f} MB YAML files (--format json)",
        }
        runs = {name: args.large_runs if name == "diff-large" else args.runs for name in commands}
        times: dict[str, list[float]] = {name: [] for name in commands}
        peaks: dict[str, list[float | None]] = {name: [] for name in commands}
        findings: dict[str, int] = {}
        print(
            f"bench: {args.runs} runs of each quick command, {args.large_runs} of the {large_mb:.1f} MB pair",
            file=sys.stderr,
        )
        for round_ in range(max(runs.values())):
            for name, command in commands.items():
                if round_ >= runs[name]:
                    continue
                output = folder / "stdout"
                seconds, peak, code = run_once(command, env, output)
                if code != 0:
                    raise SystemExit(f"bench: {labels[name]} exited {code}")
                times[name].append(seconds)
                peaks[name].append(peak)
                if name.startswith("diff"):
                    findings[name] = len(json.loads(output.read_text(encoding="utf-8"))["findings"])
        baseline = statistics.median(times["python -c pass"])
        for name in commands:
            results[name] = {"command": labels[name], **summary(times[name], peaks[name])}
            results[name]["vs_python"] = results[name]["median_s"] / baseline
            if name in findings:
                results[name]["findings"] = findings[name]
    print(f"\nStart-up of `u4b-vouchers` (sources of {args.checkout.resolve()}), whole processes:")
    print(f"  {'command':<44} {'runs':>4} {'median s':>9} {'min-max s':>13} {'x pass':>7} {'peak RSS':>9}  goal")
    for name, row in results.items():
        goal = GOALS.get(name)
        verdict = f"< {goal:g} s: {'met' if row['median_s'] < goal else 'NOT met'}" if goal else ""
        rss = f"{row['peak_rss_mb']:>6.0f} MB" if row["peak_rss_mb"] is not None else f"{'-':>9}"
        print(
            f"  {row['command']:<44} {row['runs']:>4} {row['median_s']:>9.3f} "
            f"{row['min_s']:>6.3f}-{row['max_s']:<6.3f} {row['vs_python']:>7.1f} {rss}  {verdict}"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
