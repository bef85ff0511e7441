"""The difference between two descriptions as a tree the checks read.

Nothing here judges a change: the tree says what was added, removed or modified (paths,
operations, parameters, bodies, media types, responses, headers, and schemas keyword by
keyword, nested anywhere), and the checks (``checks_*`` modules) decide which rule each change
falls under, from the side of the API it is on. A node exists only where something changed, so
a check that walks the tree sees only changed places.

Schemas are compared after following ``$ref``s; members of ``allOf``/``anyOf``/``oneOf``/
``prefixItems`` are matched the way oasdiff matches them (by ``$ref``, then by being written
the same, then by title, then the one inline member left on each side), and a member that was
moved between inline and ``$ref`` without changing what it accepts is not a change.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from .config import DiffConfig
from .load import Document
from .media import equivalent
from .sunset import in_scope, valid_stability

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
#: Keywords whose value is one schema.
SINGLE = (
    "items",
    "additionalProperties",
    "not",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "if",
    "then",
    "else",
    "contentSchema",
)
#: Keywords whose value is a list of schemas.
LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
#: Keywords whose value maps names to schemas.
MAPS = ("properties", "patternProperties", "dependentSchemas")
#: Keywords that only describe (changing them changes no accepted value).
ANNOTATIONS = frozenset(
    {
        "title",
        "description",
        "example",
        "examples",
        "externalDocs",
        "$comment",
        "deprecated",
        "xml",
        "$id",
        "$anchor",
        "$schema",
        "$defs",
        "definitions",
        "readOnly",
        "writeOnly",
        "default",
    }
)
#: How deep schemas are compared (a bound on work for hostile descriptions).
MAX_DEPTH = 64


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def canonical(node: Any) -> str:
    return json.dumps(node, sort_keys=True, default=str)


def value_changes(before: list[Any], after: list[Any]) -> tuple[list[Any], list[Any]]:
    """(values removed, values added) between two lists of values (an ``enum``, say), each value
    compared as the JSON value it is."""
    b_set, r_set = {canonical(v) for v in before}, {canonical(v) for v in after}
    return [v for v in before if canonical(v) not in r_set], [v for v in after if canonical(v) not in b_set]


def same(a: Any, b: Any) -> bool:
    """Whether two parsed values are the same JSON value (``1`` and ``1.0`` are, ``1`` and
    ``true`` are not); much cheaper than comparing their serialisations."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(value, b[key]) for key, value in a.items())
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def as_schema(node: Any) -> dict[str, Any] | None:
    """A schema as a mapping: ``true`` is the empty schema, ``false`` the schema nothing matches;
    anything else that is not a mapping is no schema."""
    if node is True:
        return {}
    if node is False:
        return {"not": {}}
    return node if isinstance(node, dict) else None


@dataclass
class Member:
    """One member of a list of subschemas, as written: its index and ``$ref`` (if any)."""

    index: int
    ref: str
    title: str

    @property
    def label(self) -> str:
        return self.ref.rpartition("/")[2] if self.ref else (self.title or f"subschema #{self.index + 1}")


@dataclass
class ListDiff:
    added: list[Member] = field(default_factory=list)
    deleted: list[Member] = field(default_factory=list)
    #: (base member, revision member, their difference)
    modified: list[tuple[Member, Member, SchemaDiff]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.deleted or self.modified)


@dataclass
class MapDiff:
    added: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    modified: dict[str, SchemaDiff] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.added or self.deleted or self.modified)


@dataclass
class SchemaDiff:
    """Two schemas that differ. ``base`` or ``revision`` is None when the schema was added or
    removed (then nothing below is filled in)."""

    base: dict[str, Any] | None
    revision: dict[str, Any] | None
    base_file: str = ""
    revision_file: str = ""
    base_raw: Any = None
    revision_raw: Any = None
    #: Keywords other than subschemas whose values differ.
    values: set[str] = field(default_factory=set)
    single: dict[str, SchemaDiff] = field(default_factory=dict)
    lists: dict[str, ListDiff] = field(default_factory=dict)
    maps: dict[str, MapDiff] = field(default_factory=dict)

    @property
    def added(self) -> bool:
        return self.base is None

    @property
    def deleted(self) -> bool:
        return self.revision is None

    @property
    def both(self) -> bool:
        return self.base is not None and self.revision is not None

    def value(self, keyword: str) -> tuple[Any, Any] | None:
        """(before, after) of a keyword whose value changed, or None."""
        if keyword not in self.values:
            return None
        return (self.base or {}).get(keyword), (self.revision or {}).get(keyword)

    @property
    def properties(self) -> MapDiff:
        return self.maps.get("properties") or MapDiff()

    def list(self, keyword: str) -> ListDiff:
        return self.lists.get(keyword) or ListDiff()

    def empty(self) -> bool:
        return self.both and not (self.values or self.single or self.lists or self.maps)


