"""Descriptions shaped to make the gate's work explode: a component reused twice at every level
(2^40 paths to the leaf) is walked within a budget, and inlined within one, so the diff ends."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from u4b_vouchers.diff import diff, load
from u4b_vouchers.diff.walk import WALK_BUDGET

LEVELS = 40


def _doc(leaf_maximum: int, body: dict[str, Any]) -> dict[str, Any]:
    schemas: dict[str, Any] = {
        f"S{i}": {
            "type": "object",
            "properties": {name: {"$ref": f"#/components/schemas/S{i + 1}"} for name in ("a", "b")},
        }
        for i in range(LEVELS)
    }
    schemas[f"S{LEVELS}"] = {"type": "integer", "maximum": leaf_maximum}
    operation = {
        "requestBody": {"content": {"application/json": {"schema": body}}},
        "responses": {"200": {"description": "ok"}},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"post": operation}},
        "components": {"schemas": schemas},
    }


def _diff(tmp_path: Path, base: dict[str, Any], revision: dict[str, Any]) -> list[str]:
    (tmp_path / "a.json").write_text(json.dumps(base))
    (tmp_path / "b.json").write_text(json.dumps(revision))
    return [f.id for f in diff(load(str(tmp_path / "a.json")), load(str(tmp_path / "b.json")))]


def test_a_component_reused_at_every_level_is_walked_within_a_budget(tmp_path: Path) -> None:
    root = {"$ref": "#/components/schemas/S0"}
    found = _diff(tmp_path, _doc(10, root), _doc(9, root))
    assert 0 < len(found) <= WALK_BUDGET
    assert set(found) == {"request-property-max-decreased"}


def test_a_composition_member_reusing_components_is_inlined_within_a_budget(tmp_path: Path) -> None:
    base = _doc(10, {"anyOf": [{"$ref": "#/components/schemas/S0"}]})
    revision = _doc(10, {"anyOf": [{"type": "string"}]})
    assert sorted(_diff(tmp_path, base, revision)) == ["request-body-any-of-added", "request-body-any-of-removed"]
