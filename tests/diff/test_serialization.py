"""Parameter serialization is compared as it takes effect: writing out a default is no change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from u4b_vouchers.diff import diff, load


def _doc(param: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/items/{id}": {"get": {"parameters": [param], "responses": {"200": {"description": "ok"}}}}},
    }


def _ids(tmp_path: Path, before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(_doc(before)))
    (tmp_path / "b.yaml").write_text(yaml.safe_dump(_doc(after)))
    return {f.id for f in diff(load(str(tmp_path / "a.yaml")), load(str(tmp_path / "b.yaml")))}


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ({"name": "q", "in": "query"}, {"name": "q", "in": "query", "style": "form", "explode": True}),
        (
            {"name": "id", "in": "path", "required": True},
            {"name": "id", "in": "path", "required": True, "style": "simple", "explode": False},
        ),
        ({"name": "X-A", "in": "header"}, {"name": "X-A", "in": "header", "style": "simple"}),
        ({"name": "q", "in": "query", "allowEmptyValue": False}, {"name": "q", "in": "query"}),
    ],
)
def test_defaults_written_out_are_no_change(tmp_path: Path, before: dict[str, Any], after: dict[str, Any]) -> None:
    for param in (before, after):
        param["schema"] = {"type": "array", "items": {"type": "string"}}
    assert _ids(tmp_path, before, after) == set()


def test_a_changed_style_also_changes_its_default_explode(tmp_path: Path) -> None:
    before = {"name": "q", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}}
    after = {**before, "style": "spaceDelimited"}
    assert _ids(tmp_path, before, after) == {"request-parameter-style-changed", "request-parameter-explode-changed"}


def test_a_parameter_serialised_by_content_has_no_style(tmp_path: Path) -> None:
    before = {"name": "q", "in": "query", "content": {"application/json": {"schema": {"type": "object"}}}}
    after = {**before, "style": "deepObject"}
    assert _ids(tmp_path, before, after) == set()
