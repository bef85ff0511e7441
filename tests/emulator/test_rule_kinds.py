"""The registry of rule kinds and the emulator agree on who enforces what: the rule book has an
evaluator for exactly the kinds the registry says it enforces (``enforcer == "state"``)."""

from __future__ import annotations

from u4b_vouchers.emulator.rulebook import EVALUATORS
from u4b_vouchers.spec import KINDS


def test_the_rule_book_evaluates_the_state_kinds() -> None:
    assert set(EVALUATORS) == {kind.name for kind in KINDS.values() if kind.enforcer == "state"}
