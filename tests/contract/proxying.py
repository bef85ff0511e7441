"""`u4b-vouchers proxy` in a subprocess between a client and a target (the benchmarks' helper,
one implementation for both)."""

from __future__ import annotations

from benchmarks.proxying import NotProxying, Proxy, proxying

__all__ = ["NotProxying", "Proxy", "proxying"]
