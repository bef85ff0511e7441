"""Schema checks on structure: properties added, removed, made required or optional, read-only
or write-only, and members of ``allOf``/``anyOf``/``oneOf`` added or removed."""

from __future__ import annotations

from typing import Any

from .positions import Position, positions
from .registry import Report, check
from .transitions import echo, one_of_wrapping
from .tree import ANNOTATIONS, DocDiff, escape
from .walk import REQUEST, RESPONSE, added_properties, deleted_properties, join, request_bodies, response_bodies


def _required(schema: dict[str, Any] | None) -> set[str]:
    value = (schema or {}).get("required")
    return {str(name) for name in value} if isinstance(value, list) else set()


@check(
    "request-property-removed",
    "new-required-request-property",
    "new-required-request-property-with-default",
    "new-optional-request-property",
)
def request_properties(d: DocDiff, out: Report) -> None:
    for body in request_bodies(d):
        for gone in deleted_properties(d, body.schema, body.location):
            if gone.schema.get("readOnly") is True or gone.name in one_of_wrapping(d, gone.parent):
                continue  # read-only, or moved into the alternatives of a oneOf wrapping
            out.add("request-property-removed", body.op, gone.location, f"request property {gone.full_name} removed")
        for new in added_properties(d, body.schema, body.location):
            if new.schema.get("readOnly") is True:
                continue
            if new.name in _required(new.parent.revision):
                rule = (
                    "new-required-request-property-with-default"
                    if "default" in new.schema
                    else "new-required-request-property"
                )
            else:
                rule = "new-optional-request-property"
            out.add(rule, body.op, new.location, f"request property {new.full_name} added")


@check(
    "response-required-property-removed",
    "response-required-write-only-property-removed",
    "response-required-property-added",
    "response-required-write-only-property-added",
    "response-optional-property-removed",
    "response-optional-write-only-property-removed",
    "response-optional-property-added",
    "response-optional-write-only-property-added",
)
def response_properties(d: DocDiff, out: Report) -> None:
    for body in response_bodies(d):
        for gone in deleted_properties(d, body.schema, body.location):
            if gone.name in one_of_wrapping(d, gone.parent):
                continue  # moved into the alternatives of a oneOf wrapping: not removed
            kind = "required" if gone.name in _required(gone.parent.base) else "optional"
            write_only = "write-only-" if gone.schema.get("writeOnly") is True else ""
            out.add(
                f"response-{kind}-{write_only}property-removed",
                body.op,
                gone.location,
                f"{body.where}: {kind} property {gone.full_name} removed",
            )
        for new in added_properties(d, body.schema, body.location):
            kind = "required" if new.name in _required(new.parent.revision) else "optional"
            write_only = "write-only-" if new.schema.get("writeOnly") is True else ""
            out.add(
                f"response-{kind}-{write_only}property-added",
                body.op,
                new.location,
                f"{body.where}: {kind} property {new.full_name} added",
            )


