"""Self-contained HTML pages for reports people read (lint now; conformance and diff later)."""

from __future__ import annotations

from .html import Table, page

__all__ = ["Table", "page"]
