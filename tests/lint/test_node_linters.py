"""Spectral and Redocly, as installed by scripts/install, on the description and on faults."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import operation
from u4b_vouchers.lint import run_lint
from u4b_vouchers.spec import Spec, load_spec

pytestmark = pytest.mark.node


@pytest.mark.parametrize("check", ["spectral", "redocly"])
def test_the_description_has_no_findings(spec: Spec, check: str) -> None:
    assert run_lint(spec, only=[check]) == []


def _faults(data: dict[str, Any]) -> None:
    update = operation(data, "updateVoucherProgram")
    del update["responses"]["401"]  # project Spectral rule u4b-operation-401
    del update["summary"]  # Redocly operation-summary
    data["components"]["schemas"]["Guest"]["additionalProperties"] = False  # u4b-no-closed-objects


def test_spectral_runs_the_project_ruleset(spec_copy: Callable[..., Path]) -> None:
    findings = run_lint(load_spec(spec_copy(_faults)), only=["spectral"])
    assert {"u4b-operation-401", "u4b-no-closed-objects"} <= {f.rule for f in findings}
    assert all(f.line for f in findings)


@pytest.mark.parametrize("keyword", ["additionalProperties", "unevaluatedProperties"])
def test_a_closed_vendor_schema_is_flagged_by_either_keyword(spec_copy: Callable[..., Path], keyword: str) -> None:
    def close(data: dict[str, Any]) -> None:
        data["components"]["schemas"]["Guest"][keyword] = False

    findings = run_lint(load_spec(spec_copy(close)), only=["spectral"])
    closed = [f.pointer for f in findings if f.rule == "u4b-no-closed-objects"]
    assert closed == [f"#/components/schemas/Guest/{keyword}"]


def test_redocly_reports_with_lines(spec_copy: Callable[..., Path]) -> None:
    findings = run_lint(load_spec(spec_copy(_faults)), only=["redocly"])
    assert "operation-summary" in {f.rule for f in findings}
    assert all(f.line for f in findings)


def test_a_missing_tool_is_a_finding_not_a_crash(spec: Spec, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("U4B_NODE_BIN", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("u4b_vouchers.lint.node.openapi_dir", lambda: tmp_path / "openapi")
    (finding,) = run_lint(spec, only=["spectral"])
    assert finding.rule == "not-installed"
    assert "scripts/install" in finding.message
