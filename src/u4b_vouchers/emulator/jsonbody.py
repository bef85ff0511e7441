"""Request bodies as JSON, strictly: a JSON media type, I-JSON (RFC 7493), bounded nesting.

Python's decoder accepts ``NaN``/``Infinity`` (not JSON), reads ``1e400`` as infinity, lets a
repeated key win silently, takes lone surrogates and gives up on deep nesting with a
``RecursionError``; each becomes a :class:`MalformedJson` the callers turn into a 400.
"""

from __future__ import annotations

import json
import math
from collections.abc import AsyncIterator
from typing import Any

MAX_DEPTH = 64  # far deeper than any body of the four operations or the control plane
#: The largest integer every JSON implementation reads exactly (RFC 7493, I-JSON, 2.2).
MAX_SAFE_INTEGER = 2**53 - 1


class MalformedJson(ValueError):
    """The body is not JSON the emulator accepts (one line)."""


async def read_limited(chunks: AsyncIterator[bytes], declared: str | None, limit: int) -> bytes | None:
    """A request body from its ``chunks``, or None when it is larger than ``limit`` bytes (by
    its declared ``Content-Length`` or as read; reading stops there)."""
    if declared is not None and declared.isascii() and declared.isdigit() and int(declared) > limit:
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


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object whose keys are all different: a repeated key has no agreed meaning (RFC 8259, 4)."""
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        repeated = ""
        for key, _ in pairs:
            if key in seen:
                repeated = key
                break
            seen.add(key)
        raise MalformedJson(f"the key {_shown(repeated)} appears twice in one object")
    return obj


def parse_json(raw: bytes | str) -> Any:
    """``raw`` as JSON, refusing what I-JSON (RFC 7493) refuses: invalid UTF-8 or lone
    surrogates, repeated keys, numbers beyond IEEE double range or integers beyond ±(2^53-1);
    and nesting deeper than :data:`MAX_DEPTH`."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        value = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_unique_keys)
    except RecursionError:
        raise MalformedJson(f"nested deeper than {MAX_DEPTH} levels") from None
    except UnicodeDecodeError as exc:
        raise MalformedJson(f"not UTF-8 (byte {exc.start})") from None
    except ValueError as exc:
        raise MalformedJson(str(exc)) from None
    problem = _problem(value, MAX_DEPTH)
    if problem is not None:
        raise MalformedJson(problem)
    return value


def _shown(text: str) -> str:
    return ascii(text[:40])


def _problem(value: Any, limit: int) -> str | None:
    """Why a parsed value is not I-JSON the emulator takes, or None; one pass over every node
    (scalars are judged where they sit, containers wait on a stack)."""
    found = _scalar_problem(value)
    if found is not None or not isinstance(value, dict | list):
        return found
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return f"nested deeper than {limit} levels"
        if isinstance(node, dict):
            for key in node:
                if not key.isascii() and not _is_unicode(key):
                    return f"the key {_shown(key)} holds a lone surrogate (invalid Unicode)"
            children: Any = node.values()
        else:
            children = node
        for child in children:
            kind = type(child)
            if kind is dict or kind is list:
                stack.append((child, depth + 1))
            elif kind is not bool and child is not None:
                found = _scalar_problem(child)
                if found is not None:
                    return found
    return None


def _scalar_problem(node: Any) -> str | None:
    kind = type(node)
    if kind is str:
        if not node.isascii() and not _is_unicode(node):
            return f"the string {_shown(node)} holds a lone surrogate (invalid Unicode)"
    elif kind is int:
        if node > MAX_SAFE_INTEGER or node < -MAX_SAFE_INTEGER:
            return f"the integer {str(node)[:40]} is outside ±(2^53-1), JSON's interoperable range"
    elif kind is float and not math.isfinite(node):
        return "a number is too large for a double (it would be infinite)"
    return None


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
