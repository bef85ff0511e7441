"""HAR 1.2, the traffic format of browsers' developer tools, proxies and replay tools.

Built from plain fields (this layer knows no exchange type of the others): :func:`har_entry` is
one request and its response, :func:`har_log` the document around entries. Headers and bodies
are written as given; redacting secrets is the caller's work, done before.

Read back by :func:`read_har`, which takes HARs other tools write too (a browser's developer
tools, Schemathesis's ``--report har``): a body may be base64 (``content.encoding``), a request
may have no ``postData`` and a response no ``content.text``.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

HAR_VERSION = "1.2"


class HarError(ValueError):
    """A document is not HAR, or one of its entries is malformed (``entry`` is its index, or None)."""

    def __init__(self, message: str, entry: int | None = None):
        super().__init__(message if entry is None else f"entry {entry}: {message}")
        self.entry = entry


@dataclass(frozen=True)
class HarExchange:
    """What a HAR entry holds of one exchange, bodies as text."""

    method: str
    url: str
    request_headers: dict[str, str]
    request_body: str | None
    status: int
    response_headers: dict[str, str]
    response_body: str


def _headers(headers: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, value in headers.items()]


def _header(headers: Mapping[str, str], name: str) -> str:
    return next((v for k, v in headers.items() if k.lower() == name), "")


def har_timestamp(seconds: float) -> str:
    """``seconds`` since the epoch as HAR's ``startedDateTime`` (ISO 8601, milliseconds, UTC)."""
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="milliseconds")


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
    comment: str | None = None,
) -> dict[str, Any]:
    """One exchange; ``started`` is when the request was sent (seconds since the epoch). A
    request that got no answer has status 0, as browsers write it."""
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
        request["postData"] = {"mimeType": _header(request_headers, "content-type"), "text": request_body}
    size = len(response_body.encode())
    entry: dict[str, Any] = {
        "startedDateTime": har_timestamp(started),
        "time": round(elapsed_ms, 3),
        "request": request,
        "response": {
            "status": status,
            "statusText": status_text,
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": _headers(response_headers),
            "content": {"size": size, "mimeType": _header(response_headers, "content-type"), "text": response_body},
            "redirectURL": _header(response_headers, "location"),
            "headersSize": -1,
            "bodySize": size,
        },
        "cache": {},
        "timings": {"send": 0, "wait": round(elapsed_ms, 3), "receive": 0},
    }
    if comment:
        entry["comment"] = comment
    return entry


def har_log(entries: Iterable[dict[str, Any]], *, creator: str, version: str) -> dict[str, Any]:
    """The HAR document of ``entries``, written by ``creator`` at ``version``."""
    return {"log": {"version": HAR_VERSION, "creator": {"name": creator, "version": version}, "entries": list(entries)}}


def is_har(data: Any) -> bool:
    """Whether a parsed JSON document is shaped as HAR: ``{"log": {"entries": [...]}}``."""
    return isinstance(data, dict) and isinstance(data.get("log"), dict) and "entries" in data["log"]


def _pairs(items: Any, what: str, index: int) -> dict[str, str]:
    if items is None:
        return {}
    if not isinstance(items, list):
        raise HarError(f"{what} is not a list", index)
    pairs = {}
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise HarError(f"{what} has an item without a name", index)
        pairs[item["name"]] = str(item.get("value", ""))
    return pairs


def _text(holder: Any, what: str, index: int) -> str | None:
    """The text of a ``postData`` or ``content`` (decoded when base64); None when it has none."""
    if holder is None:
        return None
    if not isinstance(holder, dict):
        raise HarError(f"{what} is not an object", index)
    text = holder.get("text")
    if text is None:
        return None
    if not isinstance(text, str):
        raise HarError(f"{what}.text is not a string", index)
    if holder.get("encoding") == "base64":
        try:
            return base64.b64decode(text, validate=True).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            raise HarError(f"{what}.text is not base64", index) from None
    return text


def read_har(data: Any) -> list[HarExchange]:
    """Every entry of a parsed HAR document; :class:`HarError` names the first malformed one."""
    if not is_har(data):
        raise HarError('expected {"log": {"entries": [...]}} (HAR)')
    entries = data["log"]["entries"]
    if not isinstance(entries, list):
        raise HarError("log.entries is not a list")
    found = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise HarError("not an object", index)
        request, response = entry.get("request"), entry.get("response")
        if not isinstance(request, dict) or not isinstance(response, dict):
            raise HarError("lacks its request or response", index)
        method, url, status = request.get("method"), request.get("url"), response.get("status")
        if not isinstance(method, str) or not method or not isinstance(url, str) or not url:
            raise HarError("its request lacks a method or url", index)
        if not isinstance(status, int) or isinstance(status, bool):
            raise HarError("its response lacks an integer status", index)
        found.append(
            HarExchange(
                method=method.upper(),
                url=url,
                request_headers=_pairs(request.get("headers"), "request.headers", index),
                request_body=_text(request.get("postData"), "request.postData", index),
                status=status,
                response_headers=_pairs(response.get("headers"), "response.headers", index),
                response_body=_text(response.get("content"), "response.content", index) or "",
            )
        )
    return found
