"""Comparing two descriptions: build the tree of differences once, run every registered check
on it, and add the changes to the project's ``x-u4b-rules``."""

from __future__ import annotations

from . import (
    checks_lifecycle,
    checks_operations,
    checks_parameters,
    checks_security,
    checks_structure,
    checks_values,
)
from .config import DiffConfig
from .findings import Finding, ordered
from .load import Document
from .registry import CHECKS, Report
from .tree import build
from .xrules import compare_rules

#: The modules whose import registers the checks.
CHECK_MODULES = (
    checks_lifecycle,
    checks_operations,
    checks_parameters,
    checks_security,
    checks_structure,
    checks_values,
)


def diff(base: Document, revision: Document, config: DiffConfig | None = None) -> list[Finding]:
    """Every change from ``base`` to ``revision``, ordered breaking first."""
    tree = build(base, revision, config)
    report = Report()
    for registered in CHECKS.values():
        registered.run(tree, report)
    compare_rules(base.data.get("x-u4b-rules") or [], revision.data.get("x-u4b-rules") or [], report.add)
    return ordered(report.findings)
