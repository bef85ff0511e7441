"""A local mirror of a description whose ``$ref``s reach fetched documents, for the Node
linters: they must never fetch a URL themselves.

The mirror holds a copy of every local file of the closure (same relative layout, the root
file keeping its name) and each fetched document as a JSON file; every ``$ref`` to a URL is
rewritten to the relative path of its local copy, fragment kept. In a local file the rewrite
is textual, so its line numbers stay the same; when the rewritten text does not parse to the
expected data, that file is written as JSON instead.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..spec import REF, Location, Spec, SpecError, parse, read_text

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Mirror:
    """``root`` is the file to give the tools; ``original`` maps a mirrored file (as a real
    path string) back to the name to report (a path or a URL)."""

    root: Path
    original: dict[str, str] = field(default_factory=dict)

    def shown(self, reported: str) -> str:
        """The original name of a file a tool reported."""
        return self.original.get(os.path.realpath(reported), reported)


@contextmanager
def node_view(spec: Spec) -> Iterator[Mirror]:
    """The description itself when it reaches no fetched document; a mirror otherwise."""
    if not spec.remote_documents or spec.refs is None:
        yield Mirror(spec.path)
        return
    with tempfile.TemporaryDirectory(prefix="u4b-lint-mirror-") as scratch:
        yield _build(spec, Path(os.path.realpath(scratch)))


def _places(spec: Spec, scratch: Path) -> dict[Location, Path]:
    """Where each document of the closure goes in the mirror."""
    local = [where for where in spec.closure if isinstance(where, Path)]
    base = Path(os.path.commonpath([str(where.parent) for where in local]))
    places: dict[Location, Path] = {where: scratch / "files" / where.relative_to(base) for where in local}
    for number, url in enumerate(sorted(spec.remote_documents)):
        stem = _UNSAFE.sub("-", url.rstrip("/").rsplit("/", 1)[-1])[:60] or "document"
        places[url] = scratch / "remote" / f"{number}-{stem}.json"
    return places


def _build(spec: Spec, scratch: Path) -> Mirror:
    assert spec.refs is not None
    places = _places(spec, scratch)
    original: dict[str, str] = {}
    root = Path(os.path.realpath(spec.path))
    for where, data in spec.closure.items():
        place = places[where]
        place.parent.mkdir(parents=True, exist_ok=True)
        renamed = _renames(spec, where, data, places)
        expected = _rewritten(data, renamed)
        text = json.dumps(expected, indent=2)
        if isinstance(where, Path):
            text = _textual(read_text(where), renamed, expected, text)
        place.write_text(text, encoding="utf-8")
        original[str(place)] = spec.path.name if where == root else str(where)
    return Mirror(places[root], original)


def _renames(spec: Spec, holder: Location, data: Any, places: dict[Location, Path]) -> dict[str, str]:
    """Each ``$ref`` in ``data`` that leads to a fetched document (or, in a fetched document,
    to any other document), with the relative path of its mirrored copy."""
    assert spec.refs is not None
    renamed: dict[str, str] = {}
    here = places[holder].parent
    for ref in _refs(data):
        target = spec.refs.target(ref, str(holder))
        if target is None or target == holder or target not in places:
            continue
        if isinstance(holder, Path) and not isinstance(target, str):
            continue  # local to local: already right
        _, _, fragment = ref.partition("#")
        relative = os.path.relpath(places[target], here)
        renamed[ref] = relative + ("#" + fragment if fragment else "")
    return renamed


def _refs(data: Any) -> set[str]:
    found: set[str] = set()
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get(REF), str):
                found.add(node[REF])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def _rewritten(node: Any, renamed: dict[str, str]) -> Any:
    if isinstance(node, dict):
        return {
            key: renamed.get(value, value) if key == REF and isinstance(value, str) else _rewritten(value, renamed)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rewritten(item, renamed) for item in node]
    return node


def _textual(text: str, renamed: dict[str, str], expected: Any, fallback: str) -> str:
    """``text`` with each renamed reference replaced in place (longest first), when that
    parses to ``expected``; ``fallback`` (JSON) otherwise."""
    for ref in sorted(renamed, key=len, reverse=True):
        text = text.replace(ref, renamed[ref])
    try:
        same = parse(text, "mirror") == expected
    except SpecError:
        same = False
    return text if same else fallback
