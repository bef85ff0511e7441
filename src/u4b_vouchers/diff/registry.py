"""The checks of the gate: small functions registered with the rule ids they report.

A check reads the tree (:class:`~.tree.DocDiff`) and adds findings to a :class:`Report`; it
knows nothing of the other checks, of outputs or of the command line. Importing a ``checks_*``
module registers its checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .findings import Finding
from .rules import RULES
from .tree import DocDiff, OperationDiff


class Report:
    """The findings of one run."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def add(self, rule_id: str, operation: OperationDiff | str, location: str, message: str) -> None:
        label = operation.label if isinstance(operation, OperationDiff) else operation
        self.findings.append(Finding(rule_id, label, location, message))


CheckFunction = Callable[[DocDiff, Report], None]


@dataclass(frozen=True)
class Check:
    name: str
    ids: frozenset[str]
    run: CheckFunction


CHECKS: dict[str, Check] = {}


def check(*ids: str) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check under its function's name, with every rule id it may report."""
    unknown = [rule_id for rule_id in ids if rule_id not in RULES]
    if unknown:
        raise ValueError(f"unknown rule ids: {unknown}")

    def register(function: CheckFunction) -> CheckFunction:
        CHECKS[function.__name__] = Check(function.__name__, frozenset(ids), function)
        return function

    return register
