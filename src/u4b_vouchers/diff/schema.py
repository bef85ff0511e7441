"""Comparing two schemas, judged from the side that sends the data (requests) or receives it
(responses): the same change is breaking on one side and harmless on the other."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .findings import Finding
from .load import Document

MAX_DEPTH = 40
Emit = Callable[[str, str, str], None]  # (rule id, location, message)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


#: Formats that accept every value of another format of the same type.
_WIDER_FORMATS = {("integer", "int64"): {"int32"}, ("number", "double"): {"float"}}


def _covers(general: str, specific: str) -> bool:
    """Whether every value of ``specific`` (``type`` or ``type/format``) is one of ``general``:
    a type without a format covers it with any format, ``number`` covers ``integer``, ``int64``
    covers ``int32`` and ``double`` covers ``float``."""
    g_type, _, g_format = general.partition("/")
    s_type, _, s_format = specific.partition("/")
    if general == specific or (g_type == s_type and not g_format):
        return True
    if g_type == "number" and not g_format and s_type == "integer":
        return True
    return g_type == s_type and s_format in _WIDER_FORMATS.get((g_type, g_format), set())


def _accepts_all(general: set[str], specific: set[str]) -> bool:
    return all(any(_covers(g, s) for g in general) for s in specific)


def _canonical(node: Any) -> str:
    return json.dumps(node, sort_keys=True, default=str)


@dataclass
class SchemaDiff:
    base_doc: Document
    rev_doc: Document
    emit: Emit
    request: bool
    seen: set[tuple[int, int]] = field(default_factory=set)

    # -------------------------------------------------------------- helpers

    def _form(self, doc: Document, node: Any, file: str) -> str:
        """``node`` with every ``$ref`` inlined, as a string: members of ``allOf``, ``anyOf``
        and ``oneOf`` are matched by what they say, not by where it is written (moving a schema
        to another file or renaming a component changes no member). A reference back into a
        schema being inlined is written as its distance up the chain."""

        def inline(node: Any, file: str, chain: tuple[int, ...]) -> Any:
            if isinstance(node, dict):
                if isinstance(node.get("$ref"), str):
                    target, target_file = doc.resolve(node, file)
                    if id(target) in chain:
                        return {"$recursive": len(chain) - chain.index(id(target))}
                    return inline(target, target_file, (*chain, id(target)))
                return {key: inline(value, file, chain) for key, value in node.items()}
            if isinstance(node, list):
                return [inline(item, file, chain) for item in node]
            return node

        return _canonical(inline(node, file, ()))

    def _members(self, base: list[Any], rev: list[Any], b_file: str, r_file: str) -> tuple[int, int]:
        """How many members of a composition were removed and added. Members written the same
        way are the same member (a change inside one is reported where it is, not as a member
        swapped); of the rest, those that say the same once ``$ref``s are inlined were moved
        or renamed, not changed."""
        if not base and not rev:
            return 0, 0  # by far the most common case: keep it cheap
        b_raw, r_raw = Counter(map(_canonical, base)), Counter(map(_canonical, rev))
        if b_raw == r_raw:
            return 0, 0
        b_left = [m for m in base if (b_raw - r_raw)[_canonical(m)]]
        r_left = [m for m in rev if (r_raw - b_raw)[_canonical(m)]]
        b_forms = Counter(self._form(self.base_doc, m, b_file) for m in b_left)
        r_forms = Counter(self._form(self.rev_doc, m, r_file) for m in r_left)
        return (b_forms - r_forms).total(), (r_forms - b_forms).total()

    def _flat(self, doc: Document, schema: Any, file: str) -> tuple[dict[str, Any], list[Any], str, int]:
        """The schema with ``$ref`` followed and plain ``allOf`` members folded in; also the
        conditional (``if``) members, kept apart, and the identity of the schema object the
        refs led to (the same object each time a recursive schema comes round again)."""
        resolved, file = doc.resolve(schema, file)
        if not isinstance(resolved, dict):
            return {}, [], file, id(resolved)
        flat = {k: v for k, v in resolved.items() if k != "allOf"}
        conditionals: list[Any] = []
        for member in resolved.get("allOf") or []:
            member_resolved, _ = doc.resolve(member, file)
            if isinstance(member_resolved, dict) and "if" in member_resolved:
                conditionals.append(member_resolved)
                continue
            inner, inner_conditionals, _, _ = self._flat(doc, member, file)
            conditionals += inner_conditionals
            for key, value in inner.items():
                if key == "properties":
                    flat["properties"] = {**value, **flat.get("properties", {})}
                elif key == "required":
                    flat["required"] = sorted({*value, *flat.get("required", [])})
                else:
                    flat.setdefault(key, value)
        return flat, conditionals, file, id(resolved)

    @staticmethod
    def _types(schema: dict[str, Any]) -> tuple[set[str], bool]:
        declared = schema.get("type")
        types = set(declared) if isinstance(declared, list) else ({declared} if isinstance(declared, str) else set())
        nullable = "null" in types or schema.get("nullable") is True
        if "format" in schema:
            types = {f"{t}/{schema['format']}" if t != "null" else t for t in types}
        return types - {"null"}, nullable

    # -------------------------------------------------------------- the comparison

    def compare(
        self,
        base: Any,
        rev: Any,
        *,
        side: str,
        where: str,
        location: str,
        base_file: str = "",
        rev_file: str = "",
        depth: int = 0,
    ) -> None:
        """``side`` is request-body, request-property, request-parameter, response-body or
        response-property; ``where`` names the value in messages."""
        if depth > MAX_DEPTH:
            return
        base_at, rev_at = base_file or self.base_doc.root_path, rev_file or self.rev_doc.root_path
        b, b_cond, base_file, b_id = self._flat(self.base_doc, base, base_at)
        r, r_cond, rev_file, r_id = self._flat(self.rev_doc, rev, rev_at)
        key = (b_id, r_id)
        if key in self.seen:
            return  # a recursive schema: its changes were reported the first time round
        self.seen.add(key)
        try:
            self._all_of(base, rev, side, where, location, base_at, rev_at)
            self._scalars(b, r, side, where, location)
            self._composition(b, r, side, where, location, base_file, rev_file)
            if self.request:
                self._conditionals(b_cond, r_cond, where, location, base_file, rev_file)
            self._properties(b, r, side, where, location, base_file, rev_file, depth)
            if "items" in b and "items" in r:
                self.compare(
                    b["items"],
                    r["items"],
                    side=side.replace("-body", "-property"),
                    where=f"{where}[]",
                    location=f"{location}/items",
                    base_file=base_file,
                    rev_file=rev_file,
                    depth=depth + 1,
                )
        finally:
            self.seen.discard(key)

    def _scalars(self, b: dict[str, Any], r: dict[str, Any], side: str, where: str, location: str) -> None:
        emit = self.emit
        b_types, b_null = self._types(b)
        r_types, r_null = self._types(r)
        if b_types and r_types and b_types != r_types:
            wider, narrower = _accepts_all(r_types, b_types), _accepts_all(b_types, r_types)
            change = (
                "type-generalized"
                if wider and not narrower
                else "type-narrowed"
                if narrower and not wider
                else "type-changed"
            )
            emit(
                f"{side}-{change}",
                location,
                f"{where}: type/format {'|'.join(sorted(b_types))} -> {'|'.join(sorted(r_types))}",
            )
        if b_null != r_null:
            emit(
                f"{side}-{'became-nullable' if r_null else 'became-not-nullable'}",
                location,
                f"{where}: null {'now' if r_null else 'no longer'} allowed",
            )
        b_enum = b.get("enum", [b["const"]] if "const" in b else None)
        r_enum = r.get("enum", [r["const"]] if "const" in r else None)
        if b_enum is None and r_enum is not None:
            emit(f"{side}-enum-added", location, f"{where}: restricted to {r_enum}")
        elif b_enum is not None and r_enum is None:
            emit(f"{side}-enum-removed", location, f"{where}: no longer restricted to {b_enum}")
        elif b_enum is not None and r_enum is not None:
            b_set, r_set = {_canonical(v) for v in b_enum}, {_canonical(v) for v in r_enum}
            for value in sorted(b_set - r_set):
                emit(f"{side}-enum-value-removed", location, f"{where}: enum value {value} removed")
            for value in sorted(r_set - b_set):
                emit(f"{side}-enum-value-added", location, f"{where}: enum value {value} added")
        self._bound(b, r, side, where, location, ("maximum", "exclusiveMaximum"), "max", upper=True)
        self._bound(b, r, side, where, location, ("minimum", "exclusiveMinimum"), "min", upper=False)
        for keyword, name, upper in (
            ("maxLength", "max-length", True),
            ("minLength", "min-length", False),
            ("maxItems", "max-items", True),
            ("minItems", "min-items", False),
        ):
            bv, rv = b.get(keyword), r.get(keyword)
            if bv == rv:
                continue
            tighter = rv is not None and (bv is None or (rv < bv if upper else rv > bv))
            direction = ("decreased" if upper else "increased") if tighter else ("increased" if upper else "decreased")
            emit(f"{side}-{name}-{direction}", location, f"{where}: {keyword} {bv} -> {rv}")
        bp, rp = b.get("pattern"), r.get("pattern")
        if bp != rp:
            change = "pattern-added" if bp is None else "pattern-removed" if rp is None else "pattern-changed"
            emit(f"{side}-{change}", location, f"{where}: pattern {bp!r} -> {rp!r}")

    def _bound(
        self,
        b: dict[str, Any],
        r: dict[str, Any],
        side: str,
        where: str,
        location: str,
        keywords: tuple[str, str],
        name: str,
        *,
        upper: bool,
    ) -> None:
        def value(schema: dict[str, Any]) -> float | None:
            found = [
                schema[k]
                for k in keywords
                if isinstance(schema.get(k), int | float) and not isinstance(schema.get(k), bool)
            ]
            return (min(found) if upper else max(found)) if found else None

        bv, rv = value(b), value(r)
        if bv == rv:
            return
        if bv is None:
            change = f"{name}-set"
        elif rv is None:
            change = f"{name}-unset"
        elif upper:
            change = "max-decreased" if rv < bv else "max-increased"
        else:
            change = "min-increased" if rv > bv else "min-decreased"
        self.emit(f"{side}-{change}", location, f"{where}: {'maximum' if upper else 'minimum'} {bv} -> {rv}")

    def _composition(
        self, b: dict[str, Any], r: dict[str, Any], side: str, where: str, location: str, b_file: str, r_file: str
    ) -> None:
        for keyword, name in (("anyOf", "any-of"), ("oneOf", "one-of")):
            removed, added = self._members(b.get(keyword) or [], r.get(keyword) or [], b_file, r_file)
            for _ in range(removed):
                self.emit(
                    f"{side}-{name}-removed", f"{location}/{keyword}", f"{where}: a {keyword} alternative was removed"
                )
            for _ in range(added):
                self.emit(
                    f"{side}-{name}-added", f"{location}/{keyword}", f"{where}: a {keyword} alternative was added"
                )

    def _all_of(self, base: Any, rev: Any, side: str, where: str, location: str, base_file: str, rev_file: str) -> None:
        b_raw, b_file = self.base_doc.resolve(base, base_file)
        r_raw, r_file = self.rev_doc.resolve(rev, rev_file)
        b_members, r_members = (
            [m for m in (raw.get("allOf") or []) if not (isinstance(m, dict) and "if" in m)]
            if isinstance(raw, dict)
            else []
            for raw in (b_raw, r_raw)
        )
        removed, added = self._members(b_members, r_members, b_file, r_file)
        for _ in range(added):
            self.emit(f"{side}-all-of-added", f"{location}/allOf", f"{where}: an allOf member was added")
        for _ in range(removed):
            self.emit(f"{side}-all-of-removed", f"{location}/allOf", f"{where}: an allOf member was removed")

    def _conditionals(
        self, b_cond: list[Any], r_cond: list[Any], where: str, location: str, b_file: str, r_file: str
    ) -> None:
        removed, added = self._members(b_cond, r_cond, b_file, r_file)
        for _ in range(added):
            self.emit(
                "request-conditional-requirement-added",
                f"{location}/allOf",
                f"{where}: a conditional (if/then) requirement was added",
            )
        for _ in range(removed):
            self.emit(
                "request-conditional-requirement-removed",
                f"{location}/allOf",
                f"{where}: a conditional (if/then) requirement was removed",
            )

    def _properties(
        self,
        b: dict[str, Any],
        r: dict[str, Any],
        side: str,
        where: str,
        location: str,
        base_file: str,
        rev_file: str,
        depth: int,
    ) -> None:
        b_props, r_props = b.get("properties") or {}, r.get("properties") or {}
        if not b_props and not r_props:
            return
        b_req, r_req = set(b.get("required") or []), set(r.get("required") or [])
        prefix = "" if side.endswith("-body") or where == "body" else f"{where}."
        inner_side = "request-property" if self.request else "response-property"
        for name in sorted(set(b_props) | set(r_props)):
            path, pointer = f"{prefix}{name}", f"{location}/properties/{_escape(name)}"
            if name not in b_props:
                if self.request:
                    rule = "new-required-request-property" if name in r_req else "new-optional-request-property"
                else:
                    rule = "response-required-property-added" if name in r_req else "response-optional-property-added"
                self.emit(rule, pointer, f"property {path} added")
                continue
            if name not in r_props:
                if self.request:
                    rule = "request-property-removed"
                else:
                    rule = (
                        "response-required-property-removed" if name in b_req else "response-optional-property-removed"
                    )
                self.emit(rule, pointer, f"property {path} removed")
                continue
            if (name in b_req) != (name in r_req):
                now_required = name in r_req
                if self.request:
                    rule = "request-property-became-required" if now_required else "request-property-became-optional"
                else:
                    rule = "response-property-became-required" if now_required else "response-property-became-optional"
                self.emit(rule, pointer, f"property {path} became {'required' if now_required else 'optional'}")
            self.compare(
                b_props[name],
                r_props[name],
                side=inner_side,
                where=path,
                location=pointer,
                base_file=base_file,
                rev_file=rev_file,
                depth=depth + 1,
            )


def collect(base: Document, rev: Document, operation: str, request: bool, findings: list[Finding]) -> SchemaDiff:
    def emit(rule: str, location: str, message: str) -> None:
        findings.append(Finding(rule, operation, location, message))

    return SchemaDiff(base, rev, emit, request)
