"""The HTML writer: escaping, cell kinds, the verdict banner, nothing fetched."""

from __future__ import annotations

import re

from u4b_vouchers.reporting import Banner, Cell, Table, Text, page, wrapping


def test_cells_are_escaped_and_keep_their_kind() -> None:
    html = Table(
        "t",
        ["rule", "where", "curl", "plain"],
        [[Cell("UPD-PERCENT-RANGE", "id"), Cell("/paths/~1a<b>", "ptr"), Cell("curl -X 'a'\n  b", "pre"), "fail"]],
    ).render()
    assert '<td class="id">UPD-PERCENT-RANGE</td>' in html
    assert '<td class="ptr">/paths/~1a&lt;b&gt;</td>' in html
    assert "<pre>curl -X &#x27;a&#x27;\n  b</pre>" in html
    assert '<td class="bad">fail</td>' in html


def test_a_tooltip_names_what_the_text_abbreviates() -> None:
    html = Table("t", ["c"], [[Cell("Generate Voucher Codes, Authorization", title="000_x.txt")]]).render()
    assert '<abbr title="000_x.txt">Generate Voucher Codes, Authorization</abbr>' in html


def test_the_banner_comes_before_the_summary_and_the_sections() -> None:
    html = page("Report", "summary", [Text("Why", ["a < b"])], banner=Banner("bad", "2 failures", "1 warning"))
    assert html.index('class="banner bad"') < html.index("summary") < html.index("<h2>Why</h2>")
    assert "<p>a &lt; b</p>" in html


def test_a_page_fetches_nothing() -> None:
    html = page("x", "y", [Table("t", ["a"], [["https://example.com/x"]])])
    assert not re.search(r"<(script|link|img|iframe)\b", html)
    assert "url(" not in html


def test_identifiers_one_per_line_each_whole() -> None:
    html = Table("t", ["checks"], [[Cell("rules/a-b\nschemathesis/all-phases", "ids")]]).render()
    assert '<td class="ids">rules/a-b<br>schemathesis/all-phases</td>' in html


def test_text_with_a_long_word_may_break_anywhere_and_prose_wraps_at_spaces() -> None:
    assert wrapping("a change of the request body") == "a change of the request body"
    long = wrapping("removed /paths/~1v1~1organizations~1{organization_id}/get")
    assert isinstance(long, Cell)
    assert long.kind == "ptr"
