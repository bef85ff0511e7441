"""``u4b-vouchers lint``: every quality gate the description must pass, as one list of findings.

Checks are small registered functions (see :mod:`.registry`); importing this package registers
them in the order they run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

from ..spec import Spec
from . import examples, extensions, inventory, node, rules, structure  # noqa: F401  (registers the checks)
from .context import LintContext
from .findings import Finding
from .registry import CHECKS, Check

#: The order checks run in: the document's structure first, the slow Node linters last.
ORDER = (
    "structure",
    "rules",
    "decisions",
    "extensions",
    "examples",
    "inventory",
    "spectral",
    "redocly",
)

ProgressCallback = Callable[[Check, list[Finding], float], None]


def run_lint(
    spec: Spec,
    *,
    only: Iterable[str] | None = None,
    skip: Iterable[str] = (),
    inventory_path: Path | None = None,
    progress: ProgressCallback | None = None,
) -> list[Finding]:
    """Run the selected checks on ``spec``; an empty list means it passed."""
    selected = set(only) if only is not None else set(CHECKS)
    unknown = (selected | set(skip)) - set(CHECKS)
    if unknown:
        raise KeyError(f"unknown lint check(s): {', '.join(sorted(unknown))}")
    ctx = LintContext.for_spec(spec, inventory_path)
    findings: list[Finding] = []
    for name in sorted(CHECKS, key=lambda n: ORDER.index(n) if n in ORDER else len(ORDER)):
        if name not in selected or name in skip:
            continue
        registered = CHECKS[name]
        started = time.perf_counter()
        found = list(registered.function(ctx))
        findings.extend(found)
        if progress is not None:
            progress(registered, found, time.perf_counter() - started)
    return findings


__all__ = ["CHECKS", "Check", "Finding", "LintContext", "run_lint"]
