"""Walking the tree: the request and response bodies that changed, and every changed, added
or removed property under a schema (nested in properties, items, compositions and the other
subschema keywords), with its path (``items/name``, ``allOf[Pet]/age``) and its pointer."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .tree import DocDiff, OperationDiff, SchemaDiff, escape

REQUEST, RESPONSE = "request", "response"


@dataclass(frozen=True)
class Body:
    """One media type of a request body or a response whose schema changed, present on both sides."""

    op: OperationDiff
    side: str  # request or response
    status: str  # "" for a request body
    media: str
    schema: SchemaDiff
    location: str

    @property
    def prefix(self) -> str:
        return f"{self.side}-body"

    @property
    def where(self) -> str:
        return "request body" if self.side == REQUEST else f"response {self.status} body"


@dataclass(frozen=True)
class Property:
    """A schema under a body's schema that changed (both sides present)."""

    path: str  # the path of the schema holding it ("" at the top)
    name: str  # its property name ("" for items, a composition member, ...)
    schema: SchemaDiff
    parent: SchemaDiff
    location: str

    @property
    def full_name(self) -> str:
        return join(self.path, self.name) if self.name else self.path


@dataclass(frozen=True)
class Named:
    """A property added (``schema`` from the revision) or removed (from the base)."""

    path: str
    name: str
    schema: dict[str, Any]
    parent: SchemaDiff
    location: str

    @property
    def full_name(self) -> str:
        return join(self.path, self.name)


def join(path: str, segment: str) -> str:
    return f"{path}/{segment}" if path else segment


def request_bodies(d: DocDiff) -> Iterator[Body]:
    for op in d.operations.values():
        if op.body_content is None:
            continue
        for media, md in op.body_content.modified.items():
            if md.schema is not None and md.schema.both:
                yield Body(
                    op, REQUEST, "", media, md.schema, f"{op.pointer}/requestBody/content/{escape(media)}/schema"
                )


def response_bodies(d: DocDiff) -> Iterator[Body]:
    for op in d.operations.values():
        for status, rd in op.responses_modified.items():
            for media, md in rd.content.modified.items():
                if md.schema is not None and md.schema.both:
                    yield Body(
                        op,
                        RESPONSE,
                        status,
                        media,
                        md.schema,
                        f"{op.pointer}/responses/{escape(status)}/content/{escape(media)}/schema",
                    )


def bodies(d: DocDiff) -> Iterator[Body]:
    yield from request_bodies(d)
    yield from response_bodies(d)


def _children(schema: SchemaDiff, path: str, location: str) -> Iterator[tuple[str, str, str, SchemaDiff]]:
    """(path, property name, pointer, diff) of every changed schema directly under ``schema``,
    in the order oasdiff walks them."""
    for keyword in ("allOf", "anyOf", "oneOf"):
        for _, rm, sub in schema.list(keyword).modified:
            yield join(path, f"{keyword}[{rm.label}]"), "", f"{location}/{keyword}/{rm.index}", sub
    if "items" in schema.single:
        yield join(path, "items"), "", f"{location}/items", schema.single["items"]
    for name, sub in schema.properties.modified.items():
        yield path, name, f"{location}/properties/{escape(name)}", sub
    if "additionalProperties" in schema.single:
        yield (
            join(path, "additionalProperties"),
            "",
            f"{location}/additionalProperties",
            schema.single["additionalProperties"],
        )
    for _, rm, sub in schema.list("prefixItems").modified:
        yield join(path, f"prefixItems[{rm.index}]"), "", f"{location}/prefixItems/{rm.index}", sub
    for keyword in (
        "contains",
        "propertyNames",
        "unevaluatedItems",
        "unevaluatedProperties",
        "if",
        "then",
        "else",
        "not",
        "contentSchema",
    ):
        if keyword in schema.single:
            yield join(path, keyword), "", f"{location}/{keyword}", schema.single[keyword]
    for keyword in ("patternProperties", "dependentSchemas"):
        named = schema.maps.get(keyword)
        if named:
            for name, sub in named.modified.items():
                yield join(path, f"{keyword}[{name}]"), "", f"{location}/{keyword}/{escape(name)}", sub


#: How many schemas one walk visits along every path that leads to them; past it, a schema shared
#: by several paths is visited only at the first (a description that reuses a component twice at
#: every level would otherwise take time exponential in its depth).
WALK_BUDGET = 10_000


class _Visits:
    def __init__(self) -> None:
        self.count = 0
        self.seen: set[int] = set()

    def enter(self, node: SchemaDiff) -> bool:
        self.count += 1
        first = id(node) not in self.seen
        self.seen.add(id(node))
        return first or self.count <= WALK_BUDGET


def properties(schema: SchemaDiff, location: str, path: str = "", visits: _Visits | None = None) -> Iterator[Property]:
    """Every changed schema under ``schema`` (not ``schema`` itself) present on both sides."""
    visits = visits or _Visits()
    for child_path, name, pointer, sub in _children(schema, path, location):
        if sub.both and visits.enter(sub):
            yield Property(child_path, name, sub, schema, pointer)
            yield from properties(sub, pointer, join(child_path, name) if name else child_path, visits)


def _named(
    d: DocDiff, schema: SchemaDiff, location: str, path: str, added: bool, visits: _Visits | None = None
) -> Iterator[Named]:
    visits = visits or _Visits()
    if schema.both:
        doc, holder = (d.revision, schema.revision) if added else (d.base, schema.base)
        file = schema.revision_file if added else schema.base_file
        for name in schema.properties.added if added else schema.properties.deleted:
            value, _ = doc.resolve(((holder or {}).get("properties") or {}).get(name), file)
            where = f"{location}/properties/{escape(name)}"
            yield Named(path, name, value if isinstance(value, dict) else {}, schema, where)
    for child_path, name, pointer, sub in _children(schema, path, location):
        if sub.both and visits.enter(sub):
            yield from _named(d, sub, pointer, join(child_path, name) if name else child_path, added, visits)


def added_properties(d: DocDiff, schema: SchemaDiff, location: str) -> Iterator[Named]:
    """Every property added under ``schema``, its schema resolved (from the revision)."""
    return _named(d, schema, location, "", True)


def deleted_properties(d: DocDiff, schema: SchemaDiff, location: str) -> Iterator[Named]:
    """Every property removed under ``schema``, its schema resolved (from the base)."""
    return _named(d, schema, location, "", False)
