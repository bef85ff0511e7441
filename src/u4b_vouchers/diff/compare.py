"""Comparing two descriptions: build the tree of differences once and run every registered check
on it (the project's ``x-u4b-rules`` included)."""

from __future__ import annotations

import gc

from . import (
    checks_jsonschema,
    checks_lifecycle,
    checks_operations,
    checks_parameters,
    checks_security,
    checks_serialization,
    checks_structure,
    checks_values,
    xrules,
)
from .config import DiffConfig
from .findings import Finding, ordered
from .load import Document
from .registry import CHECKS, Report
from .tree import build

#: The modules whose import registers the checks.
CHECK_MODULES = (
    checks_jsonschema,
    checks_lifecycle,
    checks_operations,
    checks_parameters,
    checks_security,
    checks_serialization,
    checks_structure,
    checks_values,
    xrules,
)


def diff(base: Document, revision: Document, config: DiffConfig | None = None) -> list[Finding]:
    """Every change from ``base`` to ``revision``, ordered breaking first."""
    collecting = gc.isenabled()
    gc.disable()  # the comparison allocates much and frees little: a collection pass only costs
    try:
        tree = build(base, revision, config)
        report = Report()
        for registered in CHECKS.values():
            registered.run(tree, report)
        return ordered(report.findings)
    finally:
        if collecting:
            gc.enable()
