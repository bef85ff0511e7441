"""Checks on request parameters: parameters added (to an operation or to its whole path), and
the schema of a parameter that changed, with the schemas under it (the properties of an
object-valued parameter, its items, ...): bounds, lengths, item counts, enums, patterns,
defaults, types and null; the header-parameter property rules; and response media types
renamed to a more general or a more specific name.

A parameter is what a client sends, so a tighter constraint breaks it and a looser one does
not. A parameter's own value travels as text (in a URL, a header or a cookie), so its type
changes are judged as loosely typed ones; how an object-valued parameter is serialized is not
known, so a change to one of its properties that is breaking only when strongly typed is a
warning.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .checks_serialization import explode, style
from .checks_values import format_contained, type_contained, type_format, types
from .media import media_contained, media_parts
from .registry import Report, check
from .transitions import declared, list_of_types
from .tree import (
    ANNOTATIONS,
    DocDiff,
    OperationDiff,
    ParameterDiff,
    SchemaDiff,
    escape,
    parameters,
    value_changes,
)
from .walk import added_properties, join, properties

# ------------------------------------------------------------------ where a changed schema is


@dataclass(frozen=True)
class Place:
    """A parameter's schema that changed, or a changed schema under it (both sides present)."""

    op: OperationDiff
    param: ParameterDiff
    schema: SchemaDiff
    name: str  # the property's full name ("" for the parameter's own schema)
    location: str

    @property
    def own(self) -> bool:
        return not self.name

    @property
    def base(self) -> dict[str, Any]:
        return self.schema.base or {}

    @property
    def revision(self) -> dict[str, Any]:
        return self.schema.revision or {}

    def described(self) -> str:
        what = f"{self.param.location} parameter {self.param.name}"
        return f"{what}: {self.name}" if self.name else what


def _parameter_pointer(op: OperationDiff, where: str, name: str) -> str:
    return f"{op.pointer}/parameters/{escape(where)}.{escape(name)}"


def parameter_schemas(d: DocDiff) -> Iterator[tuple[OperationDiff, ParameterDiff, SchemaDiff, str]]:
    """Every parameter of a matched operation whose schema changed (present on both sides)."""
    for op in d.operations.values():
        for (where, name), pd in op.parameters_modified.items():
            if pd.schema is not None and pd.schema.both:
                yield op, pd, pd.schema, f"{_parameter_pointer(op, where, name)}/schema"


def own_places(d: DocDiff) -> Iterator[Place]:
    for op, pd, schema, location in parameter_schemas(d):
        yield Place(op, pd, schema, "", location)


def property_places(d: DocDiff) -> Iterator[Place]:
    """Every changed schema under a parameter's schema, named the way oasdiff names it."""
    for op, pd, schema, location in parameter_schemas(d):
        for prop in properties(schema, location):
            yield Place(op, pd, prop.schema, prop.full_name, prop.location)


def _number(value: Any) -> float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _numbers(schema: SchemaDiff, keyword: str) -> tuple[float | None, float | None] | None:
    """(before, after) of a numeric keyword that changed, or None."""
    found = schema.value(keyword)
    if found is None:
        return None
    before, after = _number(found[0]), _number(found[1])
    return None if before == after else (before, after)


def _exclusive_numbers(schema: SchemaDiff, keyword: str) -> tuple[float | None, float | None] | None:
    """(before, after) of ``exclusiveMaximum``/``exclusiveMinimum`` when it changed: its number
    (3.1), or in the 3.0 boolean form the bound it makes exclusive (None when false)."""
    if keyword not in schema.values:
        return None
    bound = "maximum" if keyword == "exclusiveMaximum" else "minimum"

    def value(side: dict[str, Any]) -> float | None:
        raw = side.get(keyword)
        return _number(side.get(bound)) if raw is True else _number(raw)

    before, after = value(schema.base or {}), value(schema.revision or {})
    return None if before == after else (before, after)


# ------------------------------------------------------------------ parameters added


def _required(param: dict[str, Any]) -> bool:
    return param.get("in") == "path" or param.get("required") is True


def _from_path_item(d: DocDiff, op: OperationDiff, key: tuple[str, str]) -> bool:
    """The revision's parameter ``key`` of ``op`` is written on its path item, which the
    operation does not override (the path item is in the base too: ``op`` is matched)."""
    if key in parameters(d.revision, op.revision, {}):
        return False
    return key in parameters(d.revision, {}, op.revision_item)


