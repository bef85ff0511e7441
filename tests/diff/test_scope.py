"""What the gate looks at: operations below the stability threshold are left out (as oasdiff
leaves them out), and the operations of a webhook kept in both revisions are checked like paths'."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from u4b_vouchers.diff import diff, load


def _run(tmp_path: Path, base: dict[str, Any], revision: dict[str, Any]) -> set[str]:
    for name, doc in (("a.yaml", base), ("b.yaml", revision)):
        (tmp_path / name).write_text(
            yaml.safe_dump({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, **doc})
        )
    return {f.id for f in diff(load(str(tmp_path / "a.yaml")), load(str(tmp_path / "b.yaml")))}


def _op(maximum: int, **extra: Any) -> dict[str, Any]:
    schema = {"type": "object", "properties": {"n": {"type": "integer", "maximum": maximum}}}
    return {
        **extra,
        "requestBody": {"content": {"application/json": {"schema": schema}}},
        "responses": {"200": {"description": "ok"}},
    }


@pytest.mark.parametrize(("level", "reported"), [("draft", False), ("alpha", False), ("beta", True), ("stable", True)])
def test_changes_below_beta_are_not_checked(tmp_path: Path, level: str, reported: bool) -> None:
    stability = {"x-stability-level": level}
    found = _run(
        tmp_path, {"paths": {"/a": {"post": _op(10, **stability)}}}, {"paths": {"/a": {"post": _op(9, **stability)}}}
    )
    assert ("request-property-max-decreased" in found) is reported


def test_an_alpha_operation_may_be_removed(tmp_path: Path) -> None:
    base = {"paths": {"/a": {"post": _op(10, **{"x-stability-level": "alpha"}), "get": _op(1)}}}
    assert _run(tmp_path, base, {"paths": {"/a": {"get": _op(1)}}}) == set()


def test_a_stability_lowered_to_draft_is_still_reported(tmp_path: Path) -> None:
    base = {"paths": {"/a": {"post": _op(10)}}}
    revision = {"paths": {"/a": {"post": _op(9, **{"x-stability-level": "draft"})}}}
    assert _run(tmp_path, base, revision) == {"api-stability-decreased"}


def test_a_webhook_kept_in_both_is_checked_like_a_path(tmp_path: Path) -> None:
    base = {"webhooks": {"paid": {"post": _op(10)}}}
    found = _run(tmp_path, base, {"webhooks": {"paid": {"post": _op(9)}}})
    assert found == {"request-property-max-decreased"}


def test_a_webhook_added_or_removed_is_one_finding(tmp_path: Path) -> None:
    assert _run(tmp_path, {"webhooks": {"paid": {"post": _op(10)}}}, {"webhooks": {}}) == {"webhook-removed"}
    assert _run(tmp_path, {"webhooks": {}}, {"webhooks": {"paid": {"post": _op(10)}}}) == {"webhook-added"}
