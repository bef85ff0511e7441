"""``diff --validate`` reads a description as OpenAPI means it: a status written ``200:`` in
YAML (an integer to the YAML loader) is the status code "200", here and in referenced files."""

from __future__ import annotations

from pathlib import Path

import pytest

from u4b_vouchers.diff import SourceError, load, validate

DOC = """openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      responses:
        200: {$ref: 'other.yaml#/ok'}
        404: {description: missing}
"""


def test_numeric_status_keys_are_status_codes(tmp_path: Path) -> None:
    (tmp_path / "other.yaml").write_text("ok:\n  description: ok\n  headers:\n    X-A: {schema: {type: string}}\n")
    (tmp_path / "a.yaml").write_text(DOC)
    validate(load(str(tmp_path / "a.yaml")))


def test_a_description_that_is_not_valid_is_still_refused(tmp_path: Path) -> None:
    (tmp_path / "other.yaml").write_text("ok: {description: ok}\n")
    (tmp_path / "a.yaml").write_text(DOC.replace("{description: missing}", "{headers: {}}"))  # no description
    with pytest.raises(SourceError, match="not a valid OpenAPI document"):
        validate(load(str(tmp_path / "a.yaml")))
