"""scripts/generate-clients: every other-language client is generated and builds."""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.node


def test_clients_in_other_languages_generate_and_build(tmp_path: Path) -> None:
    out = tmp_path / "clients"
    result = subprocess.run(
        [str(ROOT / "scripts" / "generate-clients"), str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "all clients generated and built" in result.stderr
    assert "python client: imported and checked" in result.stdout
    types = (out / "typescript" / "vouchers.ts").read_text()
    # The adjustment keeps the contact rule as a type: object & (email | mobile).
    assert "} & ({\n            /** @description The guest's email address" in types or "} & ({" in types
    assert (out / "typescript-fetch" / "apis" / "GuestsApi.ts").is_file()
    assert (out / "python" / "u4b_vouchers_openapi_client" / "api" / "guests_api.py").is_file()


def _adjust_module() -> ModuleType:
    location = ROOT / "scripts" / "clients" / "adjust_for_openapi_typescript.py"
    spec = importlib.util.spec_from_file_location("adjust_for_openapi_typescript", location)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_adjustment_leaves_other_schemas_alone() -> None:
    adjust = _adjust_module().adjust
    untouched = {
        "type": "object",
        "properties": {"a": {"type": "string"}},
        "anyOf": [{"properties": {"a": {"minLength": 1}}}],
    }
    assert adjust(untouched) == untouched
    rule = {
        "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
        "anyOf": [{"required": ["a"]}, {"required": ["b"]}],
    }
    adjusted = adjust(rule)
    assert adjusted["allOf"][1]["anyOf"][0] == {
        "required": ["a"],
        "properties": {"a": {"type": "string"}},
    }
    assert "anyOf" not in adjusted["allOf"][0]