@check(
    "new-required-request-parameter",
    "new-optional-request-parameter",
    "new-request-path-parameter",
    "new-required-request-default-parameter-to-existing-path",
    "new-optional-request-default-parameter-to-existing-path",
)
def parameters_added(d: DocDiff, out: Report) -> None:
    """A parameter an operation now has. oasdiff tells one written on the operation from one
    written on its path item (a default for every operation there); a path parameter is
    reported as such wherever it is written."""
    for op in d.operations.values():
        for key in op.parameters_added:
            where, name = key
            param = op.revision_parameters[key]
            needed = "required" if _required(param) else "optional"
            if where == "path":
                rule = "new-request-path-parameter"
            elif _from_path_item(d, op, key):
                rule = f"new-{needed}-request-default-parameter-to-existing-path"
            else:
                rule = f"new-{needed}-request-parameter"
            written = str(param.get("name", name))
            out.add(rule, op, _parameter_pointer(op, where, name), f"{needed} {where} parameter {written} added")


@check("request-parameter-became-required", "request-parameter-became-optional")
def parameters_requiredness(d: DocDiff, out: Report) -> None:
    for op in d.operations.values():
        for (where, name), pd in op.parameters_modified.items():
            before, after = _required(pd.base), _required(pd.revision)
            if before != after:
                out.add(
                    "request-parameter-became-required" if after else "request-parameter-became-optional",
                    op,
                    _parameter_pointer(op, where, name),
                    f"{where} parameter {name} became {'required' if after else 'optional'}",
                )


# ------------------------------------------------------------------ enums


def _enum(schema: dict[str, Any]) -> list[Any] | None:
    value = schema.get("enum")
    return value if isinstance(value, list) else None


def _became_enum(place: Place) -> bool:
    return "enum" in place.schema.values and _enum(place.base) is None and bool(_enum(place.revision))


@check("request-parameter-became-enum")
def parameters_became_enum(d: DocDiff, out: Report) -> None:
    for place in own_places(d):
        if _became_enum(place):
            values = _enum(place.revision)
            out.add("request-parameter-became-enum", place.op, place.location, f"{place.described()}: now {values}")


@check(
    "request-parameter-enum-value-added",
    "request-parameter-enum-value-removed",
    "request-parameter-property-enum-value-added",
    "request-parameter-property-enum-value-removed",
)
def parameter_enum_values(d: DocDiff, out: Report) -> None:
    for place in [*own_places(d), *property_places(d)]:
        if "enum" not in place.schema.values:
            continue
        before, after = _enum(place.base) or [], _enum(place.revision) or []
        prefix = "request-parameter" if place.own else "request-parameter-property"
        removed, added = value_changes(before, after)
        for value in removed:
            what = f"{place.described()}: enum value {value!r} removed"
            out.add(f"{prefix}-enum-value-removed", place.op, place.location, what)
        for value in added:
            what = f"{place.described()}: enum value {value!r} added"
            out.add(f"{prefix}-enum-value-added", place.op, place.location, what)


@check("request-parameter-x-extensible-enum-value-removed")
def parameter_extensible_enums(d: DocDiff, out: Report) -> None:
    for place in own_places(d):
        found = place.schema.value("x-extensible-enum")
        if found is None or not all(isinstance(v, list) for v in found):
            continue
        for value in value_changes(*found)[0]:
            what = f"{place.described()}: x-extensible-enum value {value!r} removed"
            out.add("request-parameter-x-extensible-enum-value-removed", place.op, place.location, what)


# ------------------------------------------------------------------ bounds, lengths, item counts


def _updated(out: Report, place: Place, what: str, change: tuple[float | None, float | None]) -> None:
    """``-set`` when the bound is new, ``-increased``/``-decreased`` when it moved; nothing when
    it was removed. ``what`` is the rule's middle (``max``, ``exclusive-min``...)."""
    before, after = change
    message = f"{place.described()}: {what.replace('-', ' ')} {before} -> {after}"
    if before is None and after is not None:
        out.add(f"request-parameter-{what}-set", place.op, place.location, message)
    elif before is not None and after is not None:
        direction = "increased" if after > before else "decreased"
        out.add(f"request-parameter-{what}-{direction}", place.op, place.location, message)


