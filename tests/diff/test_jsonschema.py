"""Edges of checks_jsonschema and of the transitions it shares with the type and composition
checks: what a list of types or a oneOf wrapping reports, and what it keeps others from
reporting."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from tests.diff.rule_pairs import place, standard
from u4b_vouchers.diff import diff, load

STR = {"type": "string"}
INT = {"type": "integer"}


def ids(tmp_path: Path, at: str, before: Any, after: Any) -> list[str]:
    for name, schema in (("base", before), ("revision", after)):
        doc = place(standard(), at, copy.deepcopy(schema))
        (tmp_path / f"{name}.yaml").write_text(yaml.safe_dump(doc))
    found = diff(load(str(tmp_path / "base.yaml")), load(str(tmp_path / "revision.yaml")))
    return sorted(f.id for f in found)


# ------------------------------------------------------------------ lists of types


def test_a_type_becoming_a_one_of_of_types_is_a_list_of_types_widened_and_nothing_else(tmp_path: Path) -> None:
    found = ids(tmp_path, "response-property", STR, {"oneOf": [STR, INT]})
    assert found == ["response-property-list-of-types-widened"]


def test_a_request_list_of_types_losing_a_type_is_narrowed(tmp_path: Path) -> None:
    found = ids(tmp_path, "request-body", {"anyOf": [STR, INT]}, STR)
    assert found == ["request-body-list-of-types-narrowed"]


def test_a_list_of_types_written_in_another_order_is_no_change(tmp_path: Path) -> None:
    assert ids(tmp_path, "request-property", {"oneOf": [STR, INT]}, {"oneOf": [INT, STR]}) == []


def test_a_one_of_with_an_object_member_is_no_list_of_types(tmp_path: Path) -> None:
    obj = {"type": "object", "properties": {"a": STR}}
    found = ids(tmp_path, "response-property", {"oneOf": [STR]}, {"oneOf": [STR, obj]})
    assert "response-property-list-of-types-widened" not in found
    assert "response-property-one-of-added" in found


def test_a_read_only_request_property_gets_no_list_of_types_finding(tmp_path: Path) -> None:
    found = ids(tmp_path, "request-property", {**STR, "readOnly": True}, {"oneOf": [STR, INT], "readOnly": True})
    assert not [i for i in found if "list-of-types" in i]


# ------------------------------------------------------------------ oneOf wrapping

OBJECT = {"type": "object", "properties": {"a": STR, "b": STR}}
WRAPPED = {
    "oneOf": [
        {"type": "object", "required": ["a"], "properties": {"a": STR, "b": STR}},
        {"type": "object", "required": ["b"], "properties": {"a": STR, "b": STR}},
    ]
}


def test_a_wrapped_response_body_reports_the_wrapping_not_its_echoes(tmp_path: Path) -> None:
    assert ids(tmp_path, "response-body", OBJECT, WRAPPED) == ["response-body-wrapped-in-one-of"]


def test_a_property_missing_from_every_alternative_is_still_removed(tmp_path: Path) -> None:
    before = {"type": "object", "properties": {"a": STR, "b": STR, "c": STR}}
    found = ids(tmp_path, "request-body", before, WRAPPED)
    assert found.count("request-property-removed") == 1
    assert "request-body-wrapped-in-one-of" in found


def test_a_wrapped_property_reports_one_of_added_but_no_type_change(tmp_path: Path) -> None:
    found = ids(tmp_path, "request-property", OBJECT, WRAPPED)
    assert "request-property-one-of-added" in found
    assert not [i for i in found if "type" in i or i == "request-property-removed"]


def test_a_wrapping_with_a_null_alternative_is_no_one_of_wrapping(tmp_path: Path) -> None:
    found = ids(tmp_path, "response-body", OBJECT, {"oneOf": [{"type": "null"}, OBJECT]})
    assert "response-body-wrapped-in-one-of" not in found


# ------------------------------------------------------------------ keyword edges

ARRAY = {"type": "array", "items": STR, "contains": {"const": "x"}}


def test_min_contains_set_or_unset_is_neither_increased_nor_decreased(tmp_path: Path) -> None:
    assert ids(tmp_path, "request-body", ARRAY, {**ARRAY, "minContains": 2}) == []
    assert ids(tmp_path, "request-body", {**ARRAY, "maxContains": 2}, ARRAY) == []


def test_a_change_inside_contains_is_not_contains_added_or_removed(tmp_path: Path) -> None:
    found = ids(tmp_path, "response-body", ARRAY, {**ARRAY, "contains": {"const": "y"}})
    assert not [i for i in found if "contains" in i]


def test_dependent_required_names_added_and_removed_are_one_change(tmp_path: Path) -> None:
    base = {"type": "object", "dependentRequired": {"a": ["b"]}}
    found = ids(tmp_path, "request-body", base, {"type": "object", "dependentRequired": {"a": ["c"]}})
    assert found == ["request-body-dependent-required-changed"]


def test_an_unevaluated_properties_false_becoming_a_schema_is_added(tmp_path: Path) -> None:
    base = {"type": "object", "unevaluatedProperties": False}
    found = ids(tmp_path, "response-body", base, {"type": "object", "unevaluatedProperties": STR})
    assert found == ["response-body-unevaluated-properties-added"]


def test_extensible_enum_values_removed_from_a_read_only_request_property_are_not_reported(tmp_path: Path) -> None:
    before = {"type": "string", "readOnly": True, "x-extensible-enum": ["a", "b"]}
    after = {"type": "string", "readOnly": True, "x-extensible-enum": ["a"]}
    assert ids(tmp_path, "request-property", before, after) == []


def test_discriminator_mapping_changes_are_reported_apart(tmp_path: Path) -> None:
    before = {"type": "object", "discriminator": {"propertyName": "k", "mapping": {"x": "#/X", "y": "#/Y"}}}
    after = {"type": "object", "discriminator": {"propertyName": "k", "mapping": {"x": "#/X2", "z": "#/Z"}}}
    assert ids(tmp_path, "response-body", before, after) == [
        "response-body-discriminator-mapping-added",
        "response-body-discriminator-mapping-changed",
        "response-body-discriminator-mapping-deleted",
    ]
