"""``u4b-vouchers lint`` on another API: the generic checks only, the project's skipped (and
shown skipped), each finding with its level, one defect once, and bad input refused."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.lint.other_api import BAD_EXAMPLE, LINE_OF_BAD_EXAMPLE, PROJECT_CHECKS, write_other_api
from u4b_vouchers.cli.main import build_parser, main
from u4b_vouchers.lint import CHECKS

PYTHON_ONLY = ["--skip", "spectral", "--skip", "redocly"]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def other_api(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_other_api(tmp_path_factory.mktemp("other"))


@pytest.fixture(scope="module")
def full_report(other_api: Path) -> dict[str, Any]:
    """One run of every check, the Node linters included, on the other API (JSON); a module
    fixture cannot take capsys, so the output is captured here."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["lint", "--format", "json", "--quiet", str(other_api)])
    report: dict[str, Any] = json.loads(out.getvalue())
    report["exit"] = code
    return report


@pytest.mark.node
def test_no_project_rule_runs_on_another_api(full_report: dict[str, Any]) -> None:
    rules = {f["rule"] for f in full_report["findings"]}
    assert not any(rule.startswith("u4b-") for rule in rules), rules
    assert full_report["rulesets"] == {"spectral": "spectral:oas", "redocly": "recommended"}


@pytest.mark.node
def test_the_project_checks_are_skipped_with_their_reason(full_report: dict[str, Any]) -> None:
    status = {c["check"]: (c["status"], c["reason"]) for c in full_report["checks"]}
    assert status["decisions"] == ("skipped", "no DECISIONS.md next to my-api.yaml")
    assert status["extensions"] == ("skipped", "no extensions.md next to my-api.yaml")
    assert status["rules"] == ("skipped", "no x-u4b-rules in my-api.yaml")
    assert status["inventory"][0] == "skipped"
    assert {name for name, (verdict, _) in status.items() if verdict != "skipped"} == {
        "structure",
        "examples",
        "spectral",
        "redocly",
    }


@pytest.mark.node
def test_every_finding_has_its_level_and_the_bad_example_is_one(full_report: dict[str, Any]) -> None:
    findings = full_report["findings"]
    assert all(f["severity"] in ("error", "warning", "info") for f in findings)
    at_example = [f for f in findings if f["pointer"] == BAD_EXAMPLE]
    assert len(at_example) == 1, at_example
    (example,) = at_example
    assert example["reported_by"] == [
        "examples/example-invalid",
        "spectral/oas3-valid-media-example",
        "redocly/no-invalid-media-type-examples",
    ]
    assert (example["severity"], example["line"]) == ("error", LINE_OF_BAD_EXAMPLE)
    contact = next(f for f in findings if f["rule"] == "info-contact")
    assert contact["severity"] == "warning"  # Spectral's level 1
    assert full_report["counts"] == {"error": 1, "warning": 1, "info": 0}
    assert full_report["exit"] == 1


def test_text_shows_the_level_and_the_skipped_checks(other_api: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["lint", *PYTHON_ONLY, str(other_api)], capsys)
    assert code == 1
    (line,) = out.splitlines()
    assert line.startswith(f"{other_api}:{LINE_OF_BAD_EXAMPLE}: error [examples/example-invalid] ")
    assert line.endswith(f"(at {BAD_EXAMPLE})")
    for name in PROJECT_CHECKS:
        assert f"lint: {name:<10} skipped: no " in err
    assert " ok " not in err.replace("structure  ok", "")  # only structure passed
    assert err.strip().splitlines()[-1] == (
        f"1 finding(s) in {other_api} (1 error); skipped: rules, decisions, extensions, inventory"
    )


