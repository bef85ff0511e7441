"""JSON Pointer (RFC 6901) helpers, including the ``#``-prefixed form used by ``$ref``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def join(tokens: Iterable[str | int]) -> str:
    """``["paths", "/a/b"]`` -> ``"#/paths/~1a~1b"``."""
    return "#" + "".join("/" + escape(str(token)) for token in tokens)


def split(pointer: str) -> list[str]:
    """``"#/paths/~1a~1b"`` -> ``["paths", "/a/b"]``. Accepts the form with or without ``#``."""
    body = pointer[1:] if pointer.startswith("#") else pointer
    if body == "":
        return []
    if not body.startswith("/"):
        raise KeyError(f"not a JSON pointer: {pointer!r}")
    return [unescape(token) for token in body[1:].split("/")]


def resolve(document: Any, pointer: str) -> Any:
    """The value at ``pointer``; ``KeyError`` when any step is missing."""
    node = document
    for token in split(pointer):
        if isinstance(node, dict):
            if token not in node:
                raise KeyError(f"{pointer}: no {token!r}")
            node = node[token]
        elif isinstance(node, list):
            if not (token.isascii() and token.isdigit()) or int(token) >= len(node):
                raise KeyError(f"{pointer}: no item {token!r}")
            node = node[int(token)]
        else:
            raise KeyError(f"{pointer}: cannot step into a {type(node).__name__}")
    return node
