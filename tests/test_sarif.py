"""SARIF 2.1.0 from ``check``, ``diff`` and ``lint``: every log the commands write is valid under
the OASIS schema (tests/data/sarif-schema-2.1.0.json, shipped unchanged), and each result points
at the line of its file that holds what it is about: the schema keyword or the rule's entry for
``check``, the changed element for ``diff``, the finding's line for ``lint``."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
import yaml
from contract_tests.sarif import sarif_log as check_log

from tests.cli.test_lint_command import cli
from tests.conftest import ROOT, operation
from tests.contract.test_findings import SPEC, gate, written_baseline
from tests.diff.rule_pairs import load_pairs
from tests.emulator.test_persistence import served
from u4b_vouchers.diff import diff, load
from u4b_vouchers.diff.config import DiffConfig
from u4b_vouchers.diff.formats import sarif as diff_sarif
from u4b_vouchers.reporting import SRCROOT, SarifLocation, SarifResult, SarifRule, artifact_uri, sarif_log

SCHEMA_FILE = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"
SPEC_LINES = (ROOT / "openapi" / "vouchers.yaml").read_text(encoding="utf-8").splitlines()


@cache
def validator() -> Any:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def valid(log: dict[str, Any]) -> dict[str, Any]:
    errors = sorted(validator().iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
    return log


def results(log: dict[str, Any]) -> list[dict[str, Any]]:
    [run] = log["runs"]
    results: list[dict[str, Any]] = run["results"]
    return results


def place(result: dict[str, Any]) -> tuple[str, int | None]:
    physical = result["locations"][0]["physicalLocation"]
    return physical["artifactLocation"]["uri"], physical.get("region", {}).get("startLine")


# ------------------------------------------------------------------------------- the builder


def test_the_shipped_schema_is_the_oasis_one_and_a_draft_4_schema() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert schema["id"] == "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    assert validator().__class__ is jsonschema.Draft4Validator


def test_an_empty_run_is_a_valid_log_with_zero_results() -> None:
    log = valid(sarif_log([], [], tool="u4b-vouchers", version="1"))
    assert results(log) == []
    assert log["version"] == "2.1.0"
    assert log["runs"][0]["tool"]["driver"] == {"name": "u4b-vouchers", "version": "1", "rules": []}


def test_results_point_at_their_rule_and_carry_what_was_given() -> None:
    rules = [SarifRule("A", "rule a", help_markdown="*cited*", tags=("x",)), SarifRule("B", "rule b", level="error")]
    found = SarifResult(
        "B",
        "error",
        "broken",
        [SarifLocation("openapi/vouchers.yaml", 7, 3)],
        fingerprints={"k/v1": "abc"},
        suppressed="accepted",
        properties={"check": "c"},
    )
    log = valid(sarif_log([found, SarifResult("C", "note", "no such rule")], rules, tool="t", version="1"))
    first, second = results(log)
    assert first["ruleIndex"] == 1
    assert log["runs"][0]["tool"]["driver"]["rules"][1]["id"] == "B"
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "openapi/vouchers.yaml", "uriBaseId": SRCROOT},
        "region": {"startLine": 7, "startColumn": 3},
    }
    assert first["suppressions"] == [{"kind": "external", "status": "accepted", "justification": "accepted"}]
    assert first["partialFingerprints"] == {"k/v1": "abc"}
    assert "ruleIndex" not in second
    assert log["runs"][0]["tool"]["driver"]["rules"][0]["help"] == {"text": "*cited*", "markdown": "*cited*"}


@pytest.mark.parametrize(
    "call",
    [
        lambda: sarif_log([], [SarifRule("A", "a"), SarifRule("A", "again")], tool="t", version="1"),
        lambda: sarif_log([SarifResult("A", "fatal", "m")], [], tool="t", version="1"),
    ],
    ids=["rule-twice", "unknown-level"],
)
def test_a_rule_listed_twice_or_an_unknown_level_is_refused(call: Callable[[], object]) -> None:
    with pytest.raises(ValueError, match=r"listed twice|not a SARIF level"):
        call()


def test_paths_are_relative_to_the_checkout_never_to_this_machine(tmp_path: Path) -> None:
    assert artifact_uri(ROOT / "openapi" / "vouchers.yaml") == ("openapi/vouchers.yaml", SRCROOT)
    assert artifact_uri(tmp_path / "a" / "b.yaml", tmp_path) == ("a/b.yaml", SRCROOT)
    uri, base = artifact_uri("/definitely/not/below/anything.yaml", tmp_path)
    assert (uri, base) == ("file:///definitely/not/below/anything.yaml", None)


# --------------------------------------------------------------------------------- check


def keyword_line(schema: str, keyword: str) -> int:
    """The 1-based line of ``keyword:`` in ``components/schemas/<schema>``, read from the text."""
    start = SPEC_LINES.index(f"    {schema}:")
    for number in range(start + 1, len(SPEC_LINES)):
        line = SPEC_LINES[number]
        if re.match(r"^ {0,4}\S", line):
            break
        if line.strip().startswith(f"{keyword}:"):
            return number + 1
    raise AssertionError(f"no {keyword} in {schema}")


def test_check_puts_a_schema_finding_on_its_keyword_and_a_rule_finding_on_its_entry() -> None:
    run = gate(
        ("voucher-status-lowercase", "canceled-at-on-live-vouchers"),
        suites=("paging",),
        rules=("GST-VOUCHER-STATUS-ENUM", "GST-CANCELED-AT-ONLY-CANCELED"),
    )
    log = valid(check_log(run.findings, SPEC))
    found = {r["ruleId"]: r for r in results(log)}
    assert len(results(log)) == len(run.findings)
    enum = found["GST-VOUCHER-STATUS-ENUM"]
    assert place(enum) == ("openapi/vouchers.yaml", keyword_line("VoucherStatus", "enum"))
    assert enum["level"] == "error"
    _, line = place(found["GST-CANCELED-AT-ONLY-CANCELED"])
    assert line is not None
    assert SPEC_LINES[line - 1].strip() == "- id: GST-CANCELED-AT-ONLY-CANCELED"
    # The rule's entry and the operation are related locations of the keyword's result.
    related = [
        SPEC_LINES[loc["physicalLocation"]["region"]["startLine"] - 1].strip() for loc in enum["relatedLocations"]
    ]
    assert related[0] == "- id: GST-VOUCHER-STATUS-ENUM"
    assert related[1] == "get:"
    # The rules come from x-u4b-rules, their citations titled.
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r["id"] for r in SPEC.data["x-u4b-rules"]]
    assert rules[enum["ruleIndex"]]["id"] == "GST-VOUCHER-STATUS-ENUM"
    assert "Get Voucher Program Guest Info" in rules[enum["ruleIndex"]]["help"]["text"]
    assert enum["partialFingerprints"] == {"u4b-vouchers/finding/v1": enum["properties"]["fingerprint"]}


def test_check_findings_the_baseline_accepts_are_suppressed(tmp_path: Path) -> None:
    flags, rules = ("bounds-off-by-one",), ("UPD-PERCENT-RANGE",)
    first = gate(flags, suites=("rules",), rules=rules)
    assert first.failures
    again = gate(flags, suites=("rules",), rules=rules, baseline=written_baseline(first, tmp_path))
    log = valid(check_log(again.findings, SPEC))
    assert results(log)
    for result in results(log):
        assert result["suppressions"][0]["kind"] == "external"
        assert result["suppressions"][0]["status"] == "accepted"
    assert all("suppressions" not in r for r in results(valid(check_log(first.findings, SPEC))))


def test_check_warnings_are_warnings_and_a_proxy_run_says_so() -> None:
    run = gate(suites=("rules",), rules=("GEN-COUNT-POSITIVE",), readings={"GEN-COUNT-POSITIVE": "accept"})
    assert run.warnings
    log = valid(check_log(run.findings, SPEC, tool="proxy"))
    assert {r["level"] for r in results(log)} == {"warning"}
    assert log["runs"][0]["tool"]["driver"]["fullName"] == "u4b-vouchers proxy"
    assert log["runs"][0]["properties"]["command"] == "proxy"


def test_check_report_dir_writes_findings_sarif(tmp_path: Path) -> None:
    profile = tmp_path / "profile.toml"
    with served(tmp_path / "state.sqlite", profile):
        base = profile.read_text().split('base_url = "', 1)[1].split('"', 1)[0]
        httpx.put(f"{base}/__emulator/flags", json={"fault_flags": ["voucher-status-lowercase"]}).raise_for_status()
        args = ("check", "--profile", str(profile), "--suite", "paging", "--rule", "GST-VOUCHER-STATUS-ENUM", "--quiet")
        result = cli(*args, "--report-dir", str(tmp_path / "r"))
    assert result.returncode == 1, result.stdout + result.stderr[-2000:]
    log = valid(json.loads((tmp_path / "r" / "findings.sarif").read_text(encoding="utf-8")))
    verdict = json.loads((tmp_path / "r" / "verdict.json").read_text(encoding="utf-8"))
    assert len(results(log)) == len(verdict["findings"]) > 0
    assert "GST-VOUCHER-STATUS-ENUM" in {r["ruleId"] for r in results(log)}
    for found in results(log):
        uri, line = place(found)
        assert uri == "openapi/vouchers.yaml"
        assert line is not None
        if found["ruleId"] == "GST-VOUCHER-STATUS-ENUM":
            assert line == keyword_line("VoucherStatus", "enum")
        else:  # a status in lower case also breaks what depends on it: at the rule's entry
            assert SPEC_LINES[line - 1].strip() == f"- id: {found['ruleId']}"
    written = (tmp_path / "r" / "findings.sarif").read_text(encoding="utf-8")
    assert str(tmp_path) not in written
    assert all(r["properties"]["curl"].startswith("curl") for r in results(log))
    for secret in ("demo-first-party-secret", "demo-delegated-access-token"):
        assert secret not in written  # the curl commands are redacted as every report is


def test_a_conformant_check_writes_a_valid_log_with_zero_results(tmp_path: Path) -> None:
    result = cli("check", "--suite", "rules", "--rule", "UPD-PERCENT-RANGE", "--quiet", "--report-dir", str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    log = valid(json.loads((tmp_path / "findings.sarif").read_text(encoding="utf-8")))
    assert results(log) == []
    assert log["runs"][0]["tool"]["driver"]["rules"]


# ---------------------------------------------------------------------------------- diff

BASE = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /items/{id}:
    get:
      operationId: getItem
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
    delete:
      operationId: deleteItem
      responses:
        '204': {description: gone}
components:
  schemas:
    Item:
      type: object
      properties:
        status:
          type: string
          enum: [A, B]
        size:
          type: integer
          maximum: 10
"""
#: The base with a required query parameter added, DELETE removed, an enum value added and a maximum raised.
REVISION = (
    BASE.replace(
        "        - {name: id, in: path, required: true, schema: {type: string}}\n",
        "        - {name: id, in: path, required: true, schema: {type: string}}\n"
        "        - {name: q, in: query, required: true, schema: {type: string}}\n",
    )
    .replace("    delete:\n      operationId: deleteItem\n      responses:\n        '204': {description: gone}\n", "")
    .replace("enum: [A, B]", "enum: [A, B, C]")
    .replace("maximum: 10", "maximum: 20")
)


