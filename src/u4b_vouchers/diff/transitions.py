"""Schema transitions: one edit that the keyword-by-keyword tree shows as several changes.

Two are recognised here, the way oasdiff recognises them:

- a *list of types*: a single ``type`` became a ``oneOf``/``anyOf`` of scalar types (or back,
  or such a list gained or lost a type). It is reported as the list of types widened or
  narrowed; the type change and the ``oneOf``/``anyOf`` members added or removed that the tree
  also shows at that schema are the same edit and are not reported again.
- a *oneOf wrapping*: an object schema with properties became a ``oneOf`` of object
  alternatives (no type, no properties of its own) that hold those properties. The properties
  moved; they were not removed, and the type did not change.

The checks that would report the echoes ask these functions and step aside.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .load import Document
from .rules import RULES
from .tree import DocDiff, SchemaDiff


@dataclass(frozen=True)
class TypeList:
    """The types a schema accepts, written as one ``type`` or as a list of one-type members."""

    types: tuple[str, ...]
    listed: bool  # from oneOf/anyOf members rather than from ``type``


@dataclass(frozen=True)
class TypesChange:
    added: tuple[str, ...]
    deleted: tuple[str, ...]


def declared(schema: dict[str, Any]) -> list[str]:
    """The types a schema's ``type`` names, ``null`` included."""
    value = schema.get("type")
    if isinstance(value, str):
        return [value]
    return [str(t) for t in value] if isinstance(value, list) else []


def _simple_type(doc: Document, member: Any, file: str) -> str | None:
    """The one type of a member that is nothing but a type, or None."""
    schema, _ = doc.resolve(member, file)
    if not isinstance(schema, dict):
        return None
    named = declared(schema)
    if len(named) != 1 or any(schema.get(k) for k in ("properties", "oneOf", "anyOf", "allOf")):
        return None
    return named[0]


def _member_types(doc: Document, members: Any, file: str) -> tuple[str, ...] | None:
    if not isinstance(members, list) or not members:
        return None
    found = [_simple_type(doc, member, file) for member in members]
    return None if any(t is None for t in found) else tuple(str(t) for t in found)


def type_list(doc: Document, schema: dict[str, Any] | None, file: str) -> TypeList | None:
    """What types ``schema`` accepts when it is written as a plain type or a list of them; None
    for anything more complex (``not``, ``allOf``, properties, members that are not bare types)."""
    if schema is None or "not" in schema or schema.get("allOf") or schema.get("properties"):
        return None
    named = declared(schema)
    if named:
        return TypeList((named[0],), False)
    for keyword in ("oneOf", "anyOf"):
        found = _member_types(doc, schema.get(keyword), file)
        if found:
            return TypeList(found, True)
    return None


def list_of_types(d: DocDiff, sd: SchemaDiff) -> TypesChange | None:
    """The types added to and removed from a list of types at ``sd``, or None when there is
    no such transition there."""
    if not sd.both or not ({"type"} & sd.values or "oneOf" in sd.lists or "anyOf" in sd.lists):
        return None
    before = type_list(d.base, sd.base, sd.base_file)
    after = type_list(d.revision, sd.revision, sd.revision_file)
    if before is None or after is None or not (before.listed or after.listed):
        return None
    if len(before.types) == len(after.types) and set(after.types) <= set(before.types):
        return None
    added = tuple(sorted(set(after.types) - set(before.types)))
    deleted = tuple(sorted(set(before.types) - set(after.types)))
    return TypesChange(added, deleted) if added or deleted else None


def _properties(doc: Document, node: Any, file: str) -> dict[str, Any]:
    schema, _ = doc.resolve(node, file)
    props = schema.get("properties") if isinstance(schema, dict) else None
    return props if isinstance(props, dict) else {}


def _null_member(doc: Document, node: Any, file: str) -> bool:
    schema, _ = doc.resolve(node, file)
    return isinstance(schema, dict) and declared(schema) == ["null"]


def one_of_wrapping(d: DocDiff, sd: SchemaDiff) -> list[str]:
    """The base properties that moved into the ``oneOf`` alternatives the revision wraps the
    schema in (empty when ``sd`` is no such wrapping). A wrapping with a ``null`` alternative
    is a schema made nullable, which the nullability checks report."""
    if not sd.both or "oneOf" not in sd.lists:
        return []
    base, rev = sd.base or {}, sd.revision or {}
    base_props = base.get("properties")
    alternatives = rev.get("oneOf")
    if base.get("oneOf") or not isinstance(base_props, dict) or not base_props:
        return []
    if not isinstance(alternatives, list) or not alternatives or rev.get("properties") or declared(rev):
        return []
    if any(_null_member(d.revision, alt, sd.revision_file) for alt in alternatives):
        return []
    held = [_properties(d.revision, alt, sd.revision_file) for alt in alternatives]
    return sorted(str(name) for name in base_props if any(name in props for props in held))


_LIST_OF_TYPES_REPORTERS = frozenset(
    f"{side}-{place}-list-of-types-{change}"
    for side in ("request", "response")
    for place in ("body", "property")
    for change in ("widened", "narrowed")
)
_WRAPPING_REPORTERS = frozenset(
    {
        "request-body-wrapped-in-one-of",
        "response-body-wrapped-in-one-of",
        "request-property-one-of-added",
        "response-property-one-of-added",
    }
)


def echo(d: DocDiff, sd: SchemaDiff, rule: str) -> bool:
    """Whether a finding under ``rule`` at ``sd`` is an echo of a transition there: a type or
    structure rule at a list-of-types change or a oneOf wrapping, other than the rules that
    report that transition."""
    if RULES[rule].kind not in ("type", "structure"):
        return False
    if rule not in _LIST_OF_TYPES_REPORTERS and list_of_types(d, sd) is not None:
        return True
    return rule not in _WRAPPING_REPORTERS and bool(one_of_wrapping(d, sd))
