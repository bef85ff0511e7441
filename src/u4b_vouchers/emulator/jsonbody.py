"""Request bodies as JSON, strictly: a JSON media type, no ``NaN``/``Infinity``, bounded nesting.

Python's decoder accepts the two constants, which are not JSON, and gives up on deep nesting
with a ``RecursionError``; both become a :class:`MalformedJson` the callers turn into a 400.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

MAX_DEPTH = 64  # far deeper than any body of the four operations or the control plane


class MalformedJson(ValueError):
    """The body is not JSON the emulator accepts (one line)."""


async def read_limited(chunks: AsyncIterator[bytes], declared: str | None, limit: int) -> bytes | None:
    """A request body from its ``chunks``, or None when it is larger than ``limit`` bytes (by
    its declared ``Content-Length`` or as read; reading stops there)."""
    if declared is not None and declared.isdigit() and int(declared) > limit:
        return None
    parts, size = [], 0
    async for chunk in chunks:
        size += len(chunk)
        if size > limit:
            return None
        parts.append(chunk)
    return b"".join(parts)


def is_json_media_type(content_type: str) -> bool:
    media_type = content_type.split(";", maxsplit=1)[0].strip().lower()
    return media_type == "application/json" or (media_type.startswith("application/") and media_type.endswith("+json"))


def _reject_constant(name: str) -> Any:
    raise MalformedJson(f"{name} is not JSON")


def parse_json(raw: bytes | str) -> Any:
    try:
        value = json.loads(raw, parse_constant=_reject_constant)
    except RecursionError:
        raise MalformedJson(f"nested deeper than {MAX_DEPTH} levels") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise MalformedJson(str(exc)) from None
    if _deeper_than(value, MAX_DEPTH):
        raise MalformedJson(f"nested deeper than {MAX_DEPTH} levels")
    return value


def _deeper_than(value: Any, limit: int) -> bool:
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False
