"""Files people and other tools read: self-contained HTML pages for reports (lint, conformance,
diff, replay) and HAR 1.2 traffic archives."""

from __future__ import annotations

from .har import HAR_VERSION, HarError, HarExchange, har_entry, har_log, har_timestamp, is_har, read_har
from .html import Banner, Cell, Table, Text, page, wrapping

__all__ = [
    "HAR_VERSION",
    "Banner",
    "Cell",
    "HarError",
    "HarExchange",
    "Table",
    "Text",
    "har_entry",
    "har_log",
    "har_timestamp",
    "is_har",
    "page",
    "read_har",
    "wrapping",
]
