"""`u4b-vouchers serve` in a subprocess for the benchmarks, until the block ends."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

from u4b_vouchers.profile import Profile, load_profile


@contextmanager
def served(folder: Path, options: Sequence[str] = (), *, control: bool = False) -> Iterator[Profile]:
    """Serve an emulator with ``options`` (and the control plane when ``control``); yield the
    profile it writes once it answers."""
    profile = folder / "profile.toml"
    command = [sys.executable, "-m", "u4b_vouchers.cli.main", "serve", "--port", "0", "--write-profile", str(profile)]
    command += [*options, *([] if control else ["--no-control"])]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"bench: the emulator ({' '.join(options) or 'no options'}) did not start")
            if profile.exists():
                loaded = load_profile(profile)
                try:
                    httpx.get(loaded.base_url, timeout=1)
                    break
                except httpx.TransportError:
                    pass
            time.sleep(0.05)
        yield loaded
    finally:
        process.terminate()
        process.wait(timeout=10)