#: How many nodes a member may have once its ``$ref``s are inlined for the inline/``$ref`` refactor
#: match (a member that reuses a component at every level would otherwise grow exponentially).
INLINE_BUDGET = 100_000


class _TooLarge(Exception):
    pass


class SchemaComparer:
    """Builds :class:`SchemaDiff` trees for one pair of documents, remembering pairs already
    compared (shared components are compared once) and stopping at recursion."""

    def __init__(self, base: Document, revision: Document):
        self.base, self.revision = base, revision
        self.memo: dict[tuple[int, int], SchemaDiff | None] = {}
        self.chain: set[tuple[int, int]] = set()

    def resolve(self, doc: Document, node: Any, file: str) -> tuple[dict[str, Any] | None, str]:
        target, target_file = doc.resolve(node, file)
        return as_schema(target), target_file

    def compare(self, b_raw: Any, r_raw: Any, b_file: str = "", r_file: str = "", depth: int = 0) -> SchemaDiff | None:
        b_file, r_file = b_file or self.base.root_path, r_file or self.revision.root_path
        b, b_file = self.resolve(self.base, b_raw, b_file) if b_raw is not None else (None, b_file)
        r, r_file = self.resolve(self.revision, r_raw, r_file) if r_raw is not None else (None, r_file)
        if b is None and r is None:
            return None
        if b is None or r is None:
            return SchemaDiff(b, r, b_file, r_file, b_raw, r_raw)
        key = (id(b), id(r))
        if key in self.memo:
            return self.memo[key]
        if key in self.chain or depth > MAX_DEPTH:
            return None  # recursion: the changes were found the first time round
        self.chain.add(key)
        try:
            result = self._compare(b, r, b_file, r_file, b_raw, r_raw, depth)
        finally:
            self.chain.discard(key)
        self.memo[key] = result
        return result

    def _compare(
        self,
        b: dict[str, Any],
        r: dict[str, Any],
        b_file: str,
        r_file: str,
        b_raw: Any,
        r_raw: Any,
        depth: int,
    ) -> SchemaDiff | None:
        if b is r:
            return None
        d = SchemaDiff(b, r, b_file, r_file, b_raw, r_raw)
        for keyword in set(b) | set(r):
            bv, rv = b.get(keyword), r.get(keyword)
            if keyword in SINGLE and (isinstance(bv, dict) or isinstance(rv, dict)):
                if keyword in ("additionalProperties", "unevaluatedItems", "unevaluatedProperties") and (
                    isinstance(bv, bool) or isinstance(rv, bool)
                ):
                    if bv != rv:
                        d.values.add(keyword)
                    if not (isinstance(bv, dict) and isinstance(rv, dict)):
                        bv = bv if isinstance(bv, dict) else None
                        rv = rv if isinstance(rv, dict) else None
                sub = self.compare(bv, rv, b_file, r_file, depth + 1)
                if sub is not None:
                    d.single[keyword] = sub
            elif keyword in LISTS and (isinstance(bv, list) or isinstance(rv, list)):
                members = self.members(
                    bv if isinstance(bv, list) else [], rv if isinstance(rv, list) else [], b_file, r_file, depth
                )
                if members:
                    d.lists[keyword] = members
            elif keyword in MAPS and (isinstance(bv, dict) or isinstance(rv, dict)):
                named = self.named(
                    bv if isinstance(bv, dict) else {}, rv if isinstance(rv, dict) else {}, b_file, r_file, depth
                )
                if named:
                    d.maps[keyword] = named
            elif keyword == "$ref":
                continue
            elif not same(bv, rv):
                d.values.add(keyword)
        return None if d.empty() else d

    def named(self, b: dict[str, Any], r: dict[str, Any], b_file: str, r_file: str, depth: int) -> MapDiff:
        result = MapDiff()
        for name in b:
            if name not in r:
                result.deleted.append(str(name))
        for name, value in r.items():
            if name not in b:
                result.added.append(str(name))
            else:
                sub = self.compare(b[name], value, b_file, r_file, depth + 1)
                if sub is not None:
                    result.modified[str(name)] = sub
        return result

    # -------------------------------------------------------------- subschema lists

    def _content(self, doc: Document, node: Any, file: str) -> str:
        """A member with every ``$ref`` inlined and annotations left out, as a string: what it
        accepts, whatever way it is written."""

        budget = [INLINE_BUDGET]

        def inline(node: Any, file: str, chain: tuple[int, ...]) -> Any:
            budget[0] -= 1
            if budget[0] < 0:
                raise _TooLarge
            if isinstance(node, dict):
                if isinstance(node.get("$ref"), str):
                    target, target_file = doc.resolve(node, file)
                    if id(target) in chain or len(chain) > MAX_DEPTH:
                        return {"$recursive": len(chain) - chain.index(id(target)) if id(target) in chain else 0}
                    return inline(target, target_file, (*chain, id(target)))
                return {k: inline(v, file, chain) for k, v in node.items() if k not in ANNOTATIONS}
            if isinstance(node, list):
                return [inline(item, file, chain) for item in node]
            return node

        try:
            return canonical(inline(node, file, ()))
        except _TooLarge:
            return f"<too large to compare: {id(node)}>"  # equal to nothing else

    def members(self, base: list[Any], rev: list[Any], b_file: str, r_file: str, depth: int) -> ListDiff:
        result = ListDiff()

        def ref(node: Any) -> str:
            return node["$ref"] if isinstance(node, dict) and isinstance(node.get("$ref"), str) else ""

        def title(doc: Document, node: Any, file: str) -> str:
            target, _ = doc.resolve(node, file)
            return str(target.get("title", "")) if isinstance(target, dict) else ""

        b_members = [Member(i, ref(node), title(self.base, node, b_file)) for i, node in enumerate(base)]
        r_members = [Member(i, ref(node), title(self.revision, node, r_file)) for i, node in enumerate(rev)]
        b_left, r_left = list(b_members), list(r_members)

        def pair(bm: Member, rm: Member) -> None:
            b_left.remove(bm)
            r_left.remove(rm)
            sub = self.compare(base[bm.index], rev[rm.index], b_file, r_file, depth + 1)
            if sub is not None:
                result.modified.append((bm, rm, sub))

        # 1. by $ref
        for bm in [m for m in b_left if m.ref]:
            match = next((rm for rm in r_left if rm.ref == bm.ref), None)
            if match is not None:
                pair(bm, match)
        # 2. inline members written the same
        for bm in [m for m in b_left if not m.ref]:
            text = canonical(base[bm.index])
            match = next((rm for rm in r_left if not rm.ref and canonical(rev[rm.index]) == text), None)
            if match is not None:
                pair(bm, match)
        # 3. inline members with the same title
        for bm in [m for m in b_left if not m.ref and m.title]:
            match = next((rm for rm in r_left if not rm.ref and rm.title == bm.title), None)
            if match is not None:
                pair(bm, match)
        # 4. the one untitled inline member left on each side
        b_plain = [m for m in b_left if not m.ref and not m.title]
        r_plain = [m for m in r_left if not m.ref and not m.title]
        if len(b_plain) == 1 and len(r_plain) == 1:
            pair(b_plain[0], r_plain[0])
        # 5. moved between inline and $ref without changing what it accepts
        for bm in list(b_left):
            content = self._content(self.base, base[bm.index], b_file)
            match = next(
                (
                    rm
                    for rm in r_left
                    if bool(rm.ref) != bool(bm.ref) and self._content(self.revision, rev[rm.index], r_file) == content
                ),
                None,
            )
            if match is not None:
                b_left.remove(bm)
                r_left.remove(match)
        result.deleted, result.added = b_left, r_left
        return result


