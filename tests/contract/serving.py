"""An emulator served over HTTP in a subprocess, as a user starts one: ``u4b-vouchers serve`` with
the given options (readings, fault flags, no control plane), and the profile it writes."""

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
def serving(folder: Path, options: Sequence[str] = (), *, control: bool = False) -> Iterator[Profile]:
    """Serve an emulator until the block ends; yield the profile it wrote."""
    folder.mkdir(parents=True, exist_ok=True)
    profile = folder / "profile.toml"
    profile.unlink(missing_ok=True)
    command = [sys.executable, "-m", "u4b_vouchers.cli.main", "serve", "--port", "0", "--write-profile", str(profile)]
    if not control:
        command.append("--no-control")
    process = subprocess.Popen([*command, *options], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
            assert time.monotonic() < deadline, "the emulator did not start within 30 s"
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
