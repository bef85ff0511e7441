"""The project-specific checks run on descriptions written to the project's conventions and are
skipped, with the reason, on another API."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.lint.other_api import PROJECT_CHECKS, write_other_api
from u4b_vouchers.lint import CHECKS, CheckRun, run_lint
from u4b_vouchers.spec import load_spec, openapi_dir

PYTHON_CHECKS = [name for name, check in CHECKS.items() if not check.needs_node]


def ran(path: Path) -> dict[str, CheckRun]:
    runs: list[CheckRun] = []
    run_lint(load_spec(path), only=PYTHON_CHECKS, progress=runs.append)
    return {r.check.name: r for r in runs}


def test_another_api_skips_the_project_checks(tmp_path: Path) -> None:
    runs = ran(write_other_api(tmp_path))
    assert {name for name, r in runs.items() if r.status == "skipped"} == set(PROJECT_CHECKS)
    assert runs["inventory"].skipped == "no inventory.yaml next to my-api.yaml (--inventory FILE names one)"
    assert runs["structure"].status == "ok"
    assert runs["examples"].status == "fail"


def test_the_project_description_runs_every_check(spec_copy: Callable[..., Path]) -> None:
    runs = ran(spec_copy())
    assert {r.status for r in runs.values()} == {"ok"}


def test_an_inventory_of_another_description_is_a_reason_to_skip() -> None:
    runs = ran(openapi_dir() / "emulator-control.yaml")
    assert runs["inventory"].skipped == "inventory.yaml describes vouchers.yaml, not emulator-control.yaml"
    assert runs["rules"].status == "skipped"


def test_a_description_using_the_conventions_is_held_to_them(tmp_path: Path) -> None:
    """A D-nnn citation or an x-u4b- extension makes the missing companion a finding."""
    path = write_other_api(tmp_path)
    text = path.read_text().replace("x-rate-limit: 10", "x-u4b-owner: team").replace("Every pet.", "Every pet (D-001).")
    path.write_text(text, encoding="utf-8")
    runs = ran(path)
    assert [f.rule for f in runs["decisions"].findings] == ["no-decision-log"]
    assert [f.rule for f in runs["extensions"].findings] == ["no-extensions-doc"]
