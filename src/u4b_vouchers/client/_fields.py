"""Fields a request body names that its schema does not define.

The description leaves every object open (D-024: responses, and the vendor's own examples, carry
fields no schema lists), so a server accepts a misspelt field and ignores it. A body a developer
writes is another matter: an unknown field in it is almost always a typo, and the change it
meant is silently not made. The client refuses it before sending, naming the field.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..spec import Spec

_MEMBERS = ("allOf", "anyOf", "oneOf", "then", "else")


@dataclass(frozen=True)
class UnknownField:
    """``field`` is not a property of the object at ``path`` (``""`` for the body itself)."""

    field: str
    path: str
    allowed: tuple[str, ...]

    @property
    def suggestion(self) -> str | None:
        close = difflib.get_close_matches(self.field, self.allowed, n=1)
        return close[0] if close else None


def _properties(spec: Spec, schema: Any, into: dict[str, Any], depth: int = 0) -> bool:
    """Add the properties ``schema`` defines, its composition members' too, to ``into`` (the
    first definition of a name wins). False when the object is open by design: a map
    (``additionalProperties`` or ``patternProperties``) or a schema that names no properties."""
    schema = spec.deref(schema)
    if not isinstance(schema, Mapping) or depth > 16:
        return False
    extra = schema.get("additionalProperties")
    if schema.get("patternProperties") or (extra is not None and extra is not False and extra != {}):
        return False
    closed = False
    properties = schema.get("properties")
    if isinstance(properties, Mapping):
        for name, sub in properties.items():
            into.setdefault(str(name), sub)
        closed = True
    for keyword in _MEMBERS:
        members = schema.get(keyword)
        for member in members if isinstance(members, list) else [members] if members is not None else []:
            closed = _properties(spec, member, into, depth + 1) or closed
    return closed


def unknown_field(spec: Spec, schema: Any, value: Any, path: str = "") -> UnknownField | None:
    """The first field of ``value`` (in its own order, depth first) that ``schema`` does not
    define, or None."""
    schema = spec.deref(schema)
    if not isinstance(schema, Mapping):
        return None
    if isinstance(value, Mapping):
        known: dict[str, Any] = {}
        if not _properties(spec, schema, known):
            return None
        for name, item in value.items():
            if name not in known:
                return UnknownField(str(name), path, tuple(sorted(known)))
            found = unknown_field(spec, known[name], item, f"{path}/{name}" if path else str(name))
            if found is not None:
                return found
    elif isinstance(value, list | tuple) and isinstance(schema.get("items"), Mapping):
        for index, item in enumerate(value):
            found = unknown_field(spec, schema["items"], item, f"{path}/{index}" if path else str(index))
            if found is not None:
                return found
    return None