# ------------------------------------------------------------------ operations


@dataclass
class MediaDiff:
    media: str  # the revision's name
    base: dict[str, Any]
    revision: dict[str, Any]
    schema: SchemaDiff | None
    #: The base's name: another one when a media type was renamed into a refinement of it, or
    #: back (``application/json`` and ``application/problem+json``).
    base_media: str = ""

    def __post_init__(self) -> None:
        self.base_media = self.base_media or self.media


@dataclass
class ContentDiff:
    added: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    modified: dict[str, MediaDiff] = field(default_factory=dict)


@dataclass
class ParameterDiff:
    location: str  # in: path, query, header, cookie
    name: str
    base: dict[str, Any]
    revision: dict[str, Any]
    schema: SchemaDiff | None
    content: ContentDiff


@dataclass
class HeaderDiff:
    name: str
    base: dict[str, Any]
    revision: dict[str, Any]
    schema: SchemaDiff | None


@dataclass
class ResponseDiff:
    status: str
    base: dict[str, Any]
    revision: dict[str, Any]
    content: ContentDiff
    headers_added: list[str] = field(default_factory=list)
    headers_deleted: list[str] = field(default_factory=list)
    headers_modified: dict[str, HeaderDiff] = field(default_factory=dict)


@dataclass
class OperationDiff:
    path: str  # the revision's path (the base's when the path was removed)
    method: str
    base: dict[str, Any]
    revision: dict[str, Any]
    base_item: dict[str, Any]
    revision_item: dict[str, Any]
    base_path: str = ""
    parameters_added: list[tuple[str, str]] = field(default_factory=list)
    parameters_deleted: list[tuple[str, str]] = field(default_factory=list)
    parameters_modified: dict[tuple[str, str], ParameterDiff] = field(default_factory=dict)
    base_parameters: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    revision_parameters: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    base_body: dict[str, Any] | None = None
    revision_body: dict[str, Any] | None = None
    body_content: ContentDiff | None = None
    responses_added: list[str] = field(default_factory=list)
    responses_deleted: list[str] = field(default_factory=list)
    responses_modified: dict[str, ResponseDiff] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @property
    def pointer(self) -> str:
        if self.path.startswith(WEBHOOK):
            return f"#/webhooks/{escape(self.path[len(WEBHOOK) :])}/{self.method}"
        return f"#/paths/{escape(self.path)}/{self.method}"