def _both(pos: Position, name: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """A property's (resolved) schemas in the base and the revision, when it exists in both."""
    b_props, r_props = pos.base.get("properties"), pos.revision.get("properties")
    if not (isinstance(b_props, dict) and isinstance(r_props, dict) and name in b_props and name in r_props):
        return None
    return b_props[name], r_props[name]


@check(
    "request-property-became-required",
    "request-property-became-required-with-default",
    "request-property-became-optional",
    "response-property-became-optional",
    "response-write-only-property-became-optional",
    "response-property-became-required",
    "response-write-only-property-became-required",
)
def requiredness(d: DocDiff, out: Report) -> None:
    for pos in positions(d):
        if "required" not in pos.schema.values:
            continue
        b_req, r_req = _required(pos.base), _required(pos.revision)
        for name in sorted(b_req ^ r_req):
            pair = _both(pos, name)
            if pair is None:
                continue
            schema, _ = d.revision.resolve(pair[1], pos.schema.revision_file)
            schema = schema if isinstance(schema, dict) else {}
            full = join(pos.name, name)
            where = f"{pos.location}/properties/{escape(name)}"
            now = name in r_req
            if pos.side == REQUEST:
                if schema.get("readOnly") is True:
                    continue
                rule = (
                    (
                        "request-property-became-required-with-default"
                        if "default" in schema
                        else "request-property-became-required"
                    )
                    if now
                    else "request-property-became-optional"
                )
            else:
                write_only = "write-only-" if schema.get("writeOnly") is True else ""
                rule = f"response-{write_only}property-became-{'required' if now else 'optional'}"
            out.add(
                rule, pos.op, where, f"{pos.body.where}: property {full} became {'required' if now else 'optional'}"
            )


@check(
    "request-optional-property-became-not-write-only",
    "request-optional-property-became-write-only",
    "request-optional-property-became-read-only",
    "request-optional-property-became-not-read-only",
    "request-required-property-became-not-write-only",
    "request-required-property-became-write-only",
    "request-required-property-became-read-only",
    "request-required-property-became-not-read-only",
    "response-optional-property-became-not-write-only",
    "response-optional-property-became-write-only",
    "response-optional-property-became-read-only",
    "response-optional-property-became-not-read-only",
    "response-required-property-became-not-write-only",
    "response-required-property-became-write-only",
    "response-required-property-became-read-only",
    "response-required-property-became-not-read-only",
)
def read_and_write_only(d: DocDiff, out: Report) -> None:
    for pos in positions(d):
        if pos.is_body or not pos.own_name or not ({"readOnly", "writeOnly"} & pos.schema.values):
            continue
        parent = pos.parent.revision if pos.parent is not None else None
        kind = "required" if pos.own_name in _required(parent) else "optional"
        for keyword, word in (("writeOnly", "write-only"), ("readOnly", "read-only")):
            if keyword not in pos.schema.values:
                continue
            now = pos.revision.get(keyword) is True
            change = f"became-{word}" if now else f"became-not-{word}"
            out.add(
                f"{pos.side}-{kind}-property-{change}",
                pos.op,
                pos.location,
                f"{pos.body.where}: property {pos.name} {change.replace('-', ' ')}",
            )


def _annotation_only(schema: Any) -> bool:
    return isinstance(schema, dict) and "$ref" not in schema and all(key in ANNOTATIONS for key in schema)


@check(
    "request-body-all-of-added",
    "request-body-all-of-removed",
    "request-property-all-of-added",
    "request-property-all-of-removed",
    "request-body-all-of-added-annotation-only",
    "request-body-all-of-removed-annotation-only",
    "request-property-all-of-added-annotation-only",
    "request-property-all-of-removed-annotation-only",
    "request-body-any-of-added",
    "request-body-any-of-removed",
    "request-property-any-of-added",
    "request-property-any-of-removed",
    "request-body-one-of-added",
    "request-body-one-of-removed",
    "request-property-one-of-added",
    "request-property-one-of-removed",
    "response-body-all-of-added",
    "response-body-all-of-removed",
    "response-property-all-of-added",
    "response-property-all-of-removed",
    "response-body-all-of-added-annotation-only",
    "response-body-all-of-removed-annotation-only",
    "response-property-all-of-added-annotation-only",
    "response-property-all-of-removed-annotation-only",
    "response-body-any-of-added",
    "response-body-any-of-removed",
    "response-property-any-of-added",
    "response-property-any-of-removed",
    "response-body-one-of-added",
    "response-body-one-of-removed",
    "response-property-one-of-added",
    "response-property-one-of-removed",
)
def compositions(d: DocDiff, out: Report) -> None:
    for pos in positions(d):
        for keyword, name in (("allOf", "all-of"), ("anyOf", "any-of"), ("oneOf", "one-of")):
            members = pos.schema.list(keyword)
            for change, listed, holder, doc in (
                ("added", members.added, pos.revision, d.revision),
                ("removed", members.deleted, pos.base, d.base),
            ):
                for member in listed:
                    raw = (holder.get(keyword) or [None] * (member.index + 1))[member.index]
                    resolved, _ = doc.resolve(raw)
                    suffix = "-annotation-only" if keyword == "allOf" and _annotation_only(resolved) else ""
                    rule = f"{pos.prefix}-{name}-{change}{suffix}"
                    if echo(d, pos.schema, rule):
                        continue  # a list of types or a oneOf wrapping reports it (checks_jsonschema)
                    out.add(
                        rule,
                        pos.op,
                        f"{pos.location}/{keyword}",
                        f"{pos.described()}: {keyword} member {member.label} {change}",
                    )


__all__ = ["RESPONSE"]
