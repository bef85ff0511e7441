"""The rule table is complete and the README shows it as the gate reports it."""

from __future__ import annotations

from pathlib import Path

from u4b_vouchers.diff import CHECKS, RULES
from u4b_vouchers.diff.ruledocs import implemented, rewrite
from u4b_vouchers.diff.rules import NOT_IMPLEMENTED

README = Path(__file__).parents[2] / "README.md"


def test_every_rule_is_reported_by_a_check_or_listed_with_a_reason() -> None:
    done = set(implemented())
    assert sorted(set(RULES) - done - set(NOT_IMPLEMENTED)) == []
    assert sorted(done & set(NOT_IMPLEMENTED)) == []
    assert sorted(set(NOT_IMPLEMENTED) - set(RULES)) == []


def test_every_check_reports_only_rules_of_the_table() -> None:
    assert sorted({rule_id for c in CHECKS.values() for rule_id in c.ids} - set(RULES)) == []


def test_the_readme_rule_tables_are_up_to_date() -> None:
    text = README.read_text(encoding="utf-8")
    assert rewrite(text) == text, "run scripts/rules-table"
