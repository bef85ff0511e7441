"""Self-contained HTML pages for reports people read (lint, conformance, diff, replay)."""

from __future__ import annotations

from .html import Banner, Cell, Table, Text, page, wrapping

__all__ = ["Banner", "Cell", "Table", "Text", "page", "wrapping"]
