"""Schema checks on the JSON Schema 2020-12 keywords OpenAPI 3.1 brought (``if``/``then``/
``else``, ``dependentRequired``, ``dependentSchemas``, ``const``, ``prefixItems``,
``contains``, ``patternProperties``, ``propertyNames``, ``unevaluated*``, ``content*``), on
discriminators, on lists of types, on ``x-extensible-enum``, and on a body wrapped in a
``oneOf``.

Like oasdiff, these report on request and response bodies and on every property under them
present on both sides; a subschema keyword is reported when its schema appears or disappears
(a change inside it is reported where it happened, by the check of what changed). Where a
schema is a list-of-types change or a ``oneOf`` wrapping (:mod:`.transitions`), the other
structural findings there are echoes of it and are left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .positions import Position, positions
from .registry import Report, check
from .transitions import echo, list_of_types, one_of_wrapping
from .tree import DocDiff, value_changes
from .walk import REQUEST, RESPONSE


def _emit(d: DocDiff, pos: Position, out: Report, rule: str, message: str, location: str = "") -> None:
    """Report ``rule`` at ``pos`` unless it is a structural echo of a transition there."""
    if echo(d, pos.schema, rule):
        return
    out.add(rule, pos.op, location or pos.location, f"{pos.described()}: {message}")


def _ids(stem: str, *changes: str) -> list[str]:
    """Every rule id ``{side}-{body|property}-{stem}-{change}``."""
    return [
        f"{side}-{place}-{stem}-{change}"
        for side in (REQUEST, RESPONSE)
        for place in ("body", "property")
        for change in changes
    ]


def _subschema(d: DocDiff, out: Report, keyword: str, stem: str) -> None:
    """``{prefix}-{stem}-added``/``-removed`` wherever the schema under ``keyword`` appeared or
    disappeared."""
    for pos in positions(d):
        sub = pos.schema.single.get(keyword)
        if sub is None or sub.both:
            continue
        change = "added" if sub.added else "removed"
        _emit(d, pos, out, f"{pos.prefix}-{stem}-{change}", f"{keyword} {change}", f"{pos.location}/{keyword}")


# ------------------------------------------------------------------ subschemas appearing or disappearing


@check(*_ids("if", "added", "removed"), *_ids("then", "added", "removed"), *_ids("else", "added", "removed"))
def conditionals(d: DocDiff, out: Report) -> None:
    for keyword in ("if", "then", "else"):
        _subschema(d, out, keyword, keyword)


@check(
    *_ids("contains", "added", "removed"),
    *_ids("min-contains", "increased", "decreased"),
    *_ids("max-contains", "increased", "decreased"),
)
def contains(d: DocDiff, out: Report) -> None:
    _subschema(d, out, "contains", "contains")
    for pos in positions(d):
        for keyword, stem in (("minContains", "min-contains"), ("maxContains", "max-contains")):
            found = pos.schema.value(keyword)
            if found is None:
                continue
            before, after = (_count(v) for v in found)
            if before is None or after is None or before == after:
                continue
            change = "increased" if after > before else "decreased"
            _emit(d, pos, out, f"{pos.prefix}-{stem}-{change}", f"{keyword} {before} -> {after}")


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@check(*_ids("property-names", "added", "removed"))
def property_names(d: DocDiff, out: Report) -> None:
    _subschema(d, out, "propertyNames", "property-names")


@check(*_ids("unevaluated-items", "added", "removed"), *_ids("unevaluated-properties", "added", "removed"))
def unevaluated(d: DocDiff, out: Report) -> None:
    _subschema(d, out, "unevaluatedItems", "unevaluated-items")
    _subschema(d, out, "unevaluatedProperties", "unevaluated-properties")


@check(
    *_ids("content-schema", "added", "removed"),
    *_ids("content-media-type", "changed"),
    *_ids("content-encoding", "changed"),
)
def content(d: DocDiff, out: Report) -> None:
    _subschema(d, out, "contentSchema", "content-schema")
    for pos in positions(d):
        for keyword, stem in (("contentMediaType", "content-media-type"), ("contentEncoding", "content-encoding")):
            found = pos.schema.value(keyword)
            if found is not None:
                _emit(d, pos, out, f"{pos.prefix}-{stem}-changed", f"{keyword} {found[0]!r} -> {found[1]!r}")


# ------------------------------------------------------------------ named and listed subschemas


@check(*_ids("pattern-property", "added", "removed"))
def pattern_properties(d: DocDiff, out: Report) -> None:
    _named(d, out, "patternProperties", "pattern-property", "pattern property")


@check(*_ids("dependent-schema", "added", "removed"))
def dependent_schemas(d: DocDiff, out: Report) -> None:
    _named(d, out, "dependentSchemas", "dependent-schema", "dependent schema")


def _named(d: DocDiff, out: Report, keyword: str, stem: str, what: str) -> None:
    for pos in positions(d):
        named = pos.schema.maps.get(keyword)
        if not named:
            continue
        for change, names in (("added", named.added), ("removed", named.deleted)):
            for name in names:
                _emit(
                    d,
                    pos,
                    out,
                    f"{pos.prefix}-{stem}-{change}",
                    f"{what} {name!r} {change}",
                    f"{pos.location}/{keyword}",
                )


@check(*_ids("prefix-items", "added", "removed"))
def prefix_items(d: DocDiff, out: Report) -> None:
    for pos in positions(d):
        members = pos.schema.list("prefixItems")
        for change, listed in (("added", members.added), ("removed", members.deleted)):
            if listed:
                labels = ", ".join(f"#{m.index}" for m in listed)
                _emit(
                    d,
                    pos,
                    out,
                    f"{pos.prefix}-prefix-items-{change}",
                    f"prefixItems {labels} {change}",
                    f"{pos.location}/prefixItems",
                )


# ------------------------------------------------------------------ values


def _dependent_required(schema: dict[str, Any]) -> dict[str, list[str]]:
    value = schema.get("dependentRequired")
    if not isinstance(value, dict):
        return {}
    return {str(k): [str(n) for n in v] if isinstance(v, list) else [] for k, v in value.items()}


@check(*_ids("dependent-required", "added", "removed", "changed"))
def dependent_required(d: DocDiff, out: Report) -> None:
    for pos in positions(d):
        if "dependentRequired" not in pos.schema.values:
            continue
        before, after = _dependent_required(pos.base), _dependent_required(pos.revision)
        where = f"{pos.location}/dependentRequired"
        for key, names in after.items():
            if key not in before:
                message = f"dependentRequired {key!r} -> {', '.join(names)} added"
                _emit(d, pos, out, f"{pos.prefix}-dependent-required-added", message, where)
                continue
            added = [n for n in names if n not in before[key]]
            removed = [n for n in before[key] if n not in names]
            if added or removed:
                parts = [f"{', '.join(added)} added"] if added else []
                parts += [f"{', '.join(removed)} removed"] if removed else []
                message = f"dependentRequired {key!r}: {', '.join(parts)}"
                _emit(d, pos, out, f"{pos.prefix}-dependent-required-changed", message, where)
        for key, names in before.items():
            if key not in after:
                message = f"dependentRequired {key!r} -> {', '.join(names)} removed"
                _emit(d, pos, out, f"{pos.prefix}-dependent-required-removed", message, where)


@check(*_ids("const", "added", "removed", "changed"))
def const(d: DocDiff, out: Report) -> None:
    for pos in positions(d):
        if "const" not in pos.schema.values:
            continue
        before, after = pos.base.get("const"), pos.revision.get("const")
        if before is None and after is None:
            continue  # (oasdiff cannot tell ``const: null`` from no const)
        change = "added" if before is None else "removed" if after is None else "changed"
        _emit(d, pos, out, f"{pos.prefix}-const-{change}", f"const {before!r} -> {after!r}")


@check("request-property-x-extensible-enum-value-removed")
def extensible_enum(d: DocDiff, out: Report) -> None:
    for pos in positions(d, REQUEST):
        if pos.is_body or "x-extensible-enum" not in pos.schema.values or pos.read_only():
            continue
        before, after = pos.base.get("x-extensible-enum"), pos.revision.get("x-extensible-enum")
        if not (isinstance(before, list) and isinstance(after, list)):
            continue
        for value in value_changes(before, after)[0]:
            what = f"x-extensible-enum value {value!r} removed"
            _emit(d, pos, out, "request-property-x-extensible-enum-value-removed", what)


# ------------------------------------------------------------------ discriminators


def _discriminator(schema: dict[str, Any]) -> dict[str, Any] | None:
    value = schema.get("discriminator")
    return value if isinstance(value, dict) else None


def _mapping(discriminator: dict[str, Any]) -> dict[str, str]:
    value = discriminator.get("mapping")
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def _discriminator_changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> Iterator[tuple[str, str]]:
    """(change, message) of every difference between two discriminators."""
    if before is None and after is None:
        return
    if before is None or after is None:
        yield ("added" if before is None else "removed"), f"discriminator {'added' if before is None else 'removed'}"
        return
    if before.get("propertyName") != after.get("propertyName"):
        yield (
            "property-name-changed",
            f"discriminator property {before.get('propertyName')!r} -> {after.get('propertyName')!r}",
        )
    b_map, r_map = _mapping(before), _mapping(after)
    added = sorted(k for k in r_map if k not in b_map)
    deleted = sorted(k for k in b_map if k not in r_map)
    if added:
        yield "mapping-added", f"discriminator mapping {', '.join(added)} added"
    if deleted:
        yield "mapping-deleted", f"discriminator mapping {', '.join(deleted)} removed"
    for key in sorted(k for k in b_map if k in r_map and b_map[k] != r_map[k]):
        yield "mapping-changed", f"discriminator mapping {key!r}: {b_map[key]!r} -> {r_map[key]!r}"


@check(
    *_ids("discriminator", "added", "removed", "property-name-changed"),
    *_ids("discriminator-mapping", "added", "deleted", "changed"),
)
def discriminators(d: DocDiff, out: Report) -> None:
    for pos in positions(d):
        if "discriminator" not in pos.schema.values:
            continue
        for change, message in _discriminator_changes(_discriminator(pos.base), _discriminator(pos.revision)):
            _emit(d, pos, out, f"{pos.prefix}-discriminator-{change}", message, f"{pos.location}/discriminator")


# ------------------------------------------------------------------ transitions


@check(*_ids("list-of-types", "widened", "narrowed"))
def lists_of_types(d: DocDiff, out: Report) -> None:
    for pos in positions(d):
        if pos.side == REQUEST and not pos.is_body and pos.read_only():
            continue
        found = list_of_types(d, pos.schema)
        if found is None:
            continue
        if pos.side == REQUEST:
            change, types = ("narrowed", found.deleted) if found.deleted else ("widened", found.added)
        else:
            change, types = ("widened", found.added) if found.added else ("narrowed", found.deleted)
        _emit(
            d,
            pos,
            out,
            f"{pos.prefix}-list-of-types-{change}",
            f"types {', '.join(types)} {'added' if change == 'widened' else 'removed'}",
        )


@check("request-body-wrapped-in-one-of", "response-body-wrapped-in-one-of")
def wrapped_in_one_of(d: DocDiff, out: Report) -> None:
    for pos in positions(d):
        if pos.is_body and one_of_wrapping(d, pos.schema):
            _emit(d, pos, out, f"{pos.side}-body-wrapped-in-one-of", "wrapped in a oneOf of its alternatives")
