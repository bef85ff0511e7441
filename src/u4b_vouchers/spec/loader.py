"""Read a YAML or JSON description, keeping the line of every node for error messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .pointer import join
from .reading import compose, construct, no_collection, read_text


@dataclass(frozen=True)
class LoadedDocument:
    """A parsed document and the 1-based source line of each JSON pointer in it."""

    path: Path
    data: Any
    lines: dict[str, int] = field(repr=False)

    def line_of(self, pointer: str) -> int | None:
        """The line of ``pointer``, or of its nearest ancestor that has one."""
        candidate = pointer
        while True:
            if candidate in self.lines:
                return self.lines[candidate]
            if "/" not in candidate:
                return None
            candidate = candidate.rsplit("/", 1)[0]


def _record_lines(node: yaml.Node, tokens: list[str], lines: dict[str, int]) -> None:
    lines[join(tokens)] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value)
            _record_lines(value_node, [*tokens, key], lines)
            # A key's own line is more useful than its value's when the value spans lines.
            lines[join([*tokens, key])] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, [*tokens, str(index)], lines)


def load_document(path: str | Path) -> LoadedDocument:
    """Parse ``path`` (YAML 1.1 safe subset, which includes JSON), bounded as
    :mod:`.reading` says.

    Raises :class:`SpecError` with a one-line message for a missing or special file, one too
    large, unreadable text, a YAML syntax error, an alias bomb or too deep a nesting.
    """
    file = Path(path)
    text = read_text(file)
    lines: dict[str, int] = {}
    with no_collection():  # resumed once the node graph is gone (see reading.no_collection)
        node = compose(text, str(file))
        data = construct(node, str(file))
        if node is not None:
            _record_lines(node, [], lines)
        del node
    return LoadedDocument(path=file, data=data, lines=lines)
