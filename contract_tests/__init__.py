"""Contract suites that check any target against openapi/vouchers.yaml and its x-u4b-rules.

A target is reached only over HTTP (or an ASGI app in-process) through :class:`Target`; no suite
imports emulator internals. ``run_suites`` runs the registered checks and returns a
:class:`RunResult` that the reports turn into a verdict.
"""

from __future__ import annotations

from .registry import CHECKS, SUITES
from .results import CheckResult, RunResult
from .runner import RunOptions, run_suites
from .target import DEADLINE_SECONDS, MAX_RESPONSE_BYTES, REQUEST_TIMEOUT_SECONDS, ProductionRefused, Target

__all__ = [
    "CHECKS",
    "DEADLINE_SECONDS",
    "MAX_RESPONSE_BYTES",
    "REQUEST_TIMEOUT_SECONDS",
    "SUITES",
    "CheckResult",
    "ProductionRefused",
    "RunOptions",
    "RunResult",
    "Target",
    "run_suites",
]
