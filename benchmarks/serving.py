"""`u4b-vouchers serve` in a subprocess, as a user starts one, until the block ends: the one
helper the benchmarks and the tests that need a served emulator use."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

from u4b_vouchers.profile import Profile, load_profile

#: How long the emulator may take to answer its first request.
START_SECONDS = 30


class NotServing(RuntimeError):
    """The emulator exited or did not answer in time (its standard error in the message)."""


@contextmanager
def served(folder: Path, options: Sequence[str] = (), *, control: bool = False) -> Iterator[Profile]:
    """Serve an emulator with ``options`` (and the control plane when ``control``); yield the
    profile it writes once it answers."""
    folder.mkdir(parents=True, exist_ok=True)
    profile = folder / "profile.toml"
    profile.unlink(missing_ok=True)
    command = [sys.executable, "-m", "u4b_vouchers.cli.main", "serve", "--port", "0", "--write-profile", str(profile)]
    command += [*([] if control else ["--no-control"]), *options]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            if process.poll() is not None:
                stderr = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
                raise NotServing(f"the emulator ({' '.join(options) or 'no options'}) exited: {stderr.strip()}")
            if time.monotonic() > deadline:
                raise NotServing(f"the emulator did not start within {START_SECONDS} s")
            if profile.exists():
                loaded = load_profile(profile)
                try:
                    httpx.get(loaded.base_url, timeout=1)  # any answer: it is up
                    break
                except httpx.TransportError:
                    pass
            time.sleep(0.05)
        yield loaded
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()