#: How the operations of a webhook are named among the paths' (``webhook:NAME``), as oasdiff
#: names them so that every operation check applies to webhooks too.
WEBHOOK = "webhook:"


def _items(doc: Document, items: Any, prefix: str = "") -> dict[tuple[str, str], tuple[dict[str, Any], dict[str, Any]]]:
    found = {}
    for path, raw in (items if isinstance(items, dict) else {}).items():
        item, _ = doc.resolve(raw)
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            if isinstance(item.get(method), dict):
                found[(f"{prefix}{path}", method)] = (item[method], item)
    return found


def operations(doc: Document) -> dict[tuple[str, str], tuple[dict[str, Any], dict[str, Any]]]:
    """The operations of the paths, by (path, method)."""
    return _items(doc, doc.data.get("paths"))


def webhook_operations(doc: Document, names: set[str]) -> dict[tuple[str, str], tuple[dict[str, Any], dict[str, Any]]]:
    """The operations of the named webhooks, by (``webhook:NAME``, method)."""
    hooks = doc.data.get("webhooks")
    return _items(doc, {k: v for k, v in hooks.items() if k in names} if isinstance(hooks, dict) else {}, WEBHOOK)


@dataclass
class DocDiff:
    """The whole difference: matched operations, and the two documents for what the checks read
    directly (components, security, tags)."""

    base: Document
    revision: Document
    config: DiffConfig
    comparer: SchemaComparer
    paths_added: list[str] = field(default_factory=list)
    paths_deleted: list[str] = field(default_factory=list)
    #: revision path -> base path, for paths matched with their parameters renamed
    renamed_paths: dict[str, str] = field(default_factory=dict)
    operations_added: list[tuple[str, str]] = field(default_factory=list)
    operations_deleted: list[tuple[str, str]] = field(default_factory=list)
    operations: dict[tuple[str, str], OperationDiff] = field(default_factory=dict)
    #: Every matched and every removed operation, those below the stability threshold included
    #: (``operations`` and ``operations_deleted`` leave them out, as oasdiff does before its
    #: checks run; the stability checks read these).
    all_operations: dict[tuple[str, str], OperationDiff] = field(default_factory=dict)
    all_operations_deleted: list[tuple[str, str]] = field(default_factory=list)
    base_operations: dict[tuple[str, str], tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=dict)
    #: What the walkers found once, for the next check that asks (the tree does not change).
    cache: dict[str, Any] = field(default_factory=dict)
    revision_operations: dict[tuple[str, str], tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=dict)


