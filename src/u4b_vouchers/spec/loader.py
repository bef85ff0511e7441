"""Read a YAML or JSON description, keeping the line of every node for error messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import SpecError
from .pointer import join


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
    """Parse ``path`` (YAML 1.1 safe subset, which includes JSON).

    Raises :class:`SpecError` with a one-line message for a missing file, unreadable text or
    a YAML syntax error.
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecError("no such file", path=str(file)) from None
    except IsADirectoryError:
        raise SpecError("is a directory, not a file", path=str(file)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"cannot read: {exc}", path=str(file)) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or "invalid YAML"
        raise SpecError(f"invalid YAML: {problem}", path=str(file), line=line) from None
    except yaml.YAMLError as exc:
        raise SpecError(f"invalid YAML: {exc}", path=str(file)) from None
    except RecursionError:
        raise SpecError("nested too deeply to read", path=str(file)) from None
    lines: dict[str, int] = {}
    if node is not None:
        _record_lines(node, [], lines)
    return LoadedDocument(path=file, data=data, lines=lines)
