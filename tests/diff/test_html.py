"""The diff's HTML page: the verdict first, levels as the other formats say them, and a table
that fits a 1,280 px window however long the pointers are."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT
from u4b_vouchers.diff import DiffConfig, Finding, diff, load
from u4b_vouchers.diff.formats import html

SPEC = ROOT / "openapi" / "vouchers.yaml"
GUESTS = "/v1/organizations/{organization_id}/voucher-programs/{voucher_program_id}/guests"


class Cells(HTMLParser):
    """The page's table cells as (class, text), row by row, and its banner."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[tuple[str, str]]] = []
        self.banner: tuple[str, str] | None = None
        self._cell: tuple[str, list[str]] | None = None
        self._banner: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        css = dict(attrs).get("class") or ""
        if tag == "tr":
            self.rows.append([])
        elif tag == "td":
            self._cell = (css, [])
        elif tag == "div" and css.startswith("banner"):
            self._banner = (css, [])

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            self.rows[-1].append((self._cell[0], "".join(self._cell[1])))
            self._cell = None
        elif tag == "div" and self._banner is not None:
            self.banner = (self._banner[0], " ".join(self._banner[1]))
            self._banner = None

    def handle_data(self, data: str) -> None:
        for open_ in (self._cell, self._banner):
            if open_ is not None:
                open_[1].append(data)


def parse(page: str) -> Cells:
    cells = Cells()
    cells.feed(page)
    return cells


def revision(tmp_path: Path) -> Path:
    """The project's description with a breaking change, a warning and an info, each reported
    at a long JSON pointer."""
    doc: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    schemas = doc["components"]["schemas"]
    schemas["UpdateVoucherProgramRequest"]["properties"]["value_per_trip_percentage"]["maximum"] = 90
    schemas["VoucherStatus"]["enum"].append("VOUCHER_EXPIRED")
    doc["paths"][GUESTS]["get"]["deprecated"] = True
    path = tmp_path / "revision.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def findings(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Finding], str]:
    rev = revision(tmp_path_factory.mktemp("html"))
    return diff(load(str(SPEC)), load(str(rev)), DiffConfig()), str(rev)


def test_levels_read_as_in_the_other_formats_breaking_first(findings: tuple[list[Finding], str]) -> None:
    found, rev = findings
    assert {f.level for f in found} == {"breaking", "warning", "info"}
    # Handed over in the worst order, shown breaking first.
    cells = parse(html(sorted(found, key=lambda f: f.level != "info"), "base.yaml", rev))
    levels = [row[0] for row in cells.rows if row]
    assert levels[0] == ("bad", "breaking")
    assert [text for _, text in levels] == sorted(
        (text for _, text in levels), key=["breaking", "warning", "info"].index
    )
    assert {css for css, _ in levels} == {"bad", "warn", "muted"}
    assert ("warn", "warning") in levels
    assert ("muted", "info") in levels
    assert "fail" not in {text for _, text in levels}


def test_the_verdict_comes_first(findings: tuple[list[Finding], str]) -> None:
    found, rev = findings
    page = html(found, "openapi/vouchers.yaml", rev)
    assert page.index('class="banner') < page.index("<table")
    banner = parse(page).banner
    assert banner is not None
    assert banner[0] == "banner bad"
    assert banner[1].startswith("1 breaking change ")
    assert "1 breaking, 1 warning, " in banner[1]
    assert "openapi/vouchers.yaml" in banner[1]
    assert rev in banner[1]
    warnings_only = [f for f in found if f.level != "breaking"]
    assert parse(html(warnings_only, "a", "b")).banner == (
        "banner warn",
        "1 warning 0 breaking, 1 warning, 1 info · base a · revision b",
    )
    nothing = html([], "a", "b")
    assert parse(nothing).banner == (
        "banner ok",
        "No breaking changes 0 breaking, 0 warnings, 0 info · base a · revision b",
    )
    assert "No changes." in nothing


def test_ids_keep_whole_and_pointers_break_anywhere(findings: tuple[list[Finding], str]) -> None:
    """Rule ids never break; operations and pointers break anywhere, so a pointer of any
    length wraps inside its column; levels are short words."""
    found, rev = findings
    page = html(found, "openapi/vouchers.yaml", rev)
    rows = [row for row in parse(page).rows if row]
    assert len(rows) == len(found) == 3
    for level, rule, operation, change, where in rows:
        assert rule[0] == "id"
        assert where[0] == "ptr"
        assert where[1].startswith("#/paths/")
        assert operation == ("ptr", next(f.operation for f in found if f.id == rule[1]))
        assert level[0] in {"bad", "warn", "muted"}
        message = next(f.message for f in found if f.id == rule[1])
        # prose wraps at spaces; a message holding a long word (a path) may break anywhere
        assert change == ("ptr" if any(len(word) > 28 for word in message.split()) else "", message)
    assert max(len(where[1]) for *_, where in rows) > 180  # the long pointer the page must wrap
    style = page[page.index("<style>") : page.index("</style>")]
    assert re.search(r"td\.ptr\{[^}]*(overflow-wrap:anywhere|word-break:break-all)", style)
    assert re.search(r"td\.id[^{]*\{white-space:nowrap", style)
    assert "table{border-collapse:collapse;width:100%" in style


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (apt-get install chromium)")
def test_the_page_fits_1280_pixels_in_chromium(findings: tuple[list[Finding], str], tmp_path: Path) -> None:
    found, rev = findings
    page = html(found, "openapi/vouchers.yaml", rev)
    # The page has no script; a copy measures itself and writes the width into the DOM.
    probe = "<script>document.body.dataset.width = document.documentElement.scrollWidth</script>"
    measured = tmp_path / "measured.html"
    measured.write_text(page.replace("</body>", probe + "</body>"), encoding="utf-8")
    assert CHROMIUM is not None
    dom = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--window-size=1280,900",
            "--dump-dom",
            measured.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    width = re.search(r'data-width="(\d+)"', dom)
    assert width is not None, dom[:500]
    assert int(width.group(1)) <= 1280
