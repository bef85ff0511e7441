"""An OpenAPI description: its operations, local ``$ref`` resolution and line lookup."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import pointer as jp
from .closure import referenced_files
from .errors import SpecError
from .loader import LoadedDocument, load_document
from .refs import Location, RefPolicy
from .remote import Fetcher

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class Operation:
    """One operation: where it is, and its raw (unresolved) object."""

    operation_id: str
    method: str
    path: str
    raw: dict[str, Any]
    path_item: dict[str, Any]

    @property
    def pointer(self) -> str:
        return jp.join(["paths", self.path, self.method])


class Spec:
    """A loaded description. ``data`` is the parsed document, untouched."""

    def __init__(
        self,
        loaded: LoadedDocument,
        refs: RefPolicy | None = None,
        closure: dict[Location, Any] | None = None,
        fetcher: Fetcher | None = None,
        base_uri: str | None = None,
        documents: dict[str, Any] | None = None,
    ):
        if not isinstance(loaded.data, dict):
            raise SpecError("not an OpenAPI document: top level is not a mapping", path=str(loaded.path))
        self._loaded = loaded
        self.data: dict[str, Any] = loaded.data
        #: Which files ``$ref``s may name; None for a description not read from a file.
        self.refs = refs
        #: Every document the ``$ref``s reach (this one included), by real path or URL.
        self.closure: dict[Location, Any] = closure if closure is not None else {}
        #: Fetches the http(s) documents ``$ref``s name; None when the user did not opt in.
        self.fetcher = fetcher if fetcher is not None else (refs.fetcher if refs is not None else None)
        #: The URI relative ``$ref``s resolve against (None: the file's own, when read from one).
        self.base_uri = base_uri
        #: Other documents of the description already read (from a git revision), by URI.
        self.documents: dict[str, Any] = documents if documents is not None else {}

    @classmethod
    def load(cls, path: str | Path, ref_root: str | Path | None = None, fetcher: Fetcher | None = None) -> Spec:
        """Read ``path`` and check every file its ``$ref``s reach: only files under
        ``ref_root`` (default: the description's folder), never a special file, and a URL
        only through ``fetcher`` (None: URLs are refused)."""
        loaded = load_document(path)
        refs = RefPolicy.beside(path, ref_root, fetcher)
        closure = referenced_files(path, loaded.data, refs, lambda file: load_document(file).data)
        return cls(loaded, refs, closure)

    @property
    def remote_documents(self) -> dict[str, Any]:
        """The fetched documents the ``$ref``s reach, by URL."""
        return {where: data for where, data in self.closure.items() if isinstance(where, str)}

    @classmethod
    def from_data(
        cls,
        data: Any,
        name: str,
        fetcher: Fetcher | None = None,
        base_uri: str | None = None,
        documents: dict[str, Any] | None = None,
    ) -> Spec:
        """A description already parsed (from git, say); ``name`` stands in for its path and no
        source lines are known. Its ``$ref``s reach only ``documents`` (the other files, already
        read, by URI relative to ``base_uri``) and URLs through ``fetcher``."""
        loaded = LoadedDocument(path=Path(name), data=data, lines={})
        return cls(loaded, fetcher=fetcher, base_uri=base_uri, documents=documents)

    @property
    def path(self) -> Path:
        return self._loaded.path

    def line_of(self, pointer: str) -> int | None:
        return self._loaded.line_of(pointer)

    def resolve(self, pointer: str) -> Any:
        """The node at a ``#/...`` pointer; ``KeyError`` when missing."""
        return jp.resolve(self.data, pointer)

    def deref(self, node: Any) -> Any:
        """Follow a local ``$ref`` (repeatedly) to the object it names."""
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if not ref.startswith("#") or ref in seen:
                return node
            seen.add(ref)
            node = self.resolve(ref)
        return node

    def operations(self) -> Iterator[Operation]:
        paths = self.data.get("paths") or {}
        for path, item in paths.items():
            if not isinstance(item, dict):
                continue
            for method in HTTP_METHODS:
                op = item.get(method)
                if isinstance(op, dict):
                    yield Operation(str(op.get("operationId", "")), method, path, op, item)

    def operation(self, operation_id: str) -> Operation:
        for op in self.operations():
            if op.operation_id == operation_id:
                return op
        raise KeyError(f"no operation {operation_id!r}")

    def parameters(self, op: Operation) -> list[dict[str, Any]]:
        """The operation's parameters, path-level ones included, ``$ref`` resolved."""
        merged: dict[tuple[str, str], dict[str, Any]] = {}
        for raw in [*op.path_item.get("parameters", []), *op.raw.get("parameters", [])]:
            param = self.deref(raw)
            merged[(param.get("in", ""), param.get("name", ""))] = param
        return list(merged.values())
