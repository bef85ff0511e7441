"""A loopback HTTP server (port 0, in a thread) for the tests that need something to fetch."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@contextmanager
def loopback(handler: type[BaseHTTPRequestHandler], *, stopping: Callable[[], None] = lambda: None) -> Iterator[str]:
    """Serve ``handler`` on 127.0.0.1 until the block ends; yield the base URL. ``stopping`` runs
    before the shutdown (to release handlers that are holding a connection open)."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        stopping()
        httpd.shutdown()
        httpd.server_close()
