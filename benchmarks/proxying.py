"""`u4b-vouchers proxy` in a subprocess, as a user starts one, until the block ends: the one
helper the proxy's tests and its benchmark use.

:func:`proxying` yields a :class:`Proxy` (its URL) once the proxy answers; when the block ends the
proxy is stopped by SIGINT (or SIGTERM, ``stop_signal``) as a user stops it, and its exit code,
standard output and standard error are kept on the :class:`Proxy` for the caller to read.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO

#: How long the proxy may take to listen, and to stop once signalled.
START_SECONDS = 30
STOP_SECONDS = 60
_LISTENING = re.compile(r"^u4b-vouchers proxy on (http://\S+) forwarding to ")


class NotProxying(RuntimeError):
    """The proxy exited or did not listen in time (its output in the message)."""


@dataclass
class Proxy:
    url: str = ""
    returncode: int | None = None
    stdout_lines: list[str] = field(default_factory=list)
    stderr_lines: list[str] = field(default_factory=list)

    @property
    def stdout(self) -> str:
        return "".join(self.stdout_lines)

    @property
    def stderr(self) -> str:
        return "".join(self.stderr_lines)


def _drain(stream: IO[str], into: list[str]) -> None:
    for line in stream:
        into.append(line)


@contextmanager
def proxying(target_url: str, options: Sequence[str] = (), *, stop_signal: int = signal.SIGINT) -> Iterator[Proxy]:
    """Run ``u4b-vouchers proxy --target target_url --port 0`` with ``options``; yield it once it listens (it
    listens before it says so: a request sent from then on is queued, never refused)."""
    command = [sys.executable, "-m", "u4b_vouchers.cli.main", "proxy", "--target", target_url, "--port", "0"]
    process = subprocess.Popen(
        [*command, *options], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1
    )
    proxy = Proxy()
    assert process.stdout is not None
    assert process.stderr is not None
    readers = [
        threading.Thread(target=_drain, args=(process.stdout, proxy.stdout_lines), daemon=True),
        threading.Thread(target=_drain, args=(process.stderr, proxy.stderr_lines), daemon=True),
    ]
    for reader in readers:
        reader.start()
    try:
        deadline = time.monotonic() + START_SECONDS
        while not proxy.url:
            found = next((m for m in map(_LISTENING.match, list(proxy.stdout_lines)) if m), None)
            if found:
                proxy.url = found.group(1)
                break
            if process.poll() is not None:
                for reader in readers:
                    reader.join(5)
                raise NotProxying(f"the proxy exited ({process.returncode}): {proxy.stderr.strip()}")
            if time.monotonic() > deadline:
                raise NotProxying(f"the proxy did not listen within {START_SECONDS} s")
            time.sleep(0.02)
        yield proxy
    finally:
        if process.poll() is None:
            process.send_signal(stop_signal)
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for reader in readers:
            reader.join(10)
        process.stdout.close()
        process.stderr.close()
        proxy.returncode = process.returncode
