"""Schema checks on values: numeric bounds, lengths, item counts, enums, patterns, defaults,
types and formats, and null, on request and response bodies and every property under them.

In requests a tighter constraint breaks clients that send what used to be accepted; in
responses a looser one breaks clients that relied on it. A request property the revision marks
``readOnly`` and a response property it marks ``writeOnly`` are not sent that way, so the checks
oasdiff gives a variant report them apart (or not at all); the others report them as usual.
"""

from __future__ import annotations

from typing import Any

from .positions import Position, positions
from .registry import Report, check
from .transitions import declared, echo
from .tree import DocDiff, value_changes
from .walk import REQUEST, RESPONSE


def _number(value: Any) -> float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _changed(pos: Position, keyword: str) -> tuple[Any, Any] | None:
    found = pos.schema.value(keyword)
    if found is None:
        return None
    before, after = (_number(v) if keyword not in ("pattern",) else v for v in found)
    return None if before == after else (before, after)


def _skip(pos: Position) -> bool:
    """Property checks pass over request properties that are read-only and response
    properties that are write-only."""
    if pos.is_body:
        return False
    return pos.read_only() if pos.side == REQUEST else pos.write_only()


# ------------------------------------------------------------------ numeric bounds


def _exclusive(schema: dict[str, Any], keyword: str) -> float | None:
    """The numeric value of ``exclusiveMaximum``/``exclusiveMinimum`` (3.1), or the bound it makes
    exclusive in the 3.0 boolean form."""
    value = schema.get(keyword)
    if value is True:
        return _number(schema.get("maximum" if keyword == "exclusiveMaximum" else "minimum"))
    return _number(value)


@check(
    "request-body-max-decreased",
    "request-body-max-increased",
    "request-property-max-decreased",
    "request-read-only-property-max-decreased",
    "request-property-max-increased",
    "request-body-exclusive-max-decreased",
    "request-body-exclusive-max-increased",
    "request-property-exclusive-max-decreased",
    "request-read-only-property-exclusive-max-decreased",
    "request-property-exclusive-max-increased",
    "request-body-min-increased",
    "request-body-min-decreased",
    "request-property-min-increased",
    "request-read-only-property-min-increased",
    "request-property-min-decreased",
    "request-body-exclusive-min-increased",
    "request-body-exclusive-min-decreased",
    "request-property-exclusive-min-increased",
    "request-read-only-property-exclusive-min-increased",
    "request-property-exclusive-min-decreased",
    "request-body-max-set",
    "request-property-max-set",
    "request-body-exclusive-max-set",
    "request-property-exclusive-max-set",
    "request-body-min-set",
    "request-property-min-set",
    "request-body-exclusive-min-set",
    "request-property-exclusive-min-set",
    "response-body-max-increased",
    "response-property-max-increased",
    "response-body-exclusive-max-increased",
    "response-property-exclusive-max-increased",
    "response-body-min-decreased",
    "response-property-min-decreased",
    "response-body-exclusive-min-decreased",
    "response-property-exclusive-min-decreased",
)
def numeric_bounds(d: DocDiff, out: Report) -> None:
    for pos in positions(d):
        for keyword, name, upper in (
            ("maximum", "max", True),
            ("exclusiveMaximum", "exclusive-max", True),
            ("minimum", "min", False),
            ("exclusiveMinimum", "exclusive-min", False),
        ):
            if keyword.startswith("exclusive"):
                flags = isinstance(pos.base.get(keyword), bool) or isinstance(pos.revision.get(keyword), bool)
                if flags and keyword not in pos.schema.values:
                    continue  # the 3.0 form: only a change of the flag itself changes the exclusive bound
                bv, rv = _exclusive(pos.base, keyword), _exclusive(pos.revision, keyword)
                if bv == rv:
                    continue
            else:
                found = _changed(pos, keyword)
                if found is None:
                    continue
                bv, rv = found
            _bound(pos, out, name, bv, rv, upper)


