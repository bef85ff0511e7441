"""Files people and other tools read: self-contained HTML pages for reports (lint, conformance,
diff, replay) and HAR 1.2 traffic archives."""

from __future__ import annotations

from .har import HAR_VERSION, har_entry, har_log
from .html import Banner, Cell, Table, Text, page, wrapping

__all__ = ["HAR_VERSION", "Banner", "Cell", "Table", "Text", "har_entry", "har_log", "page", "wrapping"]
