"""``u4b-vouchers lint``: every quality gate the description must pass, as one list of findings.

Checks are small registered functions (see :mod:`.registry`); importing this package registers
them in the order they run. The project-specific checks run only on a description written to
the project's conventions (:mod:`.applicability`); on another API they are skipped, with the
reason. A defect several linters report is one finding (:mod:`.dedupe`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..spec import Spec
from . import applicability, examples, extensions, inventory, node, rules, structure  # noqa: F401  (registers the checks)
from .context import LintContext
from .dedupe import SAME_DEFECT, merge_duplicates
from .findings import FAILING, SEVERITIES, Finding, Severity
from .registry import CHECKS, Check, skip_reason

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

Status = Literal["ok", "fail", "skipped"]


@dataclass(frozen=True)
class CheckRun:
    """What one check did: its findings (before :mod:`.dedupe` merges them with other
    checks'), how long it took, or why it was skipped."""

    check: Check
    findings: list[Finding]
    seconds: float = 0.0
    skipped: str | None = None

    @property
    def status(self) -> Status:
        if self.skipped is not None:
            return "skipped"
        return "fail" if any(f.fails for f in self.findings) else "ok"

    def as_dict(self) -> dict[str, object]:
        return {
            "check": self.check.name,
            "status": self.status,
            "findings": len(self.findings),
            "seconds": round(self.seconds, 3),
            "reason": self.skipped,
        }


ProgressCallback = Callable[[CheckRun], None]


def ordered_checks() -> list[str]:
    """Every registered check's name, in the order they run."""
    return sorted(CHECKS, key=lambda n: ORDER.index(n) if n in ORDER else len(ORDER))


def run_lint(
    spec: Spec,
    *,
    only: Iterable[str] | None = None,
    skip: Iterable[str] = (),
    inventory_path: Path | None = None,
    project_rules: bool = False,
    progress: ProgressCallback | None = None,
    context: LintContext | None = None,
) -> list[Finding]:
    """Run the selected checks on ``spec``; no finding that :attr:`Finding.fails` means it
    passed. ``project_rules`` runs this project's Spectral ruleset and Redocly configuration
    when the description has none of its own beside it; ``context`` is one already built for
    ``spec`` (then ``inventory_path`` and ``project_rules`` are its own)."""
    selected = set(only) if only is not None else set(CHECKS)
    skip = set(skip)
    unknown = (selected | skip) - set(CHECKS)
    if unknown:
        raise KeyError(f"unknown lint check(s): {', '.join(sorted(unknown))}")
    ctx = context or LintContext.for_spec(spec, inventory_path, project_rules=project_rules)
    findings: list[Finding] = []
    for name in ordered_checks():
        if name not in selected or name in skip:
            continue
        registered = CHECKS[name]
        reason = skip_reason(name, ctx)
        if reason is not None:
            if progress is not None:
                progress(CheckRun(registered, [], skipped=reason))
            continue
        started = time.perf_counter()
        found = list(registered.function(ctx))
        findings.extend(found)
        if progress is not None:
            progress(CheckRun(registered, found, time.perf_counter() - started))
    return merge_duplicates(findings)


__all__ = [
    "CHECKS",
    "FAILING",
    "SAME_DEFECT",
    "SEVERITIES",
    "Check",
    "CheckRun",
    "Finding",
    "LintContext",
    "Severity",
    "ordered_checks",
    "run_lint",
]