def _bound(pos: Position, out: Report, name: str, bv: float | None, rv: float | None, upper: bool) -> None:
    what = f"{pos.described()}: {name.replace('-', ' ')} {bv} -> {rv}"
    if pos.side == REQUEST:
        if bv is None and rv is not None:
            if not _skip(pos):
                out.add(f"{pos.prefix}-{name}-set", pos.op, pos.location, what)
            return
        if bv is None or rv is None:
            return
        tighter = rv < bv if upper else rv > bv
        direction = ("decreased" if upper else "increased") if tighter else ("increased" if upper else "decreased")
        rule = f"{pos.prefix}-{name}-{direction}"
        if tighter and not pos.is_body and pos.read_only():
            rule = f"request-read-only-property-{name}-{direction}"
        out.add(rule, pos.op, pos.location, what)
        return
    if bv is None or rv is None or _skip(pos):
        return
    if upper and rv > bv:
        out.add(f"{pos.prefix}-{name}-increased", pos.op, pos.location, what)
    elif not upper and rv < bv:
        out.add(f"{pos.prefix}-{name}-decreased", pos.op, pos.location, what)


# ------------------------------------------------------------------ lengths and item counts


@check(
    "request-body-max-length-decreased",
    "request-body-max-length-increased",
    "request-property-max-length-decreased",
    "request-read-only-property-max-length-decreased",
    "request-property-max-length-increased",
    "request-body-max-length-set",
    "request-property-max-length-set",
    "request-body-min-length-increased",
    "request-body-min-length-decreased",
    "request-property-min-length-increased",
    "request-property-min-length-decreased",
    "request-body-min-items-increased",
    "request-property-min-items-increased",
    "request-body-min-items-set",
    "request-property-min-items-set",
    "response-body-max-length-increased",
    "response-property-max-length-increased",
    "response-body-max-length-unset",
    "response-property-max-length-unset",
    "response-body-min-length-decreased",
    "response-property-min-length-decreased",
    "response-body-min-items-decreased",
    "response-property-min-items-decreased",
    "response-body-min-items-unset",
    "response-property-min-items-unset",
)
def lengths_and_counts(d: DocDiff, out: Report) -> None:
    for pos in positions(d):
        for keyword, name in (("maxLength", "max-length"), ("minLength", "min-length"), ("minItems", "min-items")):
            found = _changed(pos, keyword)
            if found is None:
                continue
            bv, rv = found
            what = f"{pos.described()}: {keyword} {bv} -> {rv}"
            upper = keyword.startswith("max")
            if pos.side == REQUEST:
                if bv is None and rv is not None:
                    if name != "min-length" and not _skip(pos):
                        out.add(f"{pos.prefix}-{name}-set", pos.op, pos.location, what)
                    continue
                if bv is None or rv is None:
                    continue
                tighter = rv < bv if upper else rv > bv
                direction = (
                    ("decreased" if upper else "increased") if tighter else ("increased" if upper else "decreased")
                )
                if name == "min-items" and (not tighter or _skip(pos)):
                    continue
                if tighter and name == "max-length" and not pos.is_body and pos.read_only():
                    out.add(f"request-read-only-property-{name}-{direction}", pos.op, pos.location, what)
                else:
                    out.add(f"{pos.prefix}-{name}-{direction}", pos.op, pos.location, what)
                continue
            if _skip(pos):
                continue
            if bv is not None and rv is None and name in ("max-length", "min-items"):
                out.add(f"{pos.prefix}-{name}-unset", pos.op, pos.location, what)
            elif bv is not None and rv is not None and (rv > bv if upper else rv < bv):
                out.add(f"{pos.prefix}-{name}-{'increased' if upper else 'decreased'}", pos.op, pos.location, what)


# ------------------------------------------------------------------ enums


def _enum(schema: dict[str, Any]) -> list[Any] | None:
    value = schema.get("enum")
    return value if isinstance(value, list) else None


