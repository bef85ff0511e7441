"""``u4b-vouchers lint`` as a user runs it: a real process, its exit code and its output."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, operation
from u4b_vouchers.lint import CHECKS

PYTHON_ONLY = ["--skip", "spectral", "--skip", "redocly"]


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "u4b_vouchers.cli.main", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        check=False,
    )


def assert_clean_failure(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("u4b-vouchers: error: ")


@pytest.mark.node
def test_the_project_description_passes_every_gate() -> None:
    result = cli("lint")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    for check in CHECKS:
        assert f"lint: {check}" in result.stderr
    assert "openapi/vouchers.yaml: no findings" in result.stderr


def test_findings_are_one_line_each_and_exit_1(spec_copy: Callable[..., Path]) -> None:
    def two_faults(data: dict[str, Any]) -> None:
        examples = operation(data, "generateVoucherCodes")["requestBody"]["content"]["application/json"]["examples"]
        examples["documented"]["value"]["number_of_codes"] = "100"
        data["components"]["schemas"]["UpdateVoucherProgramRequest"]["properties"]["value_per_trip_percentage"][
            "minimum"
        ] = 1

    path = spec_copy(two_faults)
    result = cli("lint", str(path), *PYTHON_ONLY, "--quiet")
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2
    assert any("[examples/example-invalid]" in line and "'100' is not of type 'integer'" in line for line in lines)
    assert any("[inventory/field]" in line and "minimum should be 5" in line for line in lines)
    # Each line names the file the fault is in: the description, or the inventory it broke.
    assert all(line.startswith((f"{path}:", f"{path.parent / 'inventory.yaml'}:")) for line in lines)
    assert all(": error [" in line for line in lines)
    assert result.stderr.strip() == f"2 finding(s) in {path} (2 errors)"


def test_json_output(spec_copy: Callable[..., Path]) -> None:
    path = spec_copy(lambda d: d["x-u4b-rules"].append(dict(d["x-u4b-rules"][0])))
    result = cli("lint", str(path), "--only", "rules", "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["spec"] == str(path)
    assert [(f["check"], f["rule"]) for f in report["findings"]] == [("rules", "duplicate-id")]


def test_missing_file(tmp_path: Path) -> None:
    assert_clean_failure(cli("lint", str(tmp_path / "nope.yaml")))


def test_invalid_yaml(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: 3.1.0\npaths: [\n")
    result = cli("lint", str(bad))
    assert_clean_failure(result)
    assert f"{bad}:" in result.stderr
    assert "invalid YAML" in result.stderr


def test_not_an_openapi_document(tmp_path: Path) -> None:
    bad = tmp_path / "list.yaml"
    bad.write_text("- just\n- a list\n")
    assert_clean_failure(cli("lint", str(bad)))


def test_a_directory_is_not_a_description(tmp_path: Path) -> None:
    assert_clean_failure(cli("lint", str(tmp_path)))


def test_unknown_check() -> None:
    result = cli("lint", "--only", "spelling")
    assert result.returncode == 2
    assert "invalid choice: 'spelling'" in result.stderr
    assert "Traceback" not in result.stderr


def test_no_command_prints_help_and_exits_2() -> None:
    result = cli()
    assert result.returncode == 2
    assert "lint" in result.stderr


def test_other_openapi_documents_can_be_linted(tmp_path: Path) -> None:
    """A description without the project's companion files: the project-specific checks that
    need them stay silent, the generic ones still run."""
    other = tmp_path / "petstore.yaml"
    other.write_text(
        "openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\npaths:\n  /pets:\n    get:\n"
        "      responses:\n        '200':\n          description: ok\n          content:\n"
        "            application/json:\n              schema: {type: integer}\n"
        "              example: 'three'\n"
    )
    result = cli("lint", str(other), *PYTHON_ONLY, "--quiet")
    assert result.returncode == 1
    assert "[examples/example-invalid]" in result.stdout
    assert "[inventory" not in result.stdout
    assert "[decisions" not in result.stdout


def test_a_description_split_across_files(tmp_path: Path) -> None:
    """Relative $refs to another file resolve next to the document, for the structure and
    the examples checks alike; one that leads nowhere is a finding, not a traceback."""
    (tmp_path / "schemas.yaml").write_text(
        "Pet:\n  type: object\n  properties:\n    kind: {$ref: '#/Kind'}\nKind: {type: string, enum: [cat, dog]}\n"
    )
    api = (
        "openapi: 3.1.0\ninfo: {title: Pets, version: '1'}\npaths:\n  /pets:\n    post:\n"
        "      requestBody:\n        content:\n          application/json:\n"
        "            schema: {$ref: 'FILE#/Pet'}\n            example: {kind: KIND}\n"
        "      responses:\n        '204': {description: done}\n"
    )
    (tmp_path / "good.yaml").write_text(api.replace("FILE", "schemas.yaml").replace("KIND", "cat"))
    (tmp_path / "bad-example.yaml").write_text(api.replace("FILE", "schemas.yaml").replace("KIND", "cow"))
    (tmp_path / "dangling.yaml").write_text(api.replace("FILE", "nope.yaml").replace("KIND", "cat"))
    good = cli("lint", str(tmp_path / "good.yaml"), *PYTHON_ONLY, "--quiet")
    assert good.returncode == 0, good.stdout + good.stderr
    bad = cli("lint", str(tmp_path / "bad-example.yaml"), *PYTHON_ONLY, "--quiet")
    assert bad.returncode == 1
    assert "[examples/example-invalid]" in bad.stdout
    assert "'cow' is not one of" in bad.stdout
    dangling = cli("lint", str(tmp_path / "dangling.yaml"), *PYTHON_ONLY, "--quiet")
    assert dangling.returncode == 1
    assert "cannot be resolved" in dangling.stdout
    assert "Traceback" not in dangling.stderr


def test_html_report(spec_copy: Callable[..., Path], tmp_path: Path) -> None:
    path = spec_copy(lambda d: d["x-u4b-rules"].append(dict(d["x-u4b-rules"][0])))
    report = tmp_path / "reports" / "lint.html"
    result = cli("lint", str(path), *PYTHON_ONLY, "--quiet", "--html", str(report))
    assert result.returncode == 1
    html = report.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>")
    assert "rules/duplicate-id" in html
    assert '<td class="bad">fail</td>' in html  # the rules check failed
    assert html.count('<td class="ok">ok</td>') == 5  # the other Python checks passed
    assert "<script" not in html
    assert "http" not in html


def test_html_report_that_cannot_be_written(tmp_path: Path) -> None:
    assert_clean_failure(cli("lint", *PYTHON_ONLY, "--quiet", "--html", str(tmp_path)))
