"""Files people and other tools read: self-contained HTML pages for reports (lint, conformance,
diff, replay), HAR 1.2 traffic archives and SARIF 2.1.0 logs for code scanning."""

from __future__ import annotations

from .har import HAR_VERSION, HarError, HarExchange, har_entry, har_log, har_timestamp, is_har, read_har
from .html import Banner, Cell, Table, Text, page, wrapping
from .sarif import (
    SARIF_LEVELS,
    SARIF_SCHEMA,
    SARIF_VERSION,
    SRCROOT,
    SarifLocation,
    SarifResult,
    SarifRule,
    artifact_uri,
    fingerprint,
    sarif_log,
)

__all__ = [
    "HAR_VERSION",
    "SARIF_LEVELS",
    "SARIF_SCHEMA",
    "SARIF_VERSION",
    "SRCROOT",
    "Banner",
    "Cell",
    "HarError",
    "HarExchange",
    "SarifLocation",
    "SarifResult",
    "SarifRule",
    "Table",
    "Text",
    "artifact_uri",
    "fingerprint",
    "har_entry",
    "har_log",
    "har_timestamp",
    "is_har",
    "page",
    "read_har",
    "sarif_log",
    "wrapping",
]