@check(
    "request-body-became-enum",
    "request-property-became-enum",
    "request-body-enum-value-removed",
    "request-property-enum-value-removed",
    "request-read-only-property-enum-value-removed",
    "request-property-enum-value-added",
    "response-property-enum-value-added",
    "response-write-only-property-enum-value-added",
    "response-property-enum-value-removed",
    "response-mediatype-enum-value-removed",
)
def enums(d: DocDiff, out: Report) -> None:
    for pos in positions(d):
        if "enum" not in pos.schema.values:
            continue
        b, r = _enum(pos.base), _enum(pos.revision)
        removed, added = value_changes(b or [], r or [])
        if pos.side == REQUEST:
            if b is None and r is not None:
                out.add(f"{pos.prefix}-became-enum", pos.op, pos.location, f"{pos.described()}: restricted to {r}")
            for value in removed:
                rule = (
                    "request-body-enum-value-removed"
                    if pos.is_body
                    else "request-read-only-property-enum-value-removed"
                    if pos.read_only()
                    else "request-property-enum-value-removed"
                )
                out.add(rule, pos.op, pos.location, f"{pos.described()}: enum value {value!r} removed")
            if not pos.is_body:
                for value in added:
                    out.add(
                        "request-property-enum-value-added",
                        pos.op,
                        pos.location,
                        f"{pos.described()}: enum value {value!r} added",
                    )
            continue
        for value in added:
            if pos.is_body:
                continue
            rule = (
                "response-write-only-property-enum-value-added"
                if pos.write_only()
                else ("response-property-enum-value-added")
            )
            out.add(rule, pos.op, pos.location, f"{pos.described()}: enum value {value!r} added")
        for value in removed:
            rule = "response-mediatype-enum-value-removed" if pos.is_body else "response-property-enum-value-removed"
            out.add(rule, pos.op, pos.location, f"{pos.described()}: enum value {value!r} removed")


# ------------------------------------------------------------------ patterns and defaults


@check(
    "request-property-pattern-added",
    "request-property-pattern-removed",
    "request-property-pattern-changed",
    "request-property-pattern-generalized",
    "response-property-pattern-added",
    "response-property-pattern-changed",
    "response-property-pattern-removed",
)
def patterns(d: DocDiff, out: Report) -> None:
    for pos in positions(d):
        found = pos.schema.value("pattern")
        if found is None or pos.is_body:
            continue
        bp, rp = found
        change = "added" if not bp else "removed" if not rp else "changed"
        if change == "changed" and pos.side == REQUEST and rp == ".*":
            change = "generalized"
        out.add(f"{pos.prefix}-pattern-{change}", pos.op, pos.location, f"{pos.described()}: pattern {bp!r} -> {rp!r}")


@check(
    "request-body-default-value-added",
    "request-body-default-value-removed",
    "request-body-default-value-changed",
    "request-property-default-value-added",
    "request-property-default-value-removed",
    "request-property-default-value-changed",
    "response-body-default-value-added",
    "response-body-default-value-removed",
    "response-body-default-value-changed",
    "response-property-default-value-added",
    "response-property-default-value-removed",
    "response-property-default-value-changed",
)
def defaults(d: DocDiff, out: Report) -> None:
    for pos in positions(d):
        found = pos.schema.value("default")
        if found is None:
            continue
        bv, rv = ("default" in pos.base, "default" in pos.revision)
        change = "added" if not bv else "removed" if not rv else "changed"
        out.add(
            f"{pos.prefix}-default-value-{change}",
            pos.op,
            pos.location,
            f"{pos.described()}: default {pos.base.get('default')!r} -> {pos.revision.get('default')!r}",
        )


# ------------------------------------------------------------------ types, formats and null


def types(schema: dict[str, Any]) -> list[str]:
    """The types a schema's ``type`` names, ``null`` left out (that is nullability)."""
    return [t for t in declared(schema) if t != "null"]


def type_format(schema: dict[str, Any]) -> str:
    """``integer/int32``, ``string``, ``number|string``, ``any`` or just a format, for messages."""
    shown = "|".join(types(schema)) or "any"
    form = schema.get("format")
    if not form:
        return shown
    return str(form) if shown == "any" else f"{shown}/{form}"


def nullable(schema: dict[str, Any]) -> bool:
    """Whether null is allowed: the 3.0 ``nullable`` keyword, or ``null`` among the types."""
    return schema.get("nullable") is True or "null" in declared(schema)


def _subtype(sub: str, sup: str) -> bool:
    return sub == sup or (sub == "integer" and sup == "number")


def _covered(sub: list[str], sup: list[str]) -> bool:
    return bool(sub) and all(any(_subtype(t, s) for s in sup) for t in sub)


def type_set_widened(base: dict[str, Any], rev: dict[str, Any]) -> bool:
    """Every type of ``base`` is one of ``rev``'s (integer within number): the values may now be of more types."""
    return _covered(types(base), types(rev))


