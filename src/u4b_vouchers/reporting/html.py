"""A tiny HTML writer: one page, inline CSS, no scripts, nothing fetched.

A page is a title, an optional verdict :class:`Banner`, a one-line summary and a list of
sections (:class:`Table`, :class:`Text`). Table cells are plain strings (escaped; a cell equal to
a status word is coloured) or :class:`Cell` values, which say how the text may break: an
identifier never breaks inside (``kind="id"``), a JSON pointer or URL breaks anywhere
(``kind="ptr"``), a command keeps its lines (``kind="pre"``); a cell may carry a tooltip.
``wrapping`` makes a cell of text that may hold a long word. The layout fits a 1,280 px
window: tables take the page's width and long text wraps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Literal

STYLE = """
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:1.5rem 2rem;color:#1b1f24}
h1{font-size:1.4rem;margin:0 0 .25rem}h2{font-size:1.1rem;margin:1.6rem 0 .4rem}
p.meta{color:#57606a;margin:0 0 1rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem}
th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top;overflow-wrap:break-word}
th{background:#f6f8fa;white-space:nowrap}code,pre,.id,.ids,.ptr{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px}
.ok{color:#1a7f37;font-weight:600}.bad{color:#cf222e;font-weight:600}.warn{color:#9a6700;font-weight:600}
.muted{color:#57606a}
td.note{min-width:18rem}
td.id,td.ids,span.id,td.ok,td.bad,td.warn,td.muted{white-space:nowrap;overflow-wrap:normal}
td.ptr{overflow-wrap:anywhere;word-break:break-all;min-width:12rem}
td.pre pre{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}
abbr[title]{text-decoration:underline dotted;cursor:help}
.banner{border-radius:6px;padding:.8rem 1rem;margin:.6rem 0 1rem;border:1px solid}
.banner strong{font-size:1.25rem;display:block}
.banner.ok{background:#dafbe1;border-color:#1a7f37;color:#0f5323}
.banner.bad{background:#ffebe9;border-color:#cf222e;color:#82071e}
.banner.warn{background:#fff8c5;border-color:#9a6700;color:#633c01}
.banner span{font-weight:400;color:#1b1f24}
"""

STATUS_CLASS = {
    "ok": "ok",
    "pass": "ok",
    "passed": "ok",
    "conformant": "ok",
    "fail": "bad",
    "failure": "bad",
    "failed": "bad",
    "breaking": "bad",
    "error": "bad",
    "warning": "warn",
    "warn": "warn",
    "skipped": "muted",
    "not covered": "warn",
}

Tone = Literal["ok", "bad", "warn"]


@dataclass(frozen=True)
class Cell:
    """A table cell with more than plain text.

    ``kind``: ``"text"`` (wraps at spaces), ``"id"`` (never breaks: rule ids, check names),
    ``"ids"`` (identifiers one per line, each whole),
    ``"ptr"`` (breaks anywhere: JSON pointers, URLs), ``"pre"`` (kept as written, wrapped only
    where a line is too long: a ``curl`` command). ``title`` is a tooltip (a citation's file
    name, say); ``css`` adds a class (``ok``, ``bad``, ``warn``, ``muted``; ``note`` keeps a column
    of sentences from being squeezed narrow)."""

    text: str
    kind: Literal["text", "id", "ids", "ptr", "pre"] = "text"
    title: str | None = None
    css: str | None = None

    def render(self) -> str:
        text = escape(self.text)
        if self.kind == "ids":
            text = "<br>".join(escape(line) for line in self.text.splitlines())
        if self.kind == "pre":
            text = f"<pre>{text}</pre>"
        if self.title:
            text = f'<abbr title="{escape(self.title)}">{text}</abbr>'
        classes = " ".join(c for c in (self.kind if self.kind != "text" else None, self.css) if c)
        return f'<td class="{classes}">{text}</td>' if classes else f"<td>{text}</td>"


#: A word longer than this (a JSON pointer, a quoted value, a path) would widen its column.
LONG_WORD = 28


def wrapping(text: str) -> str | Cell:
    """``text`` as a cell: plain when it wraps at spaces; when it holds a word longer than
    :data:`LONG_WORD`, a cell that may break anywhere, so that the word cannot widen the page."""
    return Cell(text, kind="ptr") if any(len(word) > LONG_WORD for word in text.split()) else text


def _cell(value: str | Cell) -> str:
    if isinstance(value, Cell):
        return value.render()
    text = str(value)
    css = STATUS_CLASS.get(text.lower())
    return f'<td class="{css}">{escape(text)}</td>' if css else f"<td>{escape(text)}</td>"


@dataclass(frozen=True)
class Table:
    """A titled table. Cells are plain text (escaped; a cell equal to a status word is
    coloured) or :class:`Cell` values."""

    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[str | Cell]]
    empty: str = "Nothing to show."
    intro: str = ""

    def render(self) -> str:
        parts = [f"<h2>{escape(self.title)}</h2>"]
        if self.intro:
            parts.append(f'<p class="meta">{escape(self.intro)}</p>')
        if not self.rows:
            parts.append(f"<p>{escape(self.empty)}</p>")
            return "\n".join(parts)
        head = "".join(f"<th>{escape(h)}</th>" for h in self.header)
        body = ["<tr>" + "".join(_cell(cell) for cell in row) + "</tr>" for row in self.rows]
        parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")
        return "\n".join(parts)


@dataclass(frozen=True)
class Text:
    """A titled section of paragraphs (plain text, escaped)."""

    title: str
    paragraphs: Sequence[str]

    def render(self) -> str:
        return "\n".join([f"<h2>{escape(self.title)}</h2>", *(f"<p>{escape(p)}</p>" for p in self.paragraphs)])


@dataclass(frozen=True)
class Banner:
    """The answer, first: a coloured box with the verdict in large type and a detail line
    (counts, say)."""

    tone: Tone
    headline: str
    detail: str = ""

    def render(self) -> str:
        detail = f"<span>{escape(self.detail)}</span>" if self.detail else ""
        return f'<div class="banner {self.tone}" role="status"><strong>{escape(self.headline)}</strong>{detail}</div>'


def page(title: str, summary: str, tables: Sequence[Table | Text], banner: Banner | None = None) -> str:
    """A complete HTML document: title, banner (when given), summary, then the sections."""
    sections = "\n".join(table.render() for table in tables)
    top = banner.render() + "\n" if banner is not None else ""
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>\n"
        f"<h1>{escape(title)}</h1>\n{top}"
        f'<p class="meta">{escape(summary)}</p>\n'
        f"{sections}\n</body></html>\n"
    )
