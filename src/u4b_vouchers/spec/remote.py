"""Fetching a remote ``$ref`` target, only when the user passed ``--allow-remote-refs``.

One :class:`Fetcher` serves a whole run: each URL is fetched at most once, over ``http:`` or
``https:`` only (redirects included), within a timeout and a deadline, streamed up to the same
size cap as files and parsed by the same bounded reader. Any failure is a one-line SpecError
naming the URL and the reason, never the document's content.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urldefrag, urljoin, urlsplit

from .errors import SpecError
from .reading import MAX_BYTES, decode, parse

#: Schemes a remote reference may use.
SCHEMES = ("http", "https")
#: Seconds to connect, and to wait for each piece of the response.
TIMEOUT_SECONDS = 10.0
#: Seconds one fetch may take in all, redirects included.
DEADLINE_SECONDS = 30.0
#: Redirects followed for one URL.
MAX_REDIRECTS = 5
USER_AGENT = "u4b-vouchers (remote $ref fetcher)"
FLAG = "--allow-remote-refs"

if TYPE_CHECKING:
    import httpx


def is_web_url(text: str) -> bool:
    """Whether ``text`` is an absolute ``http:`` or ``https:`` URL with a host."""
    parts = urlsplit(text)
    return parts.scheme in SCHEMES and bool(parts.netloc)


class _Stop(Exception):
    """A fetch refused for a reason worth one line."""


class Fetcher:
    """Fetches and parses remote documents, once per URL (failures included)."""

    def __init__(self) -> None:
        self._documents: dict[str, Any] = {}
        self._failures: dict[str, SpecError] = {}

    def fetch(self, url: str) -> Any:
        """The parsed document at ``url`` (its fragment ignored); SpecError when it cannot be had."""
        url, _ = urldefrag(url)
        if url in self._documents:
            return self._documents[url]
        if url in self._failures:
            raise self._failures[url]
        try:
            data = parse(decode(self._download(url), url), url)
        except _Stop as exc:
            error = SpecError(f"cannot fetch: {exc}", path=url)
        except SpecError as exc:
            error = exc
        else:
            self._documents[url] = data
            return data
        self._failures[url] = error
        raise error

    @property
    def fetched(self) -> dict[str, Any]:
        """Every document fetched so far, by URL."""
        return dict(self._documents)

    def _download(self, url: str) -> bytes:
        import httpx  # only when the user opted in to remote references: httpx is slow to import

        deadline = time.monotonic() + DEADLINE_SECONDS
        headers = {"Accept-Encoding": "identity", "User-Agent": USER_AGENT}
        timeout = httpx.Timeout(TIMEOUT_SECONDS)
        current = url
        try:
            with httpx.Client(timeout=timeout, headers=headers, follow_redirects=False, trust_env=False) as client:
                for _ in range(MAX_REDIRECTS + 1):
                    if not is_web_url(current):
                        raise _Stop("redirected to a URL that is not http(s)")
                    with client.stream("GET", current) as response:
                        if response.is_redirect:
                            location = response.headers.get("Location", "")
                            current = urljoin(current, location)
                            continue
                        if response.status_code != 200:
                            raise _Stop(f"HTTP {response.status_code}")
                        return _body(response, deadline)
        except httpx.TimeoutException:
            raise _Stop(f"timed out (after {TIMEOUT_SECONDS:g} s without data)") from None
        except httpx.HTTPError as exc:
            raise _Stop(exc.__class__.__name__) from None
        raise _Stop(f"more than {MAX_REDIRECTS} redirects")


def _body(response: httpx.Response, deadline: float) -> bytes:
    """The response body, read up to the size cap and the deadline."""
    announced = response.headers.get("Content-Length", "")
    if announced.isdigit() and int(announced) > MAX_BYTES:
        raise _Stop(f"larger than {MAX_BYTES} bytes (Content-Length {announced})")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_raw():
        size += len(chunk)
        if size > MAX_BYTES:
            raise _Stop(f"larger than {MAX_BYTES} bytes")
        if time.monotonic() > deadline:
            raise _Stop(f"took longer than {DEADLINE_SECONDS:g} s")
        chunks.append(chunk)
    return b"".join(chunks)