#: Formats whose values all belong to a wider format of the same type: (type, from, to).
_FORMAT_WIDENINGS = {
    ("number", "float", "double"),
    ("integer", "int32", "int64"),
    ("integer", "int32", "bigint"),
    ("integer", "int64", "bigint"),
    ("string", "date", "date-time"),
    ("string", "time", "date-time"),
}


def format_contained(to_types: list[str], before: Any, after: Any) -> bool:
    """Every value of format ``before`` is one of format ``after`` (no format accepts all)."""
    if not after:
        return True
    if len(to_types) != 1:
        return False
    return (to_types[0], before, after) in _FORMAT_WIDENINGS


def type_contained(added: list[str], deleted: list[str], strongly: bool) -> bool:
    if len(added) == 1 and len(deleted) == 1 and _subtype(deleted[0], added[0]):
        return True
    if not strongly:
        return not added or added == ["string"]
    return False


def _strongly_typed(media: str) -> bool:
    return media == "application/json" or media.endswith("+json")


def type_change(base: dict[str, Any], rev: dict[str, Any], media: str, *, request: bool) -> str | None:
    """``changed`` (breaking), ``generalized``, ``specialized`` or ``compatible`` (a swap a loosely
    typed media type tolerates), or None when neither type nor format changed."""
    b_types, r_types = types(base), types(rev)
    type_changed = sorted(b_types) != sorted(r_types)
    format_changed = base.get("format") != rev.get("format")
    if not type_changed and not format_changed:
        return None
    strongly = _strongly_typed(media)
    sender, receiver = (b_types, r_types) if request else (r_types, b_types)
    s_format, r_format = (base.get("format"), rev.get("format")) if request else (rev.get("format"), base.get("format"))
    widened = type_changed and _covered(sender, receiver)
    check_types = type_changed and not widened
    if check_types and not receiver:
        breaking = False
    else:
        added = [t for t in receiver if t not in sender]
        deleted = [t for t in sender if t not in receiver]
        type_breaking = check_types and not type_contained(added, deleted, strongly)
        format_breaking = format_changed and not format_contained(receiver, s_format, r_format)
        breaking = type_breaking or format_breaking
    if breaking:
        return "changed"
    if type_changed and b_types and r_types and not widened:
        return "compatible"
    return "generalized" if request else "specialized"


@check(
    "request-body-type-generalized",
    "request-body-type-compatible",
    "request-body-type-changed",
    "request-property-type-generalized",
    "request-property-type-compatible",
    "request-property-type-changed",
    "response-body-type-changed",
    "response-body-type-generalized",
    "response-body-type-specialized",
    "response-body-type-compatible",
    "response-property-type-changed",
    "response-property-type-generalized",
    "response-property-type-specialized",
    "response-property-type-compatible",
)
def type_and_format(d: DocDiff, out: Report) -> None:
    for pos in positions(d):
        if not ({"type", "format"} & pos.schema.values) or (pos.side == REQUEST and _skip(pos)):
            continue
        change = type_change(pos.base, pos.revision, pos.body.media, request=pos.side == REQUEST)
        if change is None or echo(d, pos.schema, f"{pos.prefix}-type-changed"):
            continue  # a list of types or a oneOf wrapping reports it (checks_jsonschema)
        if pos.side == RESPONSE and change == "changed" and type_set_widened(pos.base, pos.revision):
            change = "generalized"  # a response that may now carry more types breaks its readers
        if pos.side == REQUEST and change == "specialized":
            change = "changed"
        what = f"{pos.described()}: type {type_format(pos.base)} -> {type_format(pos.revision)}"
        out.add(f"{pos.prefix}-type-{change}", pos.op, pos.location, what)


@check(
    "request-body-became-not-nullable",
    "request-body-became-nullable",
    "request-property-became-not-nullable",
    "request-property-became-nullable",
    "response-property-became-nullable",
    "response-body-became-nullable",
    "response-property-became-not-nullable",
    "response-body-became-not-nullable",
)
def nullability(d: DocDiff, out: Report) -> None:
    for pos in positions(d):
        if not ({"type", "nullable"} & pos.schema.values):
            continue
        before, after = nullable(pos.base), nullable(pos.revision)
        if before == after:
            continue
        change = "became-nullable" if after else "became-not-nullable"
        out.add(
            f"{pos.prefix}-{change}",
            pos.op,
            pos.location,
            f"{pos.described()}: null {'now' if after else 'no longer'} allowed",
        )
