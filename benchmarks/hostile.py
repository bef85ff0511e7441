"""Benchmark of hostile input (scripts/bench-hostile): what a hostile request or description
costs, as a ratio of what an ordinary one costs in the same run.

1. Over HTTP, against `u4b-vouchers serve` in a subprocess: Update Voucher Program with a 1 MB
   body of 500,000 `vehicle_category_types` (over the array limit), one of 100,000, and bodies
   within the limits (as many items as the array limit allows; as many locations, with
   addresses that fill the 1 MB body limit), each against a small ordinary Update. While each
   big request runs, a second client asks the control plane's health endpoint back to back; its
   latency is shown against the same probe when the server is idle. The goal: the health probe
   stays under 100 ms during every big request.
2. In process: refusing a YAML alias bomb (nine levels of nine aliases, half a kilobyte)
   against loading the project's own description.

Each figure is the median of ``--repeats`` runs, with the minimum and maximum.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

import httpx  # noqa: E402
from benchmarks.serving import NotServing, served  # noqa: E402

from u4b_vouchers.emulator import Settings  # noqa: E402
from u4b_vouchers.profile import Profile  # noqa: E402
from u4b_vouchers.spec import SpecError, default_spec_path, load_document  # noqa: E402

HEALTH = "/__emulator/health"
HEALTH_GOAL_MS = 100.0


def spread(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def shown(stats: dict[str, float], unit: str = "ms") -> str:
    return f"{stats['median']:.1f} {unit} ({stats['min']:.1f} to {stats['max']:.1f})"


def items_body(count: int, item: str) -> bytes:
    return ('{"vehicle_category_types":[' + ",".join([item] * count) + "]}").encode()


def locations_body(count: int) -> bytes:
    """As many pickup locations as the array limit allows, with addresses long enough to fill
    the body limit: a body every bound admits, so it is validated in full."""
    location = {"address": "", "latitude": 37.7749, "longitude": -122.4194, "radius": 25}
    item = len(json.dumps(location, separators=(",", ":"))) + 1
    room = (Settings().max_body_bytes - 64) // count - item
    location["address"] = "x" * room
    body = {"trip_restriction_type": "PICKUP_ONLY", "pickup_locations": [location] * count}
    return json.dumps(body, separators=(",", ":")).encode()


@contextmanager
def api(profile: Profile) -> Iterator[tuple[httpx.Client, str, dict[str, str]]]:
    identity = profile.identities["first_party"]
    with httpx.Client(base_url=profile.base_url, timeout=120) as http:
        answer = http.post(
            profile.token_url,
            data={
                "grant_type": "client_credentials",
                "client_id": identity.client_id or "",
                "client_secret": identity.client_secret or "",
                "scope": identity.scope or "",
            },
        )
        token = answer.json()["access_token"]
        program = profile.fixtures["program_not_started_single_code"]
        path = f"/v1/organizations/{profile.organization_id}/voucher-programs/{program}"
        yield http, path, {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


def probe_during(base_url: str, work: Callable[[], int]) -> tuple[float, int, list[float]]:
    """Run ``work`` in a thread while probing health back to back; (seconds, status, probe ms)."""
    done, result = threading.Event(), {}

    def run() -> None:
        started = time.perf_counter()
        result["status"] = work()
        result["seconds"] = time.perf_counter() - started
        done.set()

    thread = threading.Thread(target=run)
    probes: list[float] = []
    with httpx.Client(base_url=base_url, timeout=60) as prober:
        prober.get(HEALTH)  # connected before the work starts
        thread.start()
        while not done.is_set():
            started = time.perf_counter()
            prober.get(HEALTH)
            probes.append((time.perf_counter() - started) * 1000)
    thread.join()
    return result["seconds"], result["status"], probes


def http_rows(repeats: int, limit: int) -> dict[str, Any]:
    bodies = {
        "ordinary (3 items)": items_body(3, '"ECONOMY"'),
        f"maximal within the limit ({limit} items)": items_body(limit, '"ECONOMY"'),
        f"1 MB within the limits ({limit} locations)": locations_body(limit),
        "100,000 items": items_body(100_000, "0"),
        "500,000 items (1 MB)": items_body(500_000, "0"),
    }
    rows: dict[str, Any] = {}
    with (
        tempfile.TemporaryDirectory() as folder,
        served(Path(folder), control=True) as profile,
        api(profile) as (http, path, headers),
        httpx.Client(base_url=profile.base_url) as idle,
    ):
        idle_probes = []
        for _ in range(50):
            started = time.perf_counter()
            idle.get(HEALTH)
            idle_probes.append((time.perf_counter() - started) * 1000)
        rows["idle health probe"] = {"probe_ms": spread(idle_probes)}
        for label, body in bodies.items():
            seconds, probes, statuses = [], [], set()
            for _ in range(repeats):
                took, status, during = probe_during(
                    profile.base_url, lambda body=body: http.patch(path, content=body, headers=headers).status_code
                )
                seconds.append(took * 1000)
                probes += during
                statuses.add(status)
            rows[label] = {
                "bytes": len(body),
                "statuses": sorted(statuses),
                "request_ms": spread(seconds),
                "probe_ms": spread(probes) if probes else None,
                "probes": len(probes),
            }
    base = rows["ordinary (3 items)"]["request_ms"]["median"]
    for row in rows.values():
        if "request_ms" in row:
            row["vs_ordinary"] = row["request_ms"]["median"] / base
    return rows


def bomb_text() -> str:
    lines = ['a0: &a0 "lol"']
    for level in range(1, 10):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    return "openapi: 3.1.0\n" + "\n".join(lines) + "\n"


def parsing_rows(repeats: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        bomb = Path(folder) / "bomb.yaml"
        bomb.write_text(bomb_text())

        def refuse() -> None:
            try:
                load_document(bomb)
            except SpecError:
                return
            raise SystemExit("bench: the alias bomb was not refused")

        timings: dict[str, list[float]] = {"own description": [], "alias bomb (refused)": []}
        for _ in range(repeats):
            for label, work in (
                ("own description", lambda: load_document(default_spec_path())),
                ("alias bomb (refused)", refuse),
            ):
                started = time.perf_counter()
                work()
                timings[label].append((time.perf_counter() - started) * 1000)
        rows: dict[str, Any] = {label: {"ms": spread(values)} for label, values in timings.items()}
        rows["alias bomb (refused)"]["bytes"] = bomb.stat().st_size
        rows["alias bomb (refused)"]["vs_own_description"] = (
            rows["alias bomb (refused)"]["ms"]["median"] / rows["own description"]["ms"]["median"]
        )
        return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args()
    limit = Settings().max_array_items
    print(f"bench-hostile: over HTTP, {args.repeats} runs each", file=sys.stderr)
    http = http_rows(args.repeats, limit)
    parsing = parsing_rows(args.repeats)
    idle = http.pop("idle health probe")["probe_ms"]
    print(f"Update Voucher Program over HTTP (median of {args.repeats}, min to max); health probe idle: {shown(idle)}")
    worst = 0.0
    for label, row in http.items():
        probe = row["probe_ms"]
        worst = max(worst, probe["max"] if probe else 0.0)
        during = f"health during it {shown(probe)} over {row['probes']} probes" if probe else "no probe fit in"
        print(
            f"  {label}: {row['bytes']:,} bytes, status {'/'.join(map(str, row['statuses']))}, "
            f"{shown(row['request_ms'])}, {row['vs_ordinary']:.1f}x the ordinary one; {during}"
        )
    verdict = "met" if worst < HEALTH_GOAL_MS else "MISSED"
    print(
        f"  goal: the health probe under {HEALTH_GOAL_MS:.0f} ms during every request: {verdict} (worst {worst:.1f} ms)"
    )
    own, bomb = parsing["own description"], parsing["alias bomb (refused)"]
    print(
        f"Parsing: the project's description {shown(own['ms'])}; a {bomb['bytes']:,}-byte alias bomb refused in "
        f"{shown(bomb['ms'])} ({bomb['vs_own_description']:.3f}x)"
    )
    if args.json:
        args.json.write_text(json.dumps({"http": http, "idle_probe_ms": idle, "parsing": parsing}, indent=2))


if __name__ == "__main__":
    try:
        main()
    except NotServing as exc:
        raise SystemExit(f"bench: {exc}") from None
