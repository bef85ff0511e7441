"""Citations read with their document's title: ``x-u4b-documents`` lists every document the
description cites, :func:`cite` puts the title first and keeps the file apart, and lint's
``rules`` check reports a citation naming a document the list lacks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import operation, rule
from u4b_vouchers.lint import run_lint
from u4b_vouchers.spec import (
    Citation,
    Spec,
    SpecError,
    cite,
    cite_grouped,
    document_titles,
    load_spec,
    named_documents,
    parse_rules,
)

GENERATE = "000_0c29c53ca715ca39.txt"


def test_every_document_the_description_names_has_a_title(spec: Spec) -> None:
    titles = document_titles(spec.data)
    named = {place.document for place in named_documents(spec.data)}
    assert named == set(titles)  # each listed document is cited, each cited one listed
    assert titles[GENERATE] == "Generate Voucher Codes"
    assert titles["001_84574ab5ca06139b.txt"] == "Create Individual Voucher Program"
    assert titles["002_ec82e72a48f080f6.txt"] == "Get Voucher Program Guest Info"
    assert titles["003_f9fd6dd2390ec048.txt"] == "Update Voucher Program"
    # every rule citation, the four x-u4b-source and the one x-u4b-replaced-by are walked
    citations = sum(len(r.sources) for r in parse_rules(spec.data))
    assert len(list(named_documents(spec.data))) == citations + 4 + 1


def test_a_citation_reads_title_section_and_row_with_the_file_apart(spec: Spec) -> None:
    titles = document_titles(spec.data)
    text = cite(Citation(GENERATE, "Error Responses", "3P) is not authorized", "403 unauthorized"), titles)
    assert text.text == "Generate Voucher Codes, Error Responses, row 403 unauthorized"
    assert text.file == GENERATE
    assert text.with_file == f"Generate Voucher Codes, Error Responses, row 403 unauthorized ({GENERATE})"
    assert cite(Citation(GENERATE, "Use Case", "q"), titles).text == "Generate Voucher Codes, Use Case"


def test_an_unlisted_document_keeps_its_file_name() -> None:
    text = cite(Citation("elsewhere.md", "Intro", "q"), {})
    assert (text.text, text.file, text.with_file) == ("elsewhere.md, Intro", "elsewhere.md", "elsewhere.md, Intro")


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ({"file": GENERATE}, "needs file and title"),
        ("Generate Voucher Codes", "needs file and title"),
        ({"file": GENERATE, "title": " "}, "non-empty strings"),
    ],
)
def test_a_malformed_list_is_one_spec_error(raw: Any, words: str) -> None:
    with pytest.raises(SpecError, match=words):
        document_titles({"x-u4b-documents": [raw]})
    with pytest.raises(SpecError, match="listed twice"):
        document_titles({"x-u4b-documents": [{"file": "a", "title": "A"}, {"file": "a", "title": "B"}]})


def _forget_generate(data: dict[str, Any]) -> None:
    data["x-u4b-documents"] = [d for d in data["x-u4b-documents"] if d["file"] != GENERATE]


def test_lint_reports_each_citation_of_a_document_the_list_lacks(spec_copy: Callable[..., Path]) -> None:
    path = spec_copy(_forget_generate)
    findings = run_lint(load_spec(path), only=["rules"])
    assert findings
    assert {(f.check, f.rule) for f in findings} == {("rules", "unlisted-document")}
    assert all(GENERATE in f.message and f.line is not None for f in findings)
    pointers = {f.pointer for f in findings}
    expected = {p.pointer for p in named_documents(load_spec(path).data) if p.document == GENERATE}
    assert pointers == expected
    # the operation's x-u4b-source is among them, not only the rules' citations
    assert any(p is not None and p.endswith("/x-u4b-source/document") for p in pointers)


def _cite_unknown(data: dict[str, Any]) -> None:
    rule(data, "UPD-PERCENT-RANGE")["source"][0]["document"] = "004_0000000000000000.txt"
    operation(data, "updateVoucherProgram")["x-u4b-source"]["document"] = "004_0000000000000000.txt"


def test_lint_reports_a_cited_document_nobody_listed(spec_copy: Callable[..., Path]) -> None:
    findings = run_lint(load_spec(spec_copy(_cite_unknown)), only=["rules"])
    assert [f.rule for f in findings] == ["unlisted-document", "unlisted-document"]
    assert all("004_0000000000000000.txt is cited but x-u4b-documents does not list it" in f.message for f in findings)


def _drop_list(data: dict[str, Any]) -> None:
    del data["x-u4b-documents"]


def _bad_list(data: dict[str, Any]) -> None:
    data["x-u4b-documents"][0] = {"file": GENERATE, "name": "Generate Voucher Codes"}


def test_lint_reports_a_missing_or_malformed_list(spec_copy: Callable[..., Path]) -> None:
    (missing,) = run_lint(load_spec(spec_copy(_drop_list)), only=["rules"])
    assert missing.rule == "no-document-list"
    assert "names 5 document(s)" in missing.message
    malformed = run_lint(load_spec(spec_copy(_bad_list)), only=["rules"])
    assert malformed
    assert {f.rule for f in malformed} == {"document-shape"}
    assert all(f.pointer is not None and f.pointer.startswith("#/x-u4b-documents/0") for f in malformed)


def test_the_same_section_of_several_documents_reads_as_one_citation() -> None:
    titles = {"a.txt": "Page A", "b.txt": "Page B"}
    grouped = cite_grouped(
        [
            Citation("a.txt", "Authorization", "q"),
            Citation("b.txt", "Authorization", "q"),
            Citation("b.txt", "Errors", "q", row="403 unauthorized"),
        ],
        titles,
    )
    assert [(c.text, c.file) for c in grouped] == [
        ("Page A, Page B: Authorization", "a.txt b.txt"),
        ("Page B, Errors, row 403 unauthorized", "b.txt"),
    ]