def line_of(text: str, words: str) -> int:
    [number] = [n for n, line in enumerate(text.splitlines(), start=1) if words in line]
    return number


def test_diff_sarif_puts_each_change_at_its_line_of_the_revision(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(BASE)
    (tmp_path / "revision.yaml").write_text(REVISION)
    result = cli("diff", "base.yaml", "revision.yaml", "--format", "sarif", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    log = valid(json.loads(result.stdout))
    found = {r["ruleId"]: r for r in results(log)}
    assert place(found["new-required-request-parameter"]) == ("revision.yaml", line_of(REVISION, "name: q"))
    assert found["new-required-request-parameter"]["level"] == "error"
    # Through the $ref: the property of the component, in the revision.
    assert place(found["response-property-enum-value-added"]) == ("revision.yaml", line_of(REVISION, "status:"))
    assert found["response-property-enum-value-added"]["level"] == "warning"
    # Removed: only the base has it, and the result says so.
    removed = found["api-removed-without-deprecation"]
    assert place(removed) == ("base.yaml", line_of(BASE, "delete:"))
    assert removed["properties"]["located-in"] == "base"
    assert removed["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "revision.yaml"
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    for r in results(log):
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
    assert rules[found["new-required-request-parameter"]["ruleIndex"]]["defaultConfiguration"] == {"level": "error"}


def test_diff_sarif_against_a_git_base_names_the_file_as_the_checkout_has_it(tmp_path: Path) -> None:
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], check=True)
    (tmp_path / "openapi").mkdir()
    (tmp_path / "openapi" / "vouchers.yaml").write_text(BASE)
    subprocess.run([*git, "add", "openapi/vouchers.yaml"], check=True)
    subprocess.run([*git, "commit", "-qm", "base"], check=True)
    (tmp_path / "openapi" / "vouchers.yaml").write_text(REVISION)
    result = cli(
        "diff", "git:HEAD:openapi/vouchers.yaml", "vouchers.yaml", "--format", "sarif", cwd=tmp_path / "openapi"
    )
    assert result.returncode == 0, result.stderr
    found = {r["ruleId"]: r for r in results(valid(json.loads(result.stdout)))}
    assert place(found["new-required-request-parameter"]) == ("openapi/vouchers.yaml", line_of(REVISION, "name: q"))
    # The base's lines are not known (it was read from git): the nearest place the revision has.
    removed = found["api-removed-without-deprecation"]
    assert place(removed) == ("openapi/vouchers.yaml", line_of(REVISION, "/items/{id}:"))
    assert removed["properties"]["located-in"] == "revision (the nearest place above the change)"


def test_diff_sarif_of_no_change_is_a_valid_log_with_zero_results(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(BASE)
    result = cli("diff", "base.yaml", "base.yaml", "--format", "sarif", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert results(valid(json.loads(result.stdout))) == []


def _key_of(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


@pytest.mark.parametrize("pair", load_pairs(), ids=lambda p: f"{p.rule}@{p.source}")
def test_every_pair_is_valid_sarif_at_lines_that_hold_the_change(
    tmp_path: Path, pair: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the files' URIs are relative to the working folder outside a checkout
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(pair.base, sort_keys=False))
    (tmp_path / "revision.yaml").write_text(yaml.safe_dump(pair.revision, sort_keys=False))
    findings = diff(load("base.yaml"), load("revision.yaml"), DiffConfig(**pair.config))
    assert findings
    log = valid(json.loads(diff_sarif(findings, "base.yaml", "revision.yaml")))
    assert len(results(log)) == len(findings)
    texts = {name: (tmp_path / name).read_text().splitlines() for name in ("base.yaml", "revision.yaml")}
    for result, finding in zip(results(log), findings, strict=True):
        uri, line = place(result)
        assert uri in texts, uri
        assert line is not None
        assert 1 <= line <= len(texts[uri])
        if result["properties"]["located-in"] not in ("revision", "base"):
            continue  # the nearest place above the change: nothing of its own to hold
        *_, parent, last = ["", *finding.location.split("/")]
        shown = texts[uri][line - 1].strip()
        if parent == "parameters":  # query.q: the parameter's entry
            assert shown.startswith("- "), (finding, shown)
            assert "in:" in "\n".join(texts[uri][line - 1 : line + 3]), (finding, shown)
        elif not last.isdigit() or parent == "responses":  # a key, a status: its own line
            key = re.escape(_key_of(last))
            assert re.match(rf"(- )?['\"]?{key}['\"]?:", shown, re.IGNORECASE), (finding, shown)


# ---------------------------------------------------------------------------------- lint


def test_lint_sarif_gives_each_finding_its_file_and_line(spec_copy: Callable[..., Path]) -> None:
    def two_faults(data: dict[str, Any]) -> None:
        examples = operation(data, "generateVoucherCodes")["requestBody"]["content"]["application/json"]["examples"]
        examples["documented"]["value"]["number_of_codes"] = "100"
        data["x-u4b-rules"].append(dict(data["x-u4b-rules"][0]))

    path = spec_copy(two_faults)
    result = cli("lint", path.name, "--only", "rules", "--only", "examples", "--format", "sarif", cwd=path.parent)
    assert result.returncode == 1, result.stderr
    log = valid(json.loads(result.stdout))
    text = path.read_text().splitlines()
    found = {r["ruleId"]: r for r in results(log)}
    assert set(found) == {"rules/duplicate-id", "examples/example-invalid"}
    uri, line = place(found["rules/duplicate-id"])
    assert uri == "vouchers.yaml"
    assert line is not None
    assert text[line - 1].strip() == f"- id: {SPEC.data['x-u4b-rules'][0]['id']}"
    assert line > text.index("x-u4b-rules:") + 1  # the copy at the end, not the original
    uri, line = place(found["examples/example-invalid"])
    assert uri == "vouchers.yaml"
    assert line is not None
    assert text[line - 1].strip() == "number_of_codes: '100'"
    assert {r["level"] for r in results(log)} == {"error"}
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert {rules[r["ruleIndex"]]["id"] for r in results(log)} == set(found)


def test_lint_sarif_of_a_clean_description_has_zero_results(spec_copy: Callable[..., Path]) -> None:
    path = spec_copy()
    result = cli("lint", str(path), "--only", "rules", "--format", "sarif")
    assert result.returncode == 0, result.stderr
    assert results(valid(json.loads(result.stdout))) == []
