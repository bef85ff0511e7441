"""The conformance reports answer first: report.html opens with a verdict banner, then each
failure and warning with its rule, citation (the document's title, its file as the tooltip) and
curl, then coverage per rule with failures first, the documented errors, and every recorded
exchange; report.md keeps that order; JUnit carries the citation; verdict.json keeps its keys."""

from __future__ import annotations

import re
from html import unescape
from xml.etree import ElementTree as ET

import pytest
from contract_tests import RunResult
from contract_tests.reports import STATUS_ORDER, coverage, html, junit, markdown, verdict

from tests.contract.test_findings import SPEC, gate
from u4b_vouchers.spec import cite_all, cite_grouped, document_titles, parse_rules

RULES = {rule.id: rule for rule in parse_rules(SPEC.data)}
TITLES = document_titles(SPEC.data)


@pytest.fixture(scope="module")
def failing() -> RunResult:
    rules = ("UPD-PERCENT-RANGE", "UPD-MAX-TRIPS-MAX", "GEN-COUNT-REQUIRED")
    run = gate(("bounds-off-by-one",), suites=("rules",), rules=rules)
    assert run.failures
    assert not run.conformant
    return run


@pytest.fixture(scope="module")
def warning() -> RunResult:
    run = gate(suites=("rules",), rules=("GEN-COUNT-POSITIVE",), readings={"GEN-COUNT-POSITIVE": "accept"})
    assert run.warnings
    assert not run.failures
    assert run.conformant
    return run


@pytest.fixture(scope="module")
def clean() -> RunResult:
    run = gate(suites=("rules",), rules=("UPD-PERCENT-RANGE", "GEN-COUNT-POSITIVE"))
    assert run.conformant
    assert not run.findings
    return run


def sections(page: str) -> dict[str, str]:
    """Each section's HTML by its heading, the count in parentheses left out."""
    parts = re.split(r"<h2>", page)[1:]
    found = {}
    for part in parts:
        heading, _, body = part.partition("</h2>")
        found[re.sub(r" \(\d+\)$", "", unescape(heading))] = body
    return found


def rows(section: str) -> list[str]:
    body = section.partition("<tbody>")[2]
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


def cells(row: str) -> list[str]:
    return re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)


