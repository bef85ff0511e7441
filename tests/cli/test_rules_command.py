"""``u4b-vouchers rules``: every documented rule, one per line or as JSON or Markdown, each
citation with its document's title; bad input is one line and exit 2; nothing heavy imported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_lint_command import assert_clean_failure, cli
from tests.cli.test_main import HEAVY, imported_after
from u4b_vouchers.spec import Spec, parse_rules


def test_text_lists_every_rule_with_basis_kind_and_titled_citation(spec: Spec) -> None:
    result = cli("rules")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    rules = parse_rules(spec.data)
    assert [line.split()[0] for line in lines] == [r.id for r in rules]
    percent = next(line for line in lines if line.startswith("UPD-PERCENT-RANGE "))
    assert percent.split()[1:3] == ["stated", "schema"]
    assert "updateVoucherProgram" in percent
    assert (
        "Update Voucher Program, Request Parameters, row value_per_trip_percentage (003_f9fd6dd2390ec048.txt)"
        in percent
    )


def test_json_parses_and_carries_each_citation_s_title_and_file(spec: Spec) -> None:
    result = cli("rules", "--format", "json")
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)["rules"]
    assert [r["id"] for r in listed] == [r.id for r in parse_rules(spec.data)]
    generate = next(r for r in listed if r["id"] == "GEN-COUNT-POSITIVE")
    assert {"basis", "kind", "operations", "summary", "citations"} <= generate.keys()
    assert generate["operations"] == ["generateVoucherCodes"]
    for cited in generate["citations"]:
        assert cited["document"] == "000_0c29c53ca715ca39.txt"
        assert cited["text"].startswith("Generate Voucher Codes, ")


def test_markdown_is_a_table_of_every_rule(spec: Spec) -> None:
    result = cli("rules", "--format", "markdown")
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith("| `")]
    assert len(rows) == len(parse_rules(spec.data))
    assert result.stdout.startswith("| id | basis | kind | operations | citation |")


def test_another_description_s_rules_are_listed(tmp_path: Path) -> None:
    path = tmp_path / "api.yaml"
    path.write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n"
        "x-u4b-documents: [{file: a.txt, title: Page A}]\n"
        "x-u4b-rules:\n"
        "  - {id: X-ONE, operations: ['*'], kind: behaviour, basis: open, summary: s,\n"
        "     source: [{document: a.txt, section: Intro, row: r1, quote: q}]}\n",
        encoding="utf-8",
    )
    result = cli("rules", "--spec", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["X-ONE", "open", "behaviour", "*", "Page", "A,", "Intro,", "row", "r1", "(a.txt)"]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, "no such description file"),
        ("x: [\n", "invalid YAML"),
        ("openapi: 3.1.0\nx-u4b-rules: [{id: X}]\n", "missing operations"),
        ("openapi: 3.1.0\nx-u4b-documents: [{file: a.txt}]\n", "needs file and title"),
    ],
)
def test_bad_spec_exits_2_with_one_line(tmp_path: Path, content: str | None, words: str) -> None:
    path = tmp_path / "api.yaml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = cli("rules", "--spec", str(path))
    assert_clean_failure(result)
    assert words in result.stderr


def test_help_has_the_exit_codes_and_listing_imports_nothing_heavy() -> None:
    result = cli("rules", "--help")
    assert result.returncode == 0
    assert "exit codes:\n  0  the rules were listed\n  2  bad input" in result.stdout
    modules, listed = imported_after(["rules", "--format", "json"])
    assert json.loads(listed.stdout)["rules"]
    assert modules & set(HEAVY) == set()
