"""A tiny HTML writer: one page, inline CSS, no scripts, nothing fetched."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

STYLE = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#1b1f24}
h1{font-size:1.4rem;margin:0 0 .25rem}h2{font-size:1.1rem;margin:1.6rem 0 .4rem}
p.meta{color:#57606a;margin:0 0 1rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem}
th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#f6f8fa}code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px}
.ok{color:#1a7f37;font-weight:600}.bad{color:#cf222e;font-weight:600}.warn{color:#9a6700;font-weight:600}
"""

STATUS_CLASS = {
    "ok": "ok",
    "pass": "ok",
    "fail": "bad",
    "error": "bad",
    "warning": "warn",
    "skipped": "warn",
}


@dataclass(frozen=True)
class Table:
    """A titled table. Cells are plain text (escaped); a cell equal to a status word is coloured."""

    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    empty: str = "Nothing to show."

    def render(self) -> str:
        parts = [f"<h2>{escape(self.title)}</h2>"]
        if not self.rows:
            parts.append(f"<p>{escape(self.empty)}</p>")
            return "\n".join(parts)
        head = "".join(f"<th>{escape(h)}</th>" for h in self.header)
        body = []
        for row in self.rows:
            cells = []
            for cell in row:
                css = STATUS_CLASS.get(cell.lower()) if isinstance(cell, str) else None
                text = escape(str(cell))
                cells.append(f'<td class="{css}">{text}</td>' if css else f"<td>{text}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")
        return "\n".join(parts)


def page(title: str, summary: str, tables: Sequence[Table]) -> str:
    """A complete HTML document."""
    sections = "\n".join(table.render() for table in tables)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>\n"
        f'<h1>{escape(title)}</h1><p class="meta">{escape(summary)}</p>\n'
        f"{sections}\n</body></html>\n"
    )
