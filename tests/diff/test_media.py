"""A media type renamed into a refinement of another (or back) is one media type, renamed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from u4b_vouchers.diff import diff, load
from u4b_vouchers.diff.media import equivalent


def _doc(media: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "content": {media: {"schema": schema}}}}}}},
    }


def _ids(tmp_path: Path, before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(before))
    (tmp_path / "b.yaml").write_text(yaml.safe_dump(after))
    return {f.id for f in diff(load(str(tmp_path / "a.yaml")), load(str(tmp_path / "b.yaml")))}


def test_a_refined_media_type_is_renamed_and_its_schema_compared(tmp_path: Path) -> None:
    before = _doc("application/json", {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}})
    after = _doc("application/problem+json", {"type": "object", "properties": {"a": {"type": "string"}}})
    assert _ids(tmp_path, before, after) == {
        "response-media-type-name-specialized",
        "response-property-became-optional",
    }


def test_an_unrelated_media_type_is_removed_and_another_added(tmp_path: Path) -> None:
    schema = {"type": "string"}
    found = _ids(tmp_path, _doc("application/json", schema), _doc("text/plain", schema))
    assert found == {"response-media-type-removed", "response-media-type-added"}


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        ("application/json", "application/problem+json", True),
        ("application/problem+json", "application/json", True),
        ("application/json", "application/json; charset=utf-8", True),
        ("application/json", "application/xml", False),
        ("application/json", "text/json", False),
        ("application/vnd.a+json", "application/vnd.b+json", False),
        ("not a media type", "application/json", False),
    ],
)
def test_which_names_are_one_renamed(one: str, other: str, same: bool) -> None:
    assert equivalent(one, other) is same
