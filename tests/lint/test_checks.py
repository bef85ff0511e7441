"""Each lint check passes on the project's description and catches the fault it exists for."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import operation, rule
from u4b_vouchers.lint import CHECKS, Finding, run_lint
from u4b_vouchers.spec import Spec, load_spec, openapi_dir

PYTHON_CHECKS = [name for name, check in CHECKS.items() if not check.needs_node]
GUESTS = "getVoucherProgramGuestInfo"
UPDATE = "updateVoucherProgram"


def lint(path: Path, *checks: str) -> list[Finding]:
    return run_lint(load_spec(path), only=checks or PYTHON_CHECKS)


def test_the_project_description_is_clean(spec: Spec) -> None:
    assert run_lint(spec, only=PYTHON_CHECKS) == []


def test_a_copy_is_clean_too(spec_copy: Callable[..., Path]) -> None:
    """The copy fixture itself introduces no finding, so the tests below isolate their fault."""
    assert lint(spec_copy()) == []


def _break_example(data: dict[str, Any]) -> None:
    example = operation(data, GUESTS)["responses"]["200"]["content"]["application/json"]["examples"]["documented"]
    example["value"]["guests"][0]["voucher"]["usage_count"] = "twenty"


def _dangling_pointer(data: dict[str, Any]) -> None:
    rule(data, "UPD-PERCENT-RANGE")["pointer"] = "#/components/schemas/Nope"


def _unknown_target(data: dict[str, Any]) -> None:
    rule(data, "UPD-PERCENT-RANGE")["target"] = "body.value_per_trip_percent"


def _duplicate_id(data: dict[str, Any]) -> None:
    rule(data, "UPD-MAX-TRIPS-MAX")["id"] = "UPD-PERCENT-RANGE"


def _bad_rule_shape(data: dict[str, Any]) -> None:
    rule(data, "UPD-PERCENT-RANGE")["violation"] = [{"status": "four hundred"}]


def _missing_basis(data: dict[str, Any]) -> None:
    del rule(data, "UPD-PERCENT-RANGE")["basis"]


def _stated_but_lenient(data: dict[str, Any]) -> None:
    rule(data, "GEN-COUNT-POSITIVE")["basis"] = "stated"


def _open_with_one_outcome(data: dict[str, Any]) -> None:
    rule(data, "UPD-PERCENT-RANGE")["basis"] = "open"


def _unknown_operation(data: dict[str, Any]) -> None:
    rule(data, "UPD-PERCENT-RANGE")["operations"] = ["patchProgram"]


def _unknown_decision(data: dict[str, Any]) -> None:
    rule(data, "UPD-PERCENT-RANGE")["decisions"] = ["D-999"]


def _undocumented_extension(data: dict[str, Any]) -> None:
    operation(data, UPDATE)["x-u4b-owner"] = "team"


def _invalid_structure(data: dict[str, Any]) -> None:
    operation(data, UPDATE)["parameters"][0]["in"] = "body"  # OpenAPI 2 style, not valid in 3.x


@pytest.mark.parametrize(
    ("mutate", "check", "rule_id"),
    [
        (_break_example, "examples", "example-invalid"),
        (_dangling_pointer, "rules", "dangling-pointer"),
        (_unknown_target, "rules", "unknown-target"),
        (_duplicate_id, "rules", "duplicate-id"),
        (_bad_rule_shape, "rules", "rule-shape"),
        (_missing_basis, "rules", "rule-shape"),
        (_stated_but_lenient, "rules", "rule-shape"),
        (_open_with_one_outcome, "rules", "rule-basis"),
        (_unknown_operation, "rules", "unknown-operation"),
        (_unknown_decision, "decisions", "unknown-decision"),
        (_undocumented_extension, "extensions", "undocumented-extension"),
        (_invalid_structure, "structure", "openapi-spec-validator"),
    ],
)
def test_each_fault_is_caught(
    spec_copy: Callable[..., Path],
    mutate: Callable[[dict[str, Any]], None],
    check: str,
    rule_id: str,
) -> None:
    findings = lint(spec_copy(mutate), check)
    assert [f.rule for f in findings] != []
    assert {f.rule for f in findings} == {rule_id}
    assert all(f.check == check for f in findings)


def test_findings_carry_the_line_of_the_fault(spec_copy: Callable[..., Path]) -> None:
    path = spec_copy(_break_example)
    (finding,) = lint(path, "examples")
    assert finding.pointer is not None
    assert finding.pointer.endswith("/guests/0/voucher/usage_count")
    assert finding.line is not None
    assert path.read_text().splitlines()[finding.line - 1].strip().startswith("usage_count:")
    assert finding.severity == "error"
    assert finding.one_line("vouchers.yaml").startswith(
        f"vouchers.yaml:{finding.line}: error [examples/example-invalid] "
    )


def test_a_decision_log_that_mentions_an_unknown_rule(spec_copy: Callable[..., Path]) -> None:
    path = spec_copy()
    log = path.parent / "DECISIONS.md"
    log.write_text(log.read_text() + "\n## D-900 Extra\n- **Rule:** UPD-NOT-A-RULE\n")
    findings = lint(path, "decisions")
    assert [(f.rule, f.line) for f in findings] == [("unknown-rule", len(log.read_text().splitlines()))]
    assert "UPD-NOT-A-RULE" in findings[0].message


def test_a_description_citing_decisions_needs_a_log(spec_copy: Callable[..., Path]) -> None:
    path = spec_copy()
    (path.parent / "DECISIONS.md").unlink()
    assert [f.rule for f in lint(path, "decisions")] == ["no-decision-log"]


# ---------------------------------------------------------------- inventory


def _drop_field(data: dict[str, Any]) -> None:
    del data["components"]["schemas"]["UpdateVoucherProgramRequest"]["properties"]["expense_memo"]


def _loosen_percentage(data: dict[str, Any]) -> None:
    data["components"]["schemas"]["UpdateVoucherProgramRequest"]["properties"]["value_per_trip_percentage"][
        "maximum"
    ] = 100


def _optional_count(data: dict[str, Any]) -> None:
    data["components"]["schemas"]["GenerateVoucherCodesRequest"]["required"] = []


def _drop_error_code(data: dict[str, Any]) -> None:
    schema = data["components"]["responses"]["Forbidden"]["content"]["application/json"]["schema"]
    schema["allOf"][1]["properties"]["code"]["enum"] = ["user_not_allowed"]


def _drop_rule(data: dict[str, Any]) -> None:
    data["x-u4b-rules"] = [r for r in data["x-u4b-rules"] if r["id"] != "UPD-VEHICLE-BEFORE-START-ONLY"]


def _miscite_rule(data: dict[str, Any]) -> None:
    rule(data, "UPD-MAX-TRIPS-MAX")["source"][0]["row"] = "value_per_period_max_credit"


def _add_delegated_to_create(data: dict[str, Any]) -> None:
    operation(data, "createIndividualVoucherProgram")["security"].append(
        {"AuthorizationCode": ["organizations.voucher_programs.delegated"]}
    )


def _undeprecate(data: dict[str, Any]) -> None:
    operation(data, "createIndividualVoucherProgram")["deprecated"] = False


@pytest.mark.parametrize(
    ("mutate", "rule_id", "words"),
    [
        (_drop_field, "field", "body field expense_memo is missing"),
        (_loosen_percentage, "field", "maximum should be 99"),
        (_optional_count, "field", "required should be True"),
        (_drop_error_code, "error", "403 unauthorized is not documented"),
        (_drop_rule, "rule-missing", "UPD-VEHICLE-BEFORE-START-ONLY"),
        (_miscite_rule, "rule-citation", "UPD-MAX-TRIPS-MAX does not cite Update Voucher Program, "),
        (_add_delegated_to_create, "scopes", "createIndividualVoucherProgram: scopes should be"),
        (_undeprecate, "deprecated", "should be marked deprecated"),
    ],
)
def test_inventory_catches_what_the_spec_lost(
    spec_copy: Callable[..., Path],
    mutate: Callable[[dict[str, Any]], None],
    rule_id: str,
    words: str,
) -> None:
    findings = lint(spec_copy(mutate), "inventory")
    matching = [f for f in findings if f.rule == rule_id and words in f.message]
    assert matching, [f.message for f in findings]


def test_inventory_catches_a_rule_it_does_not_list(spec_copy: Callable[..., Path]) -> None:
    def forget(inventory: dict[str, Any]) -> None:
        entry = inventory["documents"]["003_f9fd6dd2390ec048.txt"]
        entry["rules"] = [r for r in entry["rules"] if r["id"] != "UPD-PERCENT-RANGE"]

    findings = lint(spec_copy(inventory=forget), "inventory")
    assert [(f.rule, f.message) for f in findings] == [
        ("rule-unlisted", "rule UPD-PERCENT-RANGE is in x-u4b-rules but not in the inventory")
    ]


def test_inventory_counts(spec: Spec) -> None:
    """The inventory is substantial: a guard against it being emptied to make lint pass."""
    inventory = yaml.safe_load((openapi_dir() / "inventory.yaml").read_text())
    documents = inventory["documents"]
    fields = sum(len(d.get("fields", [])) for d in documents.values())
    errors = sum(len(d.get("errors", [])) for d in documents.values())
    rules = {r["id"] for d in documents.values() for r in d.get("rules", [])}
    assert fields >= 70
    assert errors >= 22
    assert len(rules) == len(spec.data["x-u4b-rules"])
