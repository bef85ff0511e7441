"""Every file a description reaches through ``$ref``s, each checked by the policy before it is
read, and references that only ever lead to each other refused.

Tools that resolve references themselves (openapi-spec-validator, Spectral, Redocly) run only
on a description whose whole closure passed here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from . import pointer as jp
from .errors import SpecError
from .refs import REF, Location, RefPolicy, shown_ref, split_ref

Reader = Callable[[Path], Any]


def iter_refs(data: Any) -> Iterator[str]:
    """Every ``$ref`` string in ``data``, anywhere (examples included: the Node linters follow
    those too); shared objects (YAML aliases) are visited once."""
    seen: set[int] = set()
    stack = [data]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            ref = node.get(REF)
            if isinstance(ref, str):
                yield ref
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))


def referenced_files(path: str | Path, data: Any, policy: RefPolicy, read: Reader) -> dict[Location, Any]:
    """The data of every document reachable from ``path`` (itself included), by real path,
    or by URL for those the policy's fetcher fetched. Raises SpecError for the first
    reference the policy refuses, and for a cycle of references with nothing else in it."""
    root = Path(os.path.realpath(path))
    files: dict[Location, Any] = {root: data}
    shown: dict[Location, str] = {root: str(path)}
    queue: list[Location] = [root]
    while queue:
        holder = queue.pop()
        for ref in iter_refs(files[holder]):
            target = policy.target(ref, shown[holder])
            if target is None or target in files:
                continue
            if isinstance(target, str):
                files[target] = policy.fetch(target)
            elif os.path.exists(target):
                files[target] = read(target)
            else:
                continue  # a missing file is for the tools to report
            shown[target] = str(target)
            queue.append(target)
    for holder, document in files.items():
        _refuse_cycles(holder, document, files, policy, shown)
    return files


def _refuse_cycles(
    holder: Location, document: Any, files: dict[Location, Any], policy: RefPolicy, shown: dict[Location, str]
) -> None:
    """A ``$ref`` whose chain of targets comes back to itself without reaching a value."""
    for ref in iter_refs(document):
        chain = [ref]
        seen: set[tuple[Location, str]] = set()
        file, current = holder, ref
        while True:
            file_part, fragment = split_ref(current)
            file = (policy.target(current, shown[file]) or file) if file_part else file
            if (file, fragment) in seen:
                raise SpecError(f"circular $ref: {' -> '.join(shown_ref(r) for r in chain)}", path=shown[holder])
            seen.add((file, fragment))
            if file not in files:
                break
            try:
                node = jp.resolve(files[file], "#" + fragment) if fragment else files[file]
            except KeyError:
                break  # points nowhere: for the tools to report
            if not isinstance(node, dict) or not isinstance(node.get(REF), str):
                break
            current = node[REF]
            chain.append(current)
