"""``u4b-vouchers diff`` and ``replay`` as a CI job runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
import yaml

from tests.conftest import ROOT
from tests.diff.rule_pairs import place, standard

SPEC = ROOT / "openapi" / "vouchers.yaml"


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "u4b_vouchers.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=cwd,
    )


def write(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


def base() -> dict[str, Any]:
    """The fixture pairs' small description, with components its schemas may name."""
    return {**standard(), "components": {"schemas": {}}}


def request_body(doc: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = doc["paths"]["/items/{id}"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    return schema


def vouchers_revision(tmp_path: Path, change: Any) -> Path:
    doc = yaml.safe_load(SPEC.read_text())
    change(doc)
    return write(tmp_path / "revision.yaml", doc)


def tighten_percentage(doc: dict[str, Any]) -> None:
    doc["components"]["schemas"]["UpdateVoucherProgramRequest"]["properties"]["value_per_trip_percentage"][
        "maximum"
    ] = 90


def add_status(doc: dict[str, Any]) -> None:
    doc["components"]["schemas"]["VoucherStatus"]["enum"].append("VOUCHER_EXPIRED")


def test_no_change_no_findings() -> None:
    result = cli("diff", str(SPEC), str(SPEC), "--fail-on", "warning")
    assert result.returncode == 0
    assert "0 breaking, 0 warning(s), 0 info" in result.stdout


@pytest.mark.parametrize(
    ("change", "fail_on", "code"),
    [(tighten_percentage, "breaking", 1), (add_status, "breaking", 0), (add_status, "warning", 1)],
)
def test_fail_on(tmp_path: Path, change: Any, fail_on: str, code: int) -> None:
    assert cli("diff", str(SPEC), str(vouchers_revision(tmp_path, change)), "--fail-on", fail_on).returncode == code


def test_every_format(tmp_path: Path) -> None:
    revision = vouchers_revision(tmp_path, lambda d: (tighten_percentage(d), add_status(d)))
    findings = json.loads(cli("diff", str(SPEC), str(revision), "--format", "json").stdout)["findings"]
    assert {(f["id"], f["level"]) for f in findings} == {
        ("request-property-max-decreased", "breaking"),
        ("response-property-enum-value-added", "warning"),
    }
    assert all(set(f) == {"id", "level", "operation", "location", "message"} for f in findings)
    assert all(f["location"].startswith("#/paths/") for f in findings)
    junit = ET.fromstring(cli("diff", str(SPEC), str(revision), "--format", "junit").stdout)
    assert junit.get("failures") == "1"
    assert (
        "| 🔴 breaking | `request-property-max-decreased` |"
        in cli("diff", str(SPEC), str(revision), "--format", "markdown").stdout
    )
    html = cli("diff", str(SPEC), str(revision), "--format", "html").stdout
    assert html.startswith("<!doctype html>")
    assert '<td class="bad">breaking</td>' in html
    assert "<script" not in html
    changelog = cli("diff", str(SPEC), str(revision), "--format", "changelog").stdout
    assert "## PATCH /v1/organizations/{organization_id}/voucher-programs/{voucher_program_id}" in changelog
    assert "- **breaking**: request body: value_per_trip_percentage: max 99 -> 90" in changelog
    only_breaking = cli("diff", str(SPEC), str(revision), "--level", "breaking").stdout
    assert "enum value" not in only_breaking
    assert "max 99 -> 90" in only_breaking
    out = tmp_path / "reports" / "diff.md"
    assert cli("diff", str(SPEC), str(revision), "--format", "markdown", "--output", str(out)).returncode == 0
    assert out.read_text().startswith("### API changes")


def test_git_revisions(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    write(repo / "api.yaml", base())
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "base"], check=True)
    doc = base()
    request_body(doc)["required"] = ["p"]
    write(repo / "api.yaml", doc)
    result = cli("diff", "git:HEAD:api.yaml", "api.yaml", "--format", "json", cwd=repo)
    assert [f["id"] for f in json.loads(result.stdout)["findings"]] == ["request-property-became-required"]


def test_refs_across_files(tmp_path: Path) -> None:
    for name, maximum in (("before", 10), ("after", 5)):
        folder = tmp_path / name
        (folder / "models").mkdir(parents=True)
        write(
            folder / "models" / "item.yaml",
            {"Item": {"type": "object", "properties": {"size": {"type": "integer", "maximum": maximum}}}},
        )
        write(folder / "api.yaml", place(base(), "request-body", {"$ref": "models/item.yaml#/Item"}))
    findings = json.loads(
        cli(
            "diff", str(tmp_path / "before" / "api.yaml"), str(tmp_path / "after" / "api.yaml"), "--format", "json"
        ).stdout
    )["findings"]
    assert [f["id"] for f in findings] == ["request-property-max-decreased"]


def test_openapi_30_nullable(tmp_path: Path) -> None:
    doc30: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "x", "version": "1"},
        "paths": {
            "/a": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {"v": {"type": "string", "nullable": False}},
                                    }
                                }
                            },
                        }
                    }
                }
            }
        },
    }
    revised = json.loads(json.dumps(doc30))
    revised["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["v"][
        "nullable"
    ] = True
    result = cli(
        "diff", str(write(tmp_path / "a.yaml", doc30)), str(write(tmp_path / "b.yaml", revised)), "--format", "json"
    )
    assert [(f["id"], f["level"]) for f in json.loads(result.stdout)["findings"]] == [
        ("response-property-became-nullable", "breaking")
    ]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("- a list\n", "not an OpenAPI 3.0/3.1 document (the top level is not a mapping)"),
        ("openapi: 2.0\n", "not an OpenAPI 3.0/3.1 document (openapi: 2.0)"),
        ("openapi: [\n", "invalid YAML"),
        ("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    $ref: '#/nowhere'\n", "points nowhere"),
    ],
)
def test_invalid_documents_exit_2_in_one_line(tmp_path: Path, content: str, words: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(content)
    result = cli("diff", str(bad), str(SPEC))
    assert result.returncode == 2
    assert words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_full_validation_on_request(tmp_path: Path) -> None:
    doc = base()
    doc["paths"]["/items/{id}"]["post"]["responses"] = "not a mapping"
    result = cli("diff", str(write(tmp_path / "bad.yaml", doc)), str(SPEC), "--validate")
    assert result.returncode == 2
    assert "not a valid OpenAPI document" in result.stderr


def test_a_recursive_schema_is_reported_once_per_change(tmp_path: Path) -> None:
    # Item.parent is an Item: the change to Item.label must not be reported again for
    # parent.label, parent.parent.label, ... (each time round the cycle).
    def recursive(max_length: int) -> dict[str, Any]:
        doc = place(base(), "response-body", {"$ref": "#/components/schemas/Item"})
        doc["components"]["schemas"]["Item"] = {
            "type": "object",
            "properties": {
                "parent": {"$ref": "#/components/schemas/Item"},
                "label": {"type": "string", "maxLength": max_length},
            },
        }
        return doc

    result = cli(
        "diff",
        str(write(tmp_path / "a.yaml", recursive(40))),
        str(write(tmp_path / "b.yaml", recursive(50))),
        "--format",
        "json",
    )
    findings = json.loads(result.stdout)["findings"]
    assert [(f["id"], f["location"].rsplit("/properties/", 1)[-1]) for f in findings] == [
        ("response-property-max-length-increased", "label")
    ]


def with_kind(name: str, values: list[str]) -> dict[str, Any]:
    # The request property is an allOf of a named enum.
    doc = place(base(), "request-property", {"allOf": [{"$ref": f"#/components/schemas/{name}"}]})
    doc["components"]["schemas"][name] = {"type": "string", "enum": values}
    return doc


def test_composition_members_are_matched_as_oasdiff_matches_them(tmp_path: Path) -> None:
    before = str(write(tmp_path / "before.yaml", with_kind("Kind", ["a", "b"])))
    renamed = str(write(tmp_path / "renamed.yaml", with_kind("ItemKind", ["a", "b"])))
    narrowed = str(write(tmp_path / "narrowed.yaml", with_kind("Kind", ["a"])))
    inline = base()
    place(inline, "request-property", {"allOf": [{"type": "string", "enum": ["a", "b"]}]})
    inlined = str(write(tmp_path / "inlined.yaml", inline))

    def found(revision: str) -> list[str]:
        return sorted(f["id"] for f in json.loads(cli("diff", before, revision, "--format", "json").stdout)["findings"])

    # $ref members are matched by the name they point at: a component renamed is one member
    # removed and another added (and the old component's name is gone) ...
    assert found(renamed) == ["api-schema-removed", "request-property-all-of-added", "request-property-all-of-removed"]
    # ... but a member moved inline without changing what it accepts is no change to the
    # operation (the component it named, now unused, is gone).
    assert found(inlined) == ["api-schema-removed"]
    # A change inside a member is reported there, not as a member removed and another added.
    assert found(narrowed) == ["request-property-enum-value-removed"]


# ---------------------------------------------------------------- replay


@pytest.fixture(scope="module")
def cassette(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("check")
    result = cli(
        "check", "--report-dir", str(out), "--quiet", "--suite", "auth", "--suite", "rules", "--suite", "paging"
    )
    assert result.returncode == 0, result.stdout
    return out / "cassette.json"


def test_replay_against_the_description_that_produced_it(cassette: Path) -> None:
    result = cli("replay", str(cassette), "--spec", str(SPEC))
    assert result.returncode == 0, result.stdout[-2000:]
    assert "0 of" in result.stderr


def test_replay_names_what_a_revision_would_reject(cassette: Path, tmp_path: Path) -> None:
    def revise(doc: dict[str, Any]) -> None:
        tighten_percentage(doc)
        del doc["paths"]["/v1/organizations/{organization_id}/voucher-programs/{voucher_program_id}/guests"]["get"][
            "responses"
        ]["404"]

    revision = vouchers_revision(tmp_path, revise)
    result = cli("replay", str(cassette), "--spec", str(revision), "--base", str(SPEC), "--format", "json")
    assert result.returncode == 1
    rejected = json.loads(result.stdout)["rejected"]
    reasons = {(r["side"], r["reason"].split(":")[0]) for r in rejected}
    assert ("request", "request body") in reasons  # a percentage above 90 the server accepted
    assert ("response", "status 404 is not documented") in reasons
    assert all(r["status"] < 300 for r in rejected if r["side"] == "request")
    page = cli("replay", str(cassette), "--spec", str(revision), "--base", str(SPEC), "--format", "html").stdout
    assert page.startswith("<!doctype html>")
    assert "status 404 is not documented" in page


def test_replay_takes_report_folders_and_git_revisions(cassette: Path, tmp_path: Path) -> None:
    # The report folder as check wrote it (verdict.json, junit.xml... beside the cassette), and
    # a folder of such folders; the base comes from git, as on a pull request.
    runs = tmp_path / "runs"
    for run in ("a", "b"):
        (runs / run).mkdir(parents=True)
        for report in cassette.parent.iterdir():
            (runs / run / report.name).write_bytes(report.read_bytes())
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "vouchers.yaml").write_text(SPEC.read_text())
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "base"], check=True)
    vouchers_revision(repo, tighten_percentage)
    single = cli("replay", str(runs / "a"), "--spec", "revision.yaml", "--base", "git:HEAD:vouchers.yaml", cwd=repo)
    both = cli("replay", str(runs), "--spec", "revision.yaml", "--base", "git:HEAD:vouchers.yaml", cwd=repo)
    assert single.returncode == both.returncode == 1, single.stderr
    recorded = len(json.loads(cassette.read_text())["interactions"])
    assert f"of {recorded} recorded exchanges" in single.stderr
    assert f"of {2 * recorded} recorded exchanges" in both.stderr
    assert "accepted by git:HEAD:vouchers.yaml" in single.stderr
    missing = cli("replay", str(runs / "a"), "--spec", "git:no-such-ref:vouchers.yaml", cwd=repo)
    assert missing.returncode == 2
    assert missing.stderr.count("\n") == 1
    assert "no-such-ref" in missing.stderr


def test_replay_rejects_a_folder_without_cassettes(tmp_path: Path) -> None:
    (tmp_path / "verdict.json").write_text("{}")
    result = cli("replay", str(tmp_path), "--spec", str(SPEC))
    assert result.returncode == 2
    assert "no cassette*.json" in result.stderr


def test_replay_rejects_bad_recordings(tmp_path: Path) -> None:
    bad = tmp_path / "c.json"
    bad.write_text('{"nothing": 1}')
    result = cli("replay", str(bad), "--spec", str(SPEC))
    assert result.returncode == 2
    assert "a cassette written by check" in result.stderr
