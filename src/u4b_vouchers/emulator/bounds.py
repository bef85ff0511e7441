"""A cheap first look at a request body, before full schema validation: sizes and integers.

One pass over the body, beside the shape of its schema read from the description (``$ref``,
``allOf``, ``properties``, ``items``): every array and string is at most as long as the
description states (``maxItems``, ``maxLength``) or, where it states nothing, as the
emulator's settings allow (``max_array_items``, ``max_string_length``); and a field typed
``integer`` holds an integer as written, not ``1.0`` or ``-0.0`` (JSON Schema counts those as
integers; the documents' ``int``/``int64`` do not). A huge body is refused here in time
proportional to the limits, not to its size.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..spec import Spec, escape


@dataclass
class Shape:
    """What the schema at one place of a body says about sizes and integers."""

    max_items: int | None = None
    max_items_at: str = ""
    max_length: int | None = None
    max_length_at: str = ""
    #: The ``type`` keyword's location when it allows integers but not other numbers.
    integer_at: str = ""
    properties: dict[str, Shape] = field(default_factory=dict)
    items: Shape | None = None


@dataclass(frozen=True)
class Excess:
    """Why a body fails the first look: a one-line reason, the field, and the schema keyword
    that states the bound ("" when the bound is the emulator's own setting)."""

    message: str
    path: str
    keyword_pointer: str


@dataclass(frozen=True)
class Limits:
    max_array_items: int
    max_string_length: int


def _resolved(spec: Spec, pointer: str, node: Any) -> tuple[str, Any]:
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#"):
        ref = node["$ref"]
        if ref in seen:
            break
        seen.add(ref)
        pointer, node = ref, spec.resolve(ref)
    return pointer, node


def _parts(spec: Spec, pointer: str, node: Any) -> Iterable[tuple[str, dict[str, Any]]]:
    """The schema at ``pointer`` and the ``allOf`` members it is made of, resolved."""
    pointer, node = _resolved(spec, pointer, node)
    if not isinstance(node, dict):
        return
    yield pointer, node
    for i, member in enumerate(node.get("allOf") or []):
        yield from _parts(spec, f"{pointer}/allOf/{i}", member)


def compile_shape(spec: Spec, places: list[tuple[str, Any]], depth: int = 0) -> Shape:
    """The shape of the schemas at ``places`` (pointer, node) taken together."""
    shape = Shape()
    children: dict[str, list[tuple[str, Any]]] = {}
    items: list[tuple[str, Any]] = []
    for start, start_node in places:
        for pointer, node in _parts(spec, start, start_node):
            types = node.get("type")
            types = {types} if isinstance(types, str) else set(types) if isinstance(types, list) else set()
            if "integer" in types and "number" not in types:
                shape.integer_at = f"{pointer}/type"
            for keyword, value in (("maxItems", node.get("maxItems")), ("maxLength", node.get("maxLength"))):
                if isinstance(value, int) and not isinstance(value, bool):
                    if keyword == "maxItems" and (shape.max_items is None or value < shape.max_items):
                        shape.max_items, shape.max_items_at = value, f"{pointer}/maxItems"
                    if keyword == "maxLength" and (shape.max_length is None or value < shape.max_length):
                        shape.max_length, shape.max_length_at = value, f"{pointer}/maxLength"
            for name, child in (node.get("properties") or {}).items():
                children.setdefault(name, []).append((f"{pointer}/properties/{escape(name)}", child))
            if isinstance(node.get("items"), dict):
                items.append((f"{pointer}/items", node["items"]))
    if depth < 32:  # a recursive schema stops being followed here; the generic limits still hold
        shape.properties = {name: compile_shape(spec, found, depth + 1) for name, found in children.items()}
        shape.items = compile_shape(spec, items, depth + 1) if items else None
    return shape


def _where(path: list[str | int]) -> str:
    return "/".join(str(p) for p in path)


def excess(value: Any, shape: Shape | None, limits: Limits, path: list[str | int] | None = None) -> Excess | None:
    """The first size or integer problem of ``value`` under ``shape``, or None."""
    path = path or []
    if isinstance(value, str):
        bound, at = limits.max_string_length, ""
        if shape is not None and shape.max_length is not None:
            bound, at = shape.max_length, shape.max_length_at
        if len(value) > bound:
            return Excess(f"a string of {len(value)} characters is longer than {bound}", _where(path), at)
        return None
    if isinstance(value, float) and shape is not None and shape.integer_at:
        return Excess(f"{value!r} is not an integer (no fraction or exponent)", _where(path), shape.integer_at)
    if isinstance(value, list):
        bound, at = limits.max_array_items, ""
        if shape is not None and shape.max_items is not None:
            bound, at = shape.max_items, shape.max_items_at
        if len(value) > bound:
            return Excess(f"an array of {len(value)} items is longer than {bound}", _where(path), at)
        inner = shape.items if shape is not None else None
        for i, item in enumerate(value):
            found = excess(item, inner, limits, [*path, i])
            if found is not None:
                return found
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            if len(key) > limits.max_string_length:
                return Excess(
                    f"a key of {len(key)} characters is longer than {limits.max_string_length}", _where(path), ""
                )
            found = excess(item, shape.properties.get(key) if shape is not None else None, limits, [*path, key])
            if found is not None:
                return found
    return None


__all__ = ["Excess", "Limits", "Shape", "compile_shape", "excess"]
