"""Edges of checks_jsonschema."""

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