@check(
    "request-parameter-max-set",
    "request-parameter-max-increased",
    "request-parameter-max-decreased",
    "request-parameter-exclusive-max-set",
    "request-parameter-exclusive-max-increased",
    "request-parameter-exclusive-max-decreased",
    "request-parameter-min-set",
    "request-parameter-min-increased",
    "request-parameter-min-decreased",
    "request-parameter-exclusive-min-set",
    "request-parameter-exclusive-min-increased",
    "request-parameter-exclusive-min-decreased",
)
def parameter_bounds(d: DocDiff, out: Report) -> None:
    for place in own_places(d):
        for keyword, what in (("maximum", "max"), ("minimum", "min")):
            change = _numbers(place.schema, keyword)
            if change is not None:
                _updated(out, place, what, change)
        for keyword, what in (("exclusiveMaximum", "exclusive-max"), ("exclusiveMinimum", "exclusive-min")):
            change = _exclusive_numbers(place.schema, keyword)
            if change is not None:
                _updated(out, place, what, change)


@check(
    "request-parameter-max-length-set",
    "request-parameter-max-length-increased",
    "request-parameter-max-length-decreased",
    "request-parameter-min-length-increased",
    "request-parameter-min-length-decreased",
    "request-parameter-min-items-set",
    "request-parameter-min-items-increased",
    "request-parameter-min-items-decreased",
)
def parameter_lengths(d: DocDiff, out: Report) -> None:
    for place in own_places(d):
        for keyword, what in (("maxLength", "max-length"), ("minLength", "min-length"), ("minItems", "min-items")):
            change = _numbers(place.schema, keyword)
            if change is None or (what == "min-length" and change[0] is None):
                continue  # oasdiff has no rule for a minimum length set
            _updated(out, place, what, change)


@check("request-parameter-max-items-increased", "request-parameter-max-items-decreased")
def parameter_max_items(d: DocDiff, out: Report) -> None:
    """``maxItems`` of an array parameter, or (when the parameter's own did not change) of its
    items, as oasdiff reads it; a limit set or removed is not reported."""
    for place in own_places(d):
        change = _numbers(place.schema, "maxItems")
        location = place.location
        items = place.schema.single.get("items")
        if "maxItems" not in place.schema.values and items is not None and items.both:
            change, location = _numbers(items, "maxItems"), f"{place.location}/items"
        before, after = change or (None, None)
        if before is None or after is None:
            continue
        out.add(
            f"request-parameter-max-items-{'increased' if after > before else 'decreased'}",
            place.op,
            location,
            f"{place.described()}: maxItems {before} -> {after}",
        )


# ------------------------------------------------------------------ patterns and defaults


@check(
    "request-parameter-pattern-added",
    "request-parameter-pattern-removed",
    "request-parameter-pattern-changed",
    "request-parameter-pattern-generalized",
)
def parameter_patterns(d: DocDiff, out: Report) -> None:
    for place in own_places(d):
        found = place.schema.value("pattern")
        if found is None:
            continue
        before, after = (v if isinstance(v, str) else "" for v in found)
        if before == after:
            continue
        change = "added" if not before else "removed" if not after else "generalized" if after == ".*" else "changed"
        out.add(
            f"request-parameter-pattern-{change}",
            place.op,
            place.location,
            f"{place.described()}: pattern {before!r} -> {after!r}",
        )


@check(
    "request-parameter-default-value-added",
    "request-parameter-default-value-removed",
    "request-parameter-default-value-changed",
)
def parameter_defaults(d: DocDiff, out: Report) -> None:
    """The default of an optional parameter (a required one is always sent, its default unused)."""
    for place in own_places(d):
        if place.param.base.get("required") is True or place.param.revision.get("required") is True:
            continue
        if "default" not in place.schema.values:
            continue
        had, has = "default" in place.base, "default" in place.revision
        change = "added" if not had else "removed" if not has else "changed"
        out.add(
            f"request-parameter-default-value-{change}",
            place.op,
            place.location,
            f"{place.described()}: default {place.base.get('default')!r} -> {place.revision.get('default')!r}",
        )


# ------------------------------------------------------------------ null


def nullability(schema: SchemaDiff) -> str | None:
    """``became-nullable``, ``became-not-nullable`` or None, the way oasdiff reads it: the 3.0
    ``nullable`` keyword when it changed, else ``null`` added to a type list that constrained
    the value before or removed from one that still constrains it."""
    base, rev = schema.base or {}, schema.revision or {}
    if "nullable" in schema.values:
        if base.get("nullable") is True:
            return "became-not-nullable"
        return "became-nullable" if rev.get("nullable") is True else None
    if "type" not in schema.values:
        return None
    before, after = declared(base), declared(rev)
    if "null" in before and "null" not in after and after:
        return "became-not-nullable"
    if "null" in after and "null" not in before and before:
        return "became-nullable"
    return None


