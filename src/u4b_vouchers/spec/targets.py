"""The schema a rule's ``target`` names in an operation's request.

A target is ``body`` (the whole body), ``body.<field>`` with ``[]`` stepping into list items
(``body.pickup_locations[].radius``), or ``query.<name>``, ``path.<name>``, ``header.<name>``.
"""

from __future__ import annotations

from typing import Any

from .document import Operation, Spec


def property_schema(spec: Spec, schema: Any, name: str) -> Any | None:
    """The subschema for property ``name`` (looking through ``$ref`` and composition)."""
    schema = spec.deref(schema)
    if not isinstance(schema, dict):
        return None
    properties = schema.get("properties") or {}
    if name in properties:
        return properties[name]
    for key in ("allOf", "anyOf", "oneOf"):
        for branch in schema.get(key) or []:
            found = property_schema(spec, branch, name)
            if found is not None:
                return found
    return None


def body_schema(spec: Spec, op: Operation) -> Any | None:
    body = spec.deref(op.raw.get("requestBody") or {})
    for media in (body.get("content") or {}).values():
        if isinstance(media, dict) and "schema" in media:
            return media["schema"]
    return None


def target_schema(spec: Spec, op: Operation, target: str) -> dict[str, Any] | None:
    """The schema (``$ref`` followed) of what ``target`` names in ``op``'s request, ``{}`` for a
    parameter without one, or None when the request has no such thing."""
    where, _, rest = target.partition(".")
    if where == "body":
        schema = body_schema(spec, op)
        for step in rest.split(".") if rest else []:
            if schema is None:
                break
            schema = property_schema(spec, schema, step.removesuffix("[]"))
            if schema is not None and step.endswith("[]"):
                items = spec.deref(schema)
                schema = items.get("items") if isinstance(items, dict) else None
        if schema is None:
            return None
        found = spec.deref(schema)
        return found if isinstance(found, dict) else {}
    for param in spec.parameters(op):
        if (param.get("in"), str(param.get("name", "")).lower()) == (where, rest.lower()):
            found = spec.deref(param.get("schema") or {})
            return found if isinstance(found, dict) else {}
    return None