def text(cell: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", cell))


def test_the_banner_comes_before_every_table_and_says_the_verdict(
    failing: RunResult, warning: RunResult, clean: RunResult
) -> None:
    for run, tone, headline in (
        (failing, "bad", f"{len(failing.failures)} failures"),
        (warning, "warn", f"{len(warning.warnings)} warnings"),
        (clean, "ok", "Conformant"),
    ):
        page = html(run, SPEC)
        banner = page.index('<div class="banner')
        assert banner < page.index("<table")
        assert banner < page.index("<h2>")
        assert re.search(rf'<div class="banner {tone}" role="status"><strong>{headline}</strong>', page), headline
        detail = page[banner : page.index("</div>", banner)]
        assert f"{run.requests} requests" in detail
        assert f"{run.count('passed')} passed" in detail
        assert "not covered" in detail
        assert run.base_url in detail


def test_the_failures_section_lists_each_failure_with_rule_citation_and_curl(failing: RunResult) -> None:
    page = html(failing, SPEC)
    found = sections(page)
    order = list(found)
    assert order.index("Failures") < order.index("Warnings") < order.index("Coverage per documented rule")
    listed = rows(found["Failures"])
    curls = rows(found["Reproducing the failures"])
    assert len(listed) == len(curls) == len(failing.failures)
    for number, (finding, row, repro) in enumerate(zip(failing.failures, listed, curls, strict=True), start=1):
        key, _rule_and_check, citation, operation, outcome, field = cells(row)
        assert text(key) == f"F{number}"
        assert f'<td class="ids">{finding.rule}<br>{finding.check}</td>' in row
        (cited,) = cite_all(RULES[finding.rule].sources, TITLES)
        assert f'<abbr title="{cited.file}">{cited.text}</abbr>' in citation
        assert text(operation) == f"{finding.method} {finding.operation}"
        assert text(outcome) == f"{finding.expected} → {finding.status}"
        assert text(field) == finding.field
        assert text(cells(repro)[0]) == f"F{number}"
        assert finding.fingerprint in text(cells(repro)[1])
        assert finding.curl is not None
        assert '<td class="pre"><pre>' in repro
        assert unescape(finding.curl) in text(cells(repro)[2])


def test_warnings_have_their_own_section(warning: RunResult) -> None:
    found = sections(html(warning, SPEC))
    assert "No failure" in found["Failures"]
    listed = rows(found["Warnings"])
    assert len(listed) == len(warning.warnings)
    assert all("GEN-COUNT-POSITIVE" in row and "Generate Voucher Codes, " in row for row in listed)


def test_coverage_has_one_row_per_rule_failures_first(failing: RunResult) -> None:
    found = sections(html(failing, SPEC))
    listed = rows(found["Coverage per documented rule"])
    assert len(listed) == len(RULES)
    ids = [re.search(r'<td class="id"><abbr[^>]*>([A-Z0-9-]+)</abbr></td>', row) for row in listed]
    assert all(ids)  # every rule id sits in an unbreakable id cell
    assert sorted(m.group(1) for m in ids if m) == sorted(RULES)
    words = [text(cells(row)[3]) for row in listed]
    assert words[:2] == ["fail", "fail"]  # the two rules the flag breaks
    assert {text(cells(row)[0]) for row in listed[:2]} == {"UPD-PERCENT-RANGE", "UPD-MAX-TRIPS-MAX"}
    ranks = [STATUS_ORDER[row.status] for row in coverage(failing, SPEC)]
    assert ranks == sorted(ranks)
    assert words.index("not covered") < words.index("pass")


def test_every_citation_shows_its_title_with_the_file_as_tooltip(failing: RunResult) -> None:
    page = html(failing, SPEC)
    coverage_rows = rows(sections(page)["Coverage per documented rule"])
    for row, rule in zip(coverage_rows, (r.rule for r in coverage(failing, SPEC)), strict=True):
        files = " ".join(dict.fromkeys(c.document for c in rule.sources))
        titled = "; ".join(c.text for c in cite_grouped(rule.sources, TITLES))
        assert f'<abbr title="{files}">{titled.replace("&", "&amp;").replace(chr(39), "&#x27;")}</abbr>' in row
    assert "000_0c29c53ca715ca39.txt, " not in page  # no citation opens with a file name
    # a rule cited in the same section of every page reads in one line
    assert (
        "Generate Voucher Codes, Create Individual Voucher Program, Get Voucher Program Guest Info, "
        "Update Voucher Program: Authorization</abbr>"
    ) in page


def test_the_traffic_has_a_row_per_exchange_and_names_the_cassette(failing: RunResult) -> None:
    found = sections(html(failing, SPEC))
    traffic = found["Recorded traffic"]
    listed = rows(traffic)
    assert len(listed) == len(failing.exchanges) > 0
    assert f"{len(failing.exchanges)} exchanges" in traffic
    assert "cassette.json" in traffic
    refused = next(row for row, e in zip(listed, failing.exchanges, strict=True) if e.status == 400)
    assert "invalid_request" in refused
    assert re.search(r'<td class="id">[A-Z]+(-[A-Z0-9]+)+</td>', refused)  # the X-U4B-Rule header


def test_markdown_answers_first_and_counts_the_traffic(failing: RunResult) -> None:
    report = markdown(failing, SPEC)
    verdict_line = report.index(f"**{len(failing.failures)} failures**")
    assert verdict_line < report.index("## Failures") < report.index("## Documented rules")
    assert report.index("## Documented rules") < report.index("## Documented errors") < report.index("## Traffic")
    assert f"{len(failing.exchanges)} exchanges recorded; `cassette.json` holds each" in report
    cited = "Update Voucher Program, Request Parameters, row value_per_trip_percentage (003_f9fd6dd2390ec048.txt)"
    assert f"| {cited} |" in report
    first_rule_row = next(line for line in report.splitlines() if line.startswith("| ") and " | failed | " in line)
    assert report.index(first_rule_row) < report.index(" | passed | ")


def test_junit_cites_the_rule_and_verdict_keeps_its_keys(failing: RunResult) -> None:
    xml = ET.fromstring(junit(failing, SPEC))
    texts = " ".join(e.text or "" for e in xml.iter("failure"))
    assert "documented in: Update Voucher Program, Request Parameters, row value_per_trip_percentage" in texts
    assert "documented in:" not in " ".join(e.text or "" for e in ET.fromstring(junit(failing)).iter("failure"))
    data = verdict(failing, SPEC)
    rule = next(r for r in data["rules"] if r["id"] == "UPD-PERCENT-RANGE")
    assert rule["citation"] == ["003_f9fd6dd2390ec048.txt, Request Parameters, row value_per_trip_percentage"]
    assert rule["sources"] == [
        {
            "text": "Update Voucher Program, Request Parameters, row value_per_trip_percentage",
            "document": "003_f9fd6dd2390ec048.txt",
            "quote": "range for this field is [5, 99]",
        }
    ]