@check(
    "request-parameter-became-nullable",
    "request-parameter-became-not-nullable",
    "request-parameter-property-became-nullable",
    "request-parameter-property-became-not-nullable",
)
def parameter_nullability(d: DocDiff, out: Report) -> None:
    for place in [*own_places(d), *property_places(d)]:
        change = nullability(place.schema)
        if change is not None:
            prefix = "request-parameter" if place.own else "request-parameter-property"
            out.add(f"{prefix}-{change}", place.op, place.location, f"{place.described()}: {change.replace('-', ' ')}")


# ------------------------------------------------------------------ types and formats


def type_breaking(base: dict[str, Any], rev: dict[str, Any], strongly: bool) -> bool:
    """A type or format change that rejects some value the base accepted (``null`` left out:
    that is nullability)."""
    before, after = types(base), types(rev)
    added = [t for t in after if t not in before]
    deleted = [t for t in before if t not in after]
    type_changed = bool(added or deleted) and not type_contained(added, deleted, strongly)
    format_changed = base.get("format") != rev.get("format") and not format_contained(
        after, base.get("format"), rev.get("format")
    )
    return type_changed or format_changed


def _type_or_format_changed(place: Place) -> bool:
    return sorted(types(place.base)) != sorted(types(place.revision)) or place.base.get("format") != place.revision.get(
        "format"
    )


def _form_exploded(param: dict[str, Any]) -> bool:
    """The parameter is serialized ``style: form, explode: true`` (the default in query and
    cookie), so one value is also a one-element array."""
    return style(param) == "form" and explode(param)


def _scalar_to_form_array(d: DocDiff, place: Place) -> bool:
    """The parameter went from scalar to an array whose items accept every value it used to
    take, and sending one value is sending such an array (form, exploded)."""
    before, after = types(place.base), types(place.revision)
    if not before or "array" in before or [t for t in after if t not in before] != ["array"]:
        return False
    if not _form_exploded(place.param.revision):
        return False
    items_raw = place.revision.get("items")
    items, items_file = d.revision.resolve(items_raw, place.schema.revision_file)
    if not isinstance(items, dict) or not type_contained(types(items), before, False):
        return False

    def constraints(doc: Any, schema: dict[str, Any], file: str) -> str:
        kept = {k: v for k, v in schema.items() if k not in ("type", "nullable") and k not in ANNOTATIONS}
        return d.comparer._content(doc, kept, file)  # what it accepts, $refs inlined

    return constraints(d.base, place.base, place.schema.base_file) == constraints(d.revision, items, items_file)


@check(
    "request-parameter-type-changed",
    "request-parameter-type-generalized",
    "request-parameter-property-type-changed",
    "request-parameter-property-type-generalized",
    "request-parameter-property-type-specialized",
)
def parameter_types(d: DocDiff, out: Report) -> None:
    for place in own_places(d):
        if not _type_or_format_changed(place):
            continue
        breaking = type_breaking(place.base, place.revision, strongly=False)
        change = "changed" if breaking and not _scalar_to_form_array(d, place) else "generalized"
        out.add(f"request-parameter-type-{change}", place.op, place.location, _type_message(place))
    for place in property_places(d):
        if not _type_or_format_changed(place):
            continue
        strongly = type_breaking(place.base, place.revision, strongly=True)
        loosely = type_breaking(place.base, place.revision, strongly=False)
        change = "changed" if strongly != loosely else "specialized" if strongly else "generalized"
        out.add(f"request-parameter-property-type-{change}", place.op, place.location, _type_message(place))


def _type_message(place: Place) -> str:
    return f"{place.described()}: type {type_format(place.base)} -> {type_format(place.revision)}"


@check(
    "request-parameter-list-of-types-widened",
    "request-parameter-list-of-types-narrowed",
    "request-parameter-property-list-of-types-widened",
    "request-parameter-property-list-of-types-narrowed",
)
def parameter_lists_of_types(d: DocDiff, out: Report) -> None:
    for place in [*own_places(d), *property_places(d)]:
        found = list_of_types(d, place.schema)
        if found is None:
            continue
        added, deleted = found.added, found.deleted
        prefix = "request-parameter" if place.own else "request-parameter-property"
        if deleted:
            message = f"{place.described()}: no longer takes {', '.join(deleted)}"
            out.add(f"{prefix}-list-of-types-narrowed", place.op, place.location, message)
        else:
            message = f"{place.described()}: now also takes {', '.join(added)}"
            out.add(f"{prefix}-list-of-types-widened", place.op, place.location, message)


