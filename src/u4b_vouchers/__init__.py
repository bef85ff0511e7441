"""u4b-vouchers: OpenAPI description, lint gates and tooling for the U4B Vouchers API."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
