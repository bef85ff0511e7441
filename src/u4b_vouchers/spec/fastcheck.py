"""A fast yes/no check of request bodies (jsonschema-rs), in front of the attributing validator.

Most requests are valid, and telling so with the Python validator costs tens of microseconds
per body; the compiled Rust validator takes well under one. It only ever answers "valid":
anything it refuses is judged again by :class:`~.validation.SchemaValidator`, which names the
failing keyword. So the pair refuses exactly what the Python validator refuses as long as the
fast check accepts nothing the Python one refuses. Its schema is the description's, with the
one format jsonschema-rs does not know but the project enforces (``int64``/``int32``) written
as the bounds it means; ``tests/spec/test_fastcheck.py`` compares the two on generated bodies.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import jsonschema_rs

from .document import Spec

INTEGER_BITS = {"int64": 64, "int32": 32}
_POINTER_SAFE = "/~-_.!$&'()*+,;=:@"


def _with_integer_bounds(node: Any) -> Any:
    if isinstance(node, dict):
        copy = {key: _with_integer_bounds(value) for key, value in node.items()}
        bits = INTEGER_BITS.get(str(node.get("format")))
        if bits is not None:
            low, high = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
            copy["allOf"] = [*copy.get("allOf", []), {"minimum": low, "maximum": high}]
        return copy
    if isinstance(node, list):
        return [_with_integer_bounds(item) for item in node]
    return node


def _refuse(uri: str) -> Any:
    """No file or URL is ever read for the fast check: a ref outside the description fails it."""
    raise LookupError(f"not retrieved: {uri}")


def fast_checker(spec: Spec, pointer: str) -> Callable[[Any], bool] | None:
    """``is_valid`` for the schema at ``pointer`` (``#/...``), or None when jsonschema-rs cannot
    compile it (a description whose refs leave the file, say): then only the Python validator
    judges."""
    if not pointer.startswith("#/"):
        return None
    root = {key: _with_integer_bounds(value) for key, value in spec.data.items() if key in ("paths", "components")}
    root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    root["$ref"] = "#" + quote(pointer[1:], safe=_POINTER_SAFE)
    try:
        validator = jsonschema_rs.validator_for(root, validate_formats=True, retriever=_refuse)
        validator.is_valid({})
    except Exception:  # any compile or resolution failure: no fast path
        return None
    check: Callable[[Any], bool] = validator.is_valid
    return check
