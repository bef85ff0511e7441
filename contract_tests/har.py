"""Recorded exchanges as HAR 1.2 (``traffic.har`` of ``check --report-dir`` and of ``proxy``).

Exchanges are already redacted when they are recorded; the HAR holds what the cassette holds,
in the format other tools read. HAR wants the wall-clock time each request was sent: an
exchange knows its ``seconds`` since the run started, the caller gives when that was.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from u4b_vouchers import __version__
from u4b_vouchers.reporting import har_entry, har_log

from .target import Exchange

CREATOR = "u4b-vouchers"


def exchange_entry(exchange: Exchange, started_at: float) -> dict[str, object]:
    """One exchange as a HAR entry; ``started_at``: the run's start (seconds since the epoch)."""
    return har_entry(
        method=exchange.method,
        url=exchange.url,
        request_headers=exchange.request_headers,
        request_body=exchange.request_body,
        status=exchange.status,
        response_headers=exchange.response_headers,
        response_body=exchange.response_body,
        started=started_at + exchange.seconds,
        elapsed_ms=exchange.elapsed_ms,
        comment=exchange.check,
    )


def har_text(exchanges: Iterable[Exchange], started_at: float) -> str:
    """The HAR document of ``exchanges``, as written to ``traffic.har``."""
    entries = [exchange_entry(e, started_at) for e in exchanges]
    return json.dumps(har_log(entries, creator=CREATOR, version=__version__), indent=1) + "\n"