# ------------------------------------------------------------------ header parameters


def _header_schemas(d: DocDiff) -> Iterator[tuple[OperationDiff, ParameterDiff, SchemaDiff, str]]:
    for op, pd, schema, location in parameter_schemas(d):
        if pd.location == "header":
            yield op, pd, schema, location


@check("request-header-property-became-enum")
def header_properties_became_enum(d: DocDiff, out: Report) -> None:
    for op, pd, schema, location in _header_schemas(d):
        places = [Place(op, pd, schema, "", location)]
        places += [Place(op, pd, p.schema, p.full_name, p.location) for p in properties(schema, location)]
        for place in places:
            if _became_enum(place):
                out.add(
                    "request-header-property-became-enum",
                    op,
                    place.location,
                    f"{place.described()}: now {_enum(place.revision)}",
                )


def _property(d: DocDiff, schema: SchemaDiff, name: str, base: bool) -> dict[str, Any] | None:
    holder = (schema.base if base else schema.revision) or {}
    raw = (holder.get("properties") or {}).get(name) if isinstance(holder.get("properties"), dict) else None
    if raw is None:
        return None
    doc, file = (d.base, schema.base_file) if base else (d.revision, schema.revision_file)
    found, _ = doc.resolve(raw, file)
    return found if isinstance(found, dict) else {}


def _required_names(schema: dict[str, Any] | None) -> list[str]:
    found = (schema or {}).get("required")
    return [str(n) for n in found] if isinstance(found, list) else []


@check("request-header-property-became-required")
def header_properties_became_required(d: DocDiff, out: Report) -> None:
    """A property of an object-valued header that is now required (one new on this side is
    ``new-required-request-header-property``); read-only properties are not sent."""
    for op, pd, schema, location in _header_schemas(d):
        nested = [(p.schema, p.full_name, p.location, False) for p in properties(schema, location)]
        for sd, path, at, own in [(schema, "", location, True), *nested]:
            if "required" not in sd.values:
                continue
            before = _required_names(sd.base)
            for name in _required_names(sd.revision):
                if name in before:
                    continue
                prop = _property(d, sd, name, base=False)
                if prop is None or prop.get("readOnly") is True:
                    continue
                if own and _property(d, sd, name, base=True) is None:
                    continue
                full = join(path, name)
                out.add(
                    "request-header-property-became-required",
                    op,
                    f"{at}/properties/{escape(name)}",
                    f"header parameter {pd.name}: property {full} became required",
                )


@check("new-required-request-header-property")
def header_properties_added(d: DocDiff, out: Report) -> None:
    for op, pd, schema, location in _header_schemas(d):
        for added in added_properties(d, schema, location):
            if added.schema.get("readOnly") is True:
                continue
            if added.name not in _required_names(added.parent.revision):
                continue
            out.add(
                "new-required-request-header-property",
                op,
                added.location,
                f"header parameter {pd.name}: required property {added.full_name} added",
            )


# ------------------------------------------------------------------ response media type names


@check(
    "response-media-type-name-changed",
    "response-media-type-name-generalized",
    "response-media-type-name-specialized",
)
def response_media_type_names(d: DocDiff, out: Report) -> None:
    """A response media type removed and one added that oasdiff pairs with it (one contains the
    other): its parameters changed, or it was made more specific (a client reading the old one
    still reads it) or more general (breaking)."""
    for op in d.operations.values():
        for status, rd in op.responses_modified.items():
            for new, md in rd.content.modified.items():
                old = md.base_media
                if old == new:
                    continue
                old_parts, new_parts = media_parts(old), media_parts(new)
                if old_parts is not None and new_parts is not None and old_parts[3] != new_parts[3]:
                    change = "changed"
                else:
                    change = "specialized" if media_contained(old, new) else "generalized"
                out.add(
                    f"response-media-type-name-{change}",
                    op,
                    f"{op.pointer}/responses/{escape(status)}/content/{escape(new)}",
                    f"response {status}: media type {old} -> {new}",
                )
