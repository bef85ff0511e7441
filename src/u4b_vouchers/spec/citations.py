"""The documents citations name, and citations as a reader sees them.

The description's root ``x-u4b-documents`` lists every document a citation may name: its file
(``000_0c29c53ca715ca39.txt``) and its title (``Generate Voucher Codes``). A citation in
``x-u4b-rules`` (``source``), ``x-u4b-source`` or ``x-u4b-replaced-by`` names a document by
file; :func:`cite` gives it as text that starts with the title (``Generate Voucher Codes,
Error Responses, row 403 unauthorized``) and keeps the file apart, for a tooltip or a footnote.
``openapi/extensions.md`` defines the extension.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import pointer as jp
from .errors import SpecError
from .rules import RULES_KEY, Citation

DOCUMENTS_KEY = "x-u4b-documents"
SOURCE_KEY = "x-u4b-source"
REPLACED_BY_KEY = "x-u4b-replaced-by"
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class CitationText:
    """A citation for a reader: ``text`` opens with the document's title (its file name when
    the document is not listed); ``file`` is the document's file name."""

    text: str
    file: str
    quote: str = ""

    def __str__(self) -> str:
        return self.text

    @property
    def with_file(self) -> str:
        """``text (file)``, for plain text and Markdown, where there is no tooltip."""
        return self.text if self.text.startswith(self.file) else f"{self.text} ({self.file})"


def document_titles(data: Mapping[str, Any]) -> dict[str, str]:
    """``file -> title`` from the root ``x-u4b-documents`` of a raw description (empty when it
    has none). A list that is not one of ``{file, title}`` mappings is a :class:`SpecError`."""
    raw = data.get(DOCUMENTS_KEY)
    if raw is None:
        return {}
    if not isinstance(raw, list):
        raise SpecError(f"{DOCUMENTS_KEY} must be a list of {{file, title}}")
    titles: dict[str, str] = {}
    for index, item in enumerate(raw):
        where = f"{DOCUMENTS_KEY}[{index}]"
        if not isinstance(item, dict) or not {"file", "title"} <= item.keys():
            raise SpecError(f"{where}: a document needs file and title")
        file, title = item["file"], item["title"]
        if not isinstance(file, str) or not file or not isinstance(title, str) or not title.strip():
            raise SpecError(f"{where}: file and title must be non-empty strings")
        if file in titles:
            raise SpecError(f"{where}: {file} is listed twice")
        titles[file] = title.strip()
    return titles


def cite(citation: Citation, documents: Mapping[str, str]) -> CitationText:
    """``Generate Voucher Codes, Error Responses, row 403 unauthorized`` with the file apart."""
    title = documents.get(citation.document, citation.document)
    row = f", row {citation.row}" if citation.row else ""
    return CitationText(f"{title}, {citation.section}{row}", citation.document, citation.quote)


def cite_all(citations: Sequence[Citation], documents: Mapping[str, str]) -> list[CitationText]:
    """:func:`cite` of each."""
    return [cite(c, documents) for c in citations]


def cite_grouped(citations: Sequence[Citation], documents: Mapping[str, str]) -> list[CitationText]:
    """The citations, those of the same section and row in several documents as one:
    ``Generate Voucher Codes, Update Voucher Program: Authorization`` (``file`` lists the files,
    space-separated). A rule cited in every page's same section then reads in one line."""
    groups: dict[tuple[str, str | None], list[Citation]] = {}
    for citation in citations:
        groups.setdefault((citation.section, citation.row), []).append(citation)
    found = []
    for (section, row), members in groups.items():
        if len(members) == 1:
            found.append(cite(members[0], documents))
            continue
        titles = ", ".join(dict.fromkeys(documents.get(c.document, c.document) for c in members))
        files = " ".join(dict.fromkeys(c.document for c in members))
        found.append(CitationText(f"{titles}: {section}{f', row {row}' if row else ''}", files, members[0].quote))
    return found


def document_title(file: str, documents: Mapping[str, str]) -> str:
    """The title of a document named by file (the file name itself when it is not listed)."""
    return documents.get(file, file)


@dataclass(frozen=True)
class NamedDocument:
    """A place in the description that names a document: its JSON pointer and the file."""

    pointer: str
    document: Any


def named_documents(data: Mapping[str, Any]) -> Iterator[NamedDocument]:
    """Every document a raw description names: each rule citation (``x-u4b-rules[].source``),
    each operation's ``x-u4b-source`` and ``x-u4b-replaced-by.source``."""
    rules = data.get(RULES_KEY)
    if isinstance(rules, list):
        for index, rule in enumerate(rules):
            if not isinstance(rule, dict):
                continue
            sources = rule.get("source")
            items = sources if isinstance(sources, list) else [sources]
            for number, source in enumerate(items):
                if isinstance(source, dict) and "document" in source:
                    tokens = [RULES_KEY, str(index), "source"] + ([str(number)] if isinstance(sources, list) else [])
                    yield NamedDocument(jp.join([*tokens, "document"]), source["document"])
    paths = data.get("paths")
    if not isinstance(paths, dict):
        return
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        for method in _METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            source = op.get(SOURCE_KEY)
            if isinstance(source, dict) and "document" in source:
                yield NamedDocument(jp.join(["paths", str(path), method, SOURCE_KEY, "document"]), source["document"])
            replaced = op.get(REPLACED_BY_KEY)
            cited = replaced.get("source") if isinstance(replaced, dict) else None
            if isinstance(cited, dict) and "document" in cited:
                yield NamedDocument(
                    jp.join(["paths", str(path), method, REPLACED_BY_KEY, "source", "document"]), cited["document"]
                )
