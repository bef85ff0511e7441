"""What the commands that serve over HTTP (``serve``, ``proxy``) share: whether an address is
loopback, a listening socket, and stopping cleanly on SIGINT or SIGTERM."""

from __future__ import annotations

import ipaddress
import signal
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import uvicorn

from .errors import CliError


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or ``localhost``: an address only this machine reaches."""
    if host.strip().lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def listen(host: str, port: int) -> tuple[socket.socket, str]:
    """A socket bound to ``host``:``port`` (0: a free port) and already listening, so that a
    connection made from now on is queued until the server takes it, never refused; and the base
    URL it answers at. A port it cannot listen on is a :class:`CliError`."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise CliError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    shown = f"[{host}]" if family == socket.AF_INET6 else host
    return sock, f"http://{shown}:{sock.getsockname()[1]}"


class Stopped(BaseException):
    """SIGINT or SIGTERM before the server runs: the command stops where it is (nothing is served yet).
    A BaseException, as KeyboardInterrupt is, so that no ``except Exception`` takes it."""


class Server(uvicorn.Server):
    """uvicorn's server, where a second SIGTERM, like a second SIGINT, stops waiting for open
    connections."""

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if self.should_exit:
            self.force_exit = True
        super().handle_exit(sig, frame)


class Stopping:
    """The handler of SIGINT and SIGTERM of a command that serves (serve, proxy). Before the
    server runs, a signal raises :class:`Stopped`; while it runs, uvicorn has the signals (it
    shuts down on either) and, once it has shut down, raises again the one it caught, which
    lands here and asks nothing more."""

    def __init__(self) -> None:
        self.server: uvicorn.Server | None = None
        self.signals: list[int] = []

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        self.signals.append(signum)
        if self.server is None:
            raise Stopped
        self.server.should_exit = True

    @property
    def by(self) -> str:
        """The first signal caught, by name (empty when none was)."""
        return signal.Signals(self.signals[0]).name if self.signals else ""


@contextmanager
def signals_handled() -> Iterator[Stopping]:
    """SIGINT and SIGTERM handled by a :class:`Stopping` in this block (the handlers before it
    restored after it); only the main thread can, elsewhere the block runs as it is."""
    stopping = Stopping()
    if threading.current_thread() is not threading.main_thread():
        yield stopping
        return
    previous = {sig: signal.signal(sig, stopping) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stopping
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
