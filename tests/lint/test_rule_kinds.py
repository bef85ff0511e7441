"""The ``rules`` check knows the kinds of rule from the registry: a rule of an unknown kind, or
one that lacks a parameter its kind requires, is a ``rule-shape`` finding even when the
companion JSON Schema beside the description does not say so; ``direction: decrease`` is fine."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import rule
from u4b_vouchers.lint import Finding, run_lint
from u4b_vouchers.spec import load_spec


def lint_rules(path: Path) -> list[Finding]:
    return run_lint(load_spec(path), only=["rules"])


def permissive(path: Path) -> Path:
    """Replace the companion JSON Schema of x-u4b-rules with one that accepts any list."""
    (path.parent / "x-u4b-rules.schema.yaml").write_text("type: array\n", encoding="utf-8")
    return path


def _decrease(data: dict[str, Any]) -> None:
    rule(data, "UPD-PERCENT-INCREASE-ONLY")["direction"] = "decrease"


def _sideways(data: dict[str, Any]) -> None:
    rule(data, "UPD-PERCENT-INCREASE-ONLY")["direction"] = "sideways"


def _unknown_kind(data: dict[str, Any]) -> None:
    rule(data, "UPD-PERCENT-INCREASE-ONLY")["kind"] = "ratchet"


def _no_direction(data: dict[str, Any]) -> None:
    del rule(data, "UPD-PERCENT-INCREASE-ONLY")["direction"]


def _no_bound(data: dict[str, Any]) -> None:
    del rule(data, "GEN-COUNT-POSITIVE")["minimum"]


def test_a_decreasing_monotonic_rule_is_well_formed(spec_copy: Callable[..., Path]) -> None:
    assert lint_rules(spec_copy(_decrease)) == []


def test_an_unknown_direction_is_refused_by_the_json_schema(spec_copy: Callable[..., Path]) -> None:
    findings = lint_rules(spec_copy(_sideways))
    assert findings
    assert {f.rule for f in findings} == {"rule-shape"}


def test_the_registry_catches_an_unknown_kind(spec_copy: Callable[..., Path]) -> None:
    (finding,) = lint_rules(permissive(spec_copy(_unknown_kind)))
    assert (finding.check, finding.rule) == ("rules", "rule-shape")
    assert finding.message == "UPD-PERCENT-INCREASE-ONLY: unknown kind 'ratchet'"
    assert finding.line is not None


def test_the_registry_catches_a_missing_parameter(spec_copy: Callable[..., Path]) -> None:
    (finding,) = lint_rules(permissive(spec_copy(_no_direction)))
    assert (finding.rule, finding.message) == (
        "rule-shape",
        "UPD-PERCENT-INCREASE-ONLY: a monotonic rule needs direction",
    )


def test_the_registry_catches_a_missing_group(spec_copy: Callable[..., Path]) -> None:
    (finding,) = lint_rules(permissive(spec_copy(_no_bound)))
    assert finding.message == "GEN-COUNT-POSITIVE: a bound rule needs minimum or maximum"


def test_the_project_json_schema_reports_these_too(spec_copy: Callable[..., Path]) -> None:
    for mutate in (_unknown_kind, _no_direction, _no_bound):
        assert {f.rule for f in lint_rules(spec_copy(mutate))} == {"rule-shape"}