def test_html_has_a_banner_a_level_column_and_the_skipped_checks(
    other_api: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "lint.html"
    code, _, _ = run(["lint", *PYTHON_ONLY, "--quiet", "--html", str(report), str(other_api)], capsys)
    assert code == 1
    html = report.read_text(encoding="utf-8")
    assert '<div class="banner bad" role="status"><strong>1 error</strong>' in html
    assert "4 check(s) skipped: rules, decisions, extensions, inventory" in html
    assert "<th>severity</th>" in html
    assert '<td class="bad">error</td>' in html
    assert '<td class="id">examples/example-invalid</td>' in html
    assert f'<td class="ptr">{BAD_EXAMPLE}</td>' in html
    assert html.count('<td class="muted">skipped</td>') == 4
    assert '<td class="muted">no DECISIONS.md next to my-api.yaml</td>' in html
    assert '<td class="ok">ok</td>' in html  # structure


def test_a_clean_run_has_a_clean_banner(other_api: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "lint.html"
    code, out, err = run(["lint", "--only", "structure", "--html", str(report), str(other_api)], capsys)
    assert (code, out) == (0, "")
    assert err.strip().splitlines()[-1] == f"{other_api}: no findings"
    assert '<div class="banner ok" role="status"><strong>clean</strong>' in report.read_text(encoding="utf-8")


NOT_OPENAPI = [
    ("no-openapi-key.yaml", "info: {title: T, version: '1'}\npaths: {}\n", "(no openapi key)"),
    ("swagger.yaml", "swagger: '2.0'\ninfo: {title: T, version: '1'}\npaths: {}\n", "(Swagger 2.0)"),
    ("four.yaml", "openapi: 4.0.0\ninfo: {title: T, version: '1'}\npaths: {}\n", "(openapi: 4.0.0)"),
    ("list.yaml", "- just\n- a list\n", "not a mapping"),
    ("config.yaml", "name: my-service\nreplicas: 3\n", "(no openapi key)"),
]


@pytest.mark.parametrize(("name", "text", "why"), NOT_OPENAPI, ids=[n for n, _, _ in NOT_OPENAPI])
def test_a_file_that_is_not_openapi_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, why: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    code, out, err = run(["lint", "--quiet", str(path)], capsys)
    assert (code, out) == (2, "")
    (line,) = err.splitlines()
    assert line.startswith(f"u4b-vouchers: error: {path}")
    assert "not an OpenAPI" in line
    assert why in line


def _lint_parser() -> argparse.ArgumentParser:
    parser = build_parser(("lint",))
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    lint: argparse.ArgumentParser = subparsers.choices["lint"]
    return lint


def test_help_lists_the_checks_and_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["lint", "--help"])
    assert stopped.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    for option in ("--only CHECK", "--skip CHECK"):
        assert option in text
    assert text.count("checks: " + ", ".join(["structure", "rules", "decisions", "extensions"])) == 2
    for name in CHECKS:
        assert name in text
    assert "exit codes: 0 no errors or warnings" in text
    assert " 1 errors or warnings" in text
    assert " 2 bad input" in text
    for action in _lint_parser()._actions:
        assert action.help, action.option_strings or action.dest


@pytest.mark.node
def test_information_is_shown_and_does_not_fail(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A ruleset beside the description runs instead of the generic one; a rule at Spectral's
    information level is a finding of level info, and the run still passes."""
    path = write_other_api(tmp_path)
    (tmp_path / "spectral.yaml").write_text(
        "extends: [[spectral:oas, off]]\nrules:\n  info-contact: info\n", encoding="utf-8"
    )
    code, out, err = run(["lint", "--only", "spectral", str(path)], capsys)
    assert code == 0, out + err
    (line,) = out.splitlines()
    assert line.startswith(f"{path}:2: info [spectral/info-contact] ")
    assert err.strip().splitlines()[-1] == f"{path}: no errors or warnings (1 info)"


@pytest.mark.node
def test_project_rules_on_request(other_api: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["lint", "--only", "spectral", "--project-rules", "--format", "json", str(other_api)], capsys)
    assert code == 1
    report = json.loads(out)
    assert {"u4b-operation-source", "u4b-operation-401", "u4b-operation-500"} <= {f["rule"] for f in report["findings"]}
    assert report["rulesets"]["spectral"].endswith("spectral.yaml")