# ------------------------------------------------------------------ building the tree

_PATH_PARAMETER = re.compile(r"\{([^}/]+)\}")


def _renamed_paths(base_paths: set[str], rev_paths: set[str]) -> dict[str, str]:
    """Revision paths that are a base path with its parameters renamed (``/a/{id}`` and
    ``/a/{itemId}`` are one URL), mapped to that base path; only unambiguous pairs."""

    def by_template(paths: set[str]) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        for path in sorted(paths):
            grouped.setdefault(_PATH_PARAMETER.sub("{}", path), []).append(path)
        return grouped

    gone, new = by_template(base_paths - rev_paths), by_template(rev_paths - base_paths)
    return {
        revs[0]: gone[template][0]
        for template, revs in new.items()
        if len(revs) == 1 and len(gone.get(template, [])) == 1
    }


def parameters(
    doc: Document, op: dict[str, Any], item: dict[str, Any], renamed: dict[str, str] | None = None
) -> dict[tuple[str, str], dict[str, Any]]:
    """An operation's parameters (its path item's, overridden by its own) by (in, name); header
    names are compared in lower case; ``renamed`` gives path parameters the base's names."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for raw in [*(item.get("parameters") or []), *(op.get("parameters") or [])]:
        param, _ = doc.resolve(raw)
        if isinstance(param, dict):
            name = str(param.get("name", ""))
            where = str(param.get("in", ""))
            if renamed and where == "path":
                name = renamed.get(name, name)
            merged[(where, name.lower() if where == "header" else name)] = param
    return merged


def _status(responses: dict[Any, Any]) -> dict[str, Any]:
    return {str(status): value for status, value in responses.items()}


class _Builder:
    def __init__(self, d: DocDiff):
        self.d = d
        self.base, self.rev = d.base, d.revision
        self.schemas = d.comparer

    def content(self, b: Any, r: Any) -> ContentDiff:
        b = b if isinstance(b, dict) else {}
        r = r if isinstance(r, dict) else {}
        result = ContentDiff([str(m) for m in r if m not in b], [str(m) for m in b if m not in r])
        pairs = [(str(media), str(media)) for media in b if media in r]
        for added in list(result.added):  # a media type renamed into a refinement of another, or back
            renamed = next((gone for gone in result.deleted if equivalent(gone, added)), None)
            if renamed is not None:
                result.added.remove(added)
                result.deleted.remove(renamed)
                pairs.append((renamed, added))
        for old, new in pairs:
            b_media = b[old] if isinstance(b[old], dict) else {}
            r_media = r[new] if isinstance(r[new], dict) else {}
            schema = self.schemas.compare(b_media.get("schema"), r_media.get("schema"))
            if schema is not None or old != new or not same(b_media, r_media):
                result.modified[new] = MediaDiff(new, b_media, r_media, schema, old)
        return result

    def operation(self, od: OperationDiff, renamed: dict[str, str] | None) -> None:
        b_params = parameters(self.base, od.base, od.base_item)
        if renamed:  # a name the base already uses for a path parameter is that parameter
            renamed = {new: old for new, old in renamed.items() if ("path", new) not in b_params}
        r_params = parameters(self.rev, od.revision, od.revision_item, renamed)
        od.base_parameters, od.revision_parameters = b_params, r_params
        od.parameters_added = [key for key in r_params if key not in b_params]
        od.parameters_deleted = [key for key in b_params if key not in r_params]
        for key in b_params:
            if key in r_params:
                b, r = b_params[key], r_params[key]
                schema = self.schemas.compare(b.get("schema"), r.get("schema"))
                od.parameters_modified[key] = ParameterDiff(
                    key[0], key[1], b, r, schema, self.content(b.get("content"), r.get("content"))
                )
        b_body, _ = self.base.resolve(od.base.get("requestBody"))
        r_body, _ = self.rev.resolve(od.revision.get("requestBody"))
        od.base_body = b_body if isinstance(b_body, dict) else None
        od.revision_body = r_body if isinstance(r_body, dict) else None
        if od.base_body is not None and od.revision_body is not None:
            od.body_content = self.content(od.base_body.get("content"), od.revision_body.get("content"))
        b_all = _status(od.base.get("responses") or {})
        r_all = _status(od.revision.get("responses") or {})
        od.responses_added = [s for s in r_all if s not in b_all]
        od.responses_deleted = [s for s in b_all if s not in r_all]
        for status in b_all:
            if status not in r_all:
                continue
            b, _ = self.base.resolve(b_all[status])
            r, _ = self.rev.resolve(r_all[status])
            b = b if isinstance(b, dict) else {}
            r = r if isinstance(r, dict) else {}
            rd = ResponseDiff(status, b, r, self.content(b.get("content"), r.get("content")))
            b_headers = {str(k).lower(): v for k, v in (b.get("headers") or {}).items()}
            r_headers = {str(k).lower(): v for k, v in (r.get("headers") or {}).items()}
            rd.headers_added = [h for h in r_headers if h not in b_headers]
            rd.headers_deleted = [h for h in b_headers if h not in r_headers]
            for name, raw in b_headers.items():
                if name in r_headers:
                    bh, _ = self.base.resolve(raw)
                    rh, _ = self.rev.resolve(r_headers[name])
                    bh = bh if isinstance(bh, dict) else {}
                    rh = rh if isinstance(rh, dict) else {}
                    rd.headers_modified[name] = HeaderDiff(
                        name, bh, rh, self.schemas.compare(bh.get("schema"), rh.get("schema"))
                    )
            od.responses_modified[status] = rd

    def run(self) -> None:
        d = self.d
        base_ops, rev_ops = operations(self.base), operations(self.rev)
        b_hooks, r_hooks = self.base.data.get("webhooks"), self.rev.data.get("webhooks")
        if isinstance(b_hooks, dict) and isinstance(r_hooks, dict):
            kept = {str(name) for name in b_hooks if name in r_hooks}  # added and removed ones: the webhook checks
            base_ops.update(webhook_operations(self.base, kept))
            rev_ops.update(webhook_operations(self.rev, kept))
        d.base_operations, d.revision_operations = base_ops, rev_ops
        base_paths = {str(p) for p in (self.base.data.get("paths") or {})}
        rev_paths = {str(p) for p in (self.rev.data.get("paths") or {})}
        d.renamed_paths = _renamed_paths(base_paths, rev_paths)
        to_base = dict(d.renamed_paths)
        mapped_rev = {to_base.get(p, p) for p in rev_paths}
        d.paths_added = sorted(p for p in rev_paths if to_base.get(p, p) not in base_paths)
        d.paths_deleted = sorted(p for p in base_paths if p not in mapped_rev)
        names: dict[str, dict[str, str]] = {}
        for rev_path, base_path in d.renamed_paths.items():
            names[rev_path] = dict(
                zip(_PATH_PARAMETER.findall(rev_path), _PATH_PARAMETER.findall(base_path), strict=True)
            )
        rev_by_base = {(to_base.get(p, p), m): (p, m) for (p, m) in rev_ops}
        for key in base_ops:
            if key not in rev_by_base:
                d.operations_deleted.append(key)
        for base_key, rev_key in rev_by_base.items():
            if base_key not in base_ops:
                d.operations_added.append(rev_key)
                continue
            (b_op, b_item), (r_op, r_item) = base_ops[base_key], rev_ops[rev_key]
            od = OperationDiff(rev_key[0], rev_key[1], b_op, r_op, b_item, r_item, base_path=base_key[0])
            self.operation(od, names.get(rev_key[0]))
            d.operations[rev_key] = od


def _checked(node: dict[str, Any]) -> bool:
    """Whether changes to an operation of this stability are checked (an unreadable level is
    reported by the stability checks and does not take the operation out)."""
    level = valid_stability(node)
    return level is None or in_scope(level)


def build(base: Document, revision: Document, config: DiffConfig | None = None) -> DocDiff:
    d = DocDiff(base, revision, config or DiffConfig(), SchemaComparer(base, revision))
    _Builder(d).run()
    d.all_operations, d.all_operations_deleted = dict(d.operations), list(d.operations_deleted)
    d.operations = {key: op for key, op in d.operations.items() if _checked(op.revision)}
    d.operations_deleted = [  # a removed operation whose level cannot be read is not checked either
        key
        for key in d.operations_deleted
        if valid_stability(d.base_operations[key][0]) is not None and _checked(d.base_operations[key][0])
    ]
    return d
