"""HAR 1.2, the traffic format of browsers' developer tools, proxies and replay tools.

Built from plain fields (this layer knows no exchange type of the others): :func:`har_entry` is
one request and its response, :func:`har_log` the document around entries. Headers and bodies
are written as given; redacting secrets is the caller's work, done before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

HAR_VERSION = "1.2"


def _headers(headers: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, value in headers.items()]


def har_entry(
    *,
    method: str,
    url: str,
    request_headers: Mapping[str, str],
    request_body: str | None,
    status: int,
    response_headers: Mapping[str, str],
    response_body: str,
    started: float,
    elapsed_ms: float,
    status_text: str = "",
) -> dict[str, Any]:
    """One exchange; ``started`` is when the request was sent (seconds since the epoch)."""
    lowered = {k.lower(): v for k, v in request_headers.items()}
    request: dict[str, Any] = {
        "method": method,
        "url": url,
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": _headers(request_headers),
        "queryString": [{"name": n, "value": v} for n, v in parse_qsl(urlsplit(url).query, keep_blank_values=True)],
        "headersSize": -1,
        "bodySize": len(request_body.encode()) if request_body is not None else 0,
    }
    if request_body is not None:
        request["postData"] = {"mimeType": lowered.get("content-type", ""), "text": request_body}
    media = next((v for k, v in response_headers.items() if k.lower() == "content-type"), "")
    return {
        "startedDateTime": datetime.fromtimestamp(started, UTC).isoformat(timespec="milliseconds"),
        "time": round(elapsed_ms, 3),
        "request": request,
        "response": {
            "status": status,
            "statusText": status_text,
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": _headers(response_headers),
            "content": {"size": len(response_body.encode()), "mimeType": media, "text": response_body},
            "redirectURL": next((v for k, v in response_headers.items() if k.lower() == "location"), ""),
            "headersSize": -1,
            "bodySize": len(response_body.encode()),
        },
        "cache": {},
        "timings": {"send": 0, "wait": round(elapsed_ms, 3), "receive": 0},
    }


def har_log(entries: Iterable[dict[str, Any]], *, creator: str, version: str) -> dict[str, Any]:
    """The HAR document of ``entries``, written by ``creator`` at ``version``."""
    return {"log": {"version": HAR_VERSION, "creator": {"name": creator, "version": version}, "entries": list(entries)}}
