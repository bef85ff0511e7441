from __future__ import annotations

from pathlib import Path

import pytest

from u4b_vouchers.spec import Spec, SpecError, default_spec_path
from u4b_vouchers.spec.loader import load_document


def test_default_spec_is_the_checked_in_description() -> None:
    assert default_spec_path() == Path(__file__).resolve().parents[2] / "openapi" / "vouchers.yaml"


def test_lines_are_recorded_for_keys(tmp_path: Path) -> None:
    file = tmp_path / "doc.yaml"
    file.write_text("openapi: 3.1.0\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a~b/c:\n    get: {}\n")
    doc = load_document(file)
    assert doc.line_of("#/info/title") == 3
    assert doc.line_of("#/paths/~1a~0b~1c/get") == 7
    # An unknown pointer falls back to its nearest known ancestor.
    assert doc.line_of("#/info/title/deeper") == 3


def test_invalid_yaml_is_one_line_with_its_line_number(tmp_path: Path) -> None:
    file = tmp_path / "bad.yaml"
    file.write_text("openapi: 3.1.0\ninfo: {title: t\npaths: {}\n")
    with pytest.raises(SpecError) as caught:
        load_document(file)
    assert "\n" not in str(caught.value)
    assert caught.value.line is not None
    assert str(caught.value).startswith(f"{file}:{caught.value.line}: invalid YAML")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="no such file"):
        load_document(tmp_path / "absent.yaml")


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    file = tmp_path / "list.yaml"
    file.write_text("- 1\n- 2\n")
    with pytest.raises(SpecError, match="not an OpenAPI document"):
        Spec.load(file)


def test_operations_and_parameters(spec: Spec) -> None:
    ids = {op.operation_id for op in spec.operations()}
    assert ids == {
        "generateVoucherCodes",
        "createIndividualVoucherProgram",
        "getVoucherProgramGuestInfo",
        "updateVoucherProgram",
    }
    guests = spec.operation("getVoucherProgramGuestInfo")
    names = {(p["in"], p["name"]) for p in spec.parameters(guests)}
    assert names == {
        ("path", "organization_id"),
        ("path", "voucher_program_id"),
        ("header", "Accept-Language"),
        ("query", "limit"),
        ("query", "page_token"),
    }
