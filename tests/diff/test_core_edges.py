"""Edges of the values, structure, operations and security checks, as real drift looks: a bound
moved by one, an enum value respelled, both forms of an exclusive bound, the two ways of saying
null, and security requirements that are a conjunction or a disjunction.

Each case asserts the exact set of rule ids reported (at any level), so a change reported under
a second id, or under none, fails here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.diff.rule_pairs import place, standard
from u4b_vouchers.diff import diff, load

Doc = dict[str, Any]


def ids(tmp_path: Path, base: Doc, revision: Doc) -> set[str]:
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(base))
    (tmp_path / "revision.yaml").write_text(yaml.safe_dump(revision))
    return {f.id for f in diff(load(str(tmp_path / "base.yaml")), load(str(tmp_path / "revision.yaml")))}


def placed(at: str, before: Any, after: Any, openapi: str = "3.1.0") -> tuple[Doc, Doc]:
    """The standard description with ``before`` and with ``after`` at one place."""
    docs = []
    for schema in (before, after):
        doc = place(standard(), at, schema)
        doc["openapi"] = openapi
        docs.append(doc)
    return docs[0], docs[1]


def case(at: str, before: Doc, after: Doc, expected: set[str], openapi: str = "3.1.0") -> Any:
    return pytest.param(at, before, after, openapi, expected, id=f"{openapi}-{at}-{before}->{after}")


def check(tmp_path: Path, at: str, before: Doc, after: Doc, openapi: str, expected: set[str]) -> None:
    assert ids(tmp_path, *placed(at, before, after, openapi)) == expected


INT, NUM, STR = {"type": "integer"}, {"type": "number"}, {"type": "string"}


# ---------------------------------------------------------------- a bound moved by one


@pytest.mark.parametrize(
    ("at", "before", "after", "openapi", "expected"),
    [
        case("request-property", {**INT, "maximum": 10}, {**INT, "maximum": 9}, {"request-property-max-decreased"}),
        case("request-property", {**INT, "maximum": 10}, {**INT, "maximum": 11}, {"request-property-max-increased"}),
        case("request-body", {**INT, "minimum": 10}, {**INT, "minimum": 11}, {"request-body-min-increased"}),
        case("request-body", {**INT, "minimum": 10}, {**INT, "minimum": 9}, {"request-body-min-decreased"}),
        # In a response only the loosening is reported: a client never sees the new 10.
        case("response-property", {**INT, "maximum": 10}, {**INT, "maximum": 9}, set()),
        case("response-property", {**INT, "maximum": 10}, {**INT, "maximum": 11}, {"response-property-max-increased"}),
        case("response-body", {**INT, "minimum": 10}, {**INT, "minimum": 11}, set()),
        case("response-body", {**INT, "minimum": 10}, {**INT, "minimum": 9}, {"response-body-min-decreased"}),
        # A bound written as a float is the same bound.
        case("request-property", {**NUM, "maximum": 10}, {**NUM, "maximum": 10.0}, set()),
        case("request-property", {**NUM, "maximum": 10}, {**NUM, "maximum": 9.99}, {"request-property-max-decreased"}),
        # Lengths and counts.
        case(
            "request-property",
            {**STR, "maxLength": 10},
            {**STR, "maxLength": 9},
            {"request-property-max-length-decreased"},
        ),
        case(
            "request-property",
            {**STR, "maxLength": 10},
            {**STR, "maxLength": 11},
            {"request-property-max-length-increased"},
        ),
        case(
            "request-property",
            {**STR, "minLength": 1},
            {**STR, "minLength": 0},
            {"request-property-min-length-decreased"},
        ),
        case("response-property", {**STR, "maxLength": 10}, {**STR, "maxLength": 9}, set()),
        case(
            "response-property",
            {**STR, "maxLength": 10},
            {**STR, "maxLength": 11},
            {"response-property-max-length-increased"},
        ),
        case(
            "response-property",
            {**STR, "minLength": 1},
            {**STR, "minLength": 0},
            {"response-property-min-length-decreased"},
        ),
        case(
            "request-property",
            {"type": "array", "items": STR, "minItems": 1},
            {"type": "array", "items": STR, "minItems": 0},
            set(),
        ),
        case(
            "response-property",
            {"type": "array", "items": STR, "minItems": 1},
            {"type": "array", "items": STR, "minItems": 0},
            {"response-property-min-items-decreased"},
        ),
        # A bound set where there was none, and one dropped.
        case("request-property", INT, {**INT, "maximum": 10}, {"request-property-max-set"}),
        case("request-property", {**INT, "maximum": 10}, INT, set()),
        case("response-property", INT, {**INT, "maximum": 10}, set()),
        case("response-property", {**STR, "maxLength": 10}, STR, {"response-property-max-length-unset"}),
    ],
)
def test_a_bound_moved_by_one(
    tmp_path: Path, at: str, before: Doc, after: Doc, openapi: str, expected: set[str]
) -> None:
    check(tmp_path, at, before, after, openapi, expected)


# ---------------------------------------------------------------- exclusive bounds: 3.0 and 3.1


@pytest.mark.parametrize(
    ("at", "before", "after", "openapi", "expected"),
    [
        # 3.0: exclusiveMaximum is a boolean that makes maximum exclusive; the bound is maximum.
        case(
            "request-property",
            {**NUM, "maximum": 10, "exclusiveMaximum": True},
            {**NUM, "maximum": 9, "exclusiveMaximum": True},
            {"request-property-max-decreased"},
            "3.0.3",
        ),
        case(
            "request-property",
            {**NUM, "maximum": 10, "exclusiveMaximum": True},
            {**NUM, "maximum": 11, "exclusiveMaximum": True},
            {"request-property-max-increased"},
            "3.0.3",
        ),
        case(
            "response-property",
            {**NUM, "maximum": 10, "exclusiveMaximum": True},
            {**NUM, "maximum": 11, "exclusiveMaximum": True},
            {"response-property-max-increased"},
            "3.0.3",
        ),
        case(
            "request-body",
            {**NUM, "minimum": 10, "exclusiveMinimum": True},
            {**NUM, "minimum": 11, "exclusiveMinimum": True},
            {"request-body-min-increased"},
            "3.0.3",
        ),
        # Making the bound exclusive is an exclusive bound set; making it inclusive again is looser.
        case(
            "request-property",
            {**NUM, "maximum": 10},
            {**NUM, "maximum": 10, "exclusiveMaximum": True},
            {"request-property-exclusive-max-set"},
            "3.0.3",
        ),
        case(
            "request-property", {**NUM, "maximum": 10, "exclusiveMaximum": True}, {**NUM, "maximum": 10}, set(), "3.0.3"
        ),
        # 3.1: exclusiveMaximum is the bound itself.
        case(
            "request-property",
            {**NUM, "exclusiveMaximum": 10},
            {**NUM, "exclusiveMaximum": 9},
            {"request-property-exclusive-max-decreased"},
        ),
        case(
            "request-property",
            {**NUM, "exclusiveMaximum": 10},
            {**NUM, "exclusiveMaximum": 11},
            {"request-property-exclusive-max-increased"},
        ),
        case(
            "response-property",
            {**NUM, "exclusiveMinimum": 10},
            {**NUM, "exclusiveMinimum": 9},
            {"response-property-exclusive-min-decreased"},
        ),
        case("response-property", {**NUM, "exclusiveMinimum": 10}, {**NUM, "exclusiveMinimum": 11}, set()),
        # An inclusive bound turned into the same exclusive one: only the exclusive bound is new.
        case(
            "request-property",
            {**NUM, "maximum": 10},
            {**NUM, "exclusiveMaximum": 10},
            {"request-property-exclusive-max-set"},
        ),
    ],
)
def test_exclusive_bounds(tmp_path: Path, at: str, before: Doc, after: Doc, openapi: str, expected: set[str]) -> None:
    check(tmp_path, at, before, after, openapi, expected)


# ---------------------------------------------------------------- enum values respelled


@pytest.mark.parametrize(
    ("at", "before", "after", "openapi", "expected"),
    [
        case(
            "request-property",
            {**STR, "enum": ["open", "closed"]},
            {**STR, "enum": ["open", "close"]},
            {"request-property-enum-value-removed", "request-property-enum-value-added"},
        ),
        case(
            "response-property",
            {**STR, "enum": ["open", "closed"]},
            {**STR, "enum": ["open", "close"]},
            {"response-property-enum-value-removed", "response-property-enum-value-added"},
        ),
        # A body enum: a value added to a request body or a response body has no rule.
        case(
            "request-body",
            {**STR, "enum": ["open", "closed"]},
            {**STR, "enum": ["open", "Closed"]},
            {"request-body-enum-value-removed"},
        ),
        case(
            "response-body",
            {**STR, "enum": ["open", "closed"]},
            {**STR, "enum": ["open", "Closed"]},
            {"response-mediatype-enum-value-removed"},
        ),
        # 2 and "2" are different values; the same values reordered are no change.
        case(
            "request-property",
            {**INT, "enum": [1, 2]},
            {**INT, "enum": [1, "2"]},
            {"request-property-enum-value-removed", "request-property-enum-value-added"},
        ),
        case("request-property", {**STR, "enum": ["a", "b"]}, {**STR, "enum": ["b", "a"]}, set()),
    ],
)
def test_enum_values_respelled(
    tmp_path: Path, at: str, before: Doc, after: Doc, openapi: str, expected: set[str]
) -> None:
    check(tmp_path, at, before, after, openapi, expected)


# ---------------------------------------------------------------- null: type lists and nullable


@pytest.mark.parametrize(
    ("at", "before", "after", "openapi", "expected"),
    [
        case("request-property", {**STR, "nullable": True}, STR, {"request-property-became-not-nullable"}, "3.0.3"),
        case("response-property", STR, {**STR, "nullable": True}, {"response-property-became-nullable"}, "3.0.3"),
        case("response-body", {**STR, "nullable": True}, STR, {"response-body-became-not-nullable"}, "3.0.3"),
        case("request-property", {"type": ["string", "null"]}, STR, {"request-property-became-not-nullable"}),
        case("response-property", STR, {"type": ["string", "null"]}, {"response-property-became-nullable"}),
        case(
            "response-property",
            {"type": ["string", "integer"]},
            {"type": ["string", "integer", "null"]},
            {"response-property-became-nullable"},
        ),
        # The two ways of saying null say the same thing.
        case("response-property", {**STR, "nullable": True}, {"type": ["string", "null"]}, set()),
        case("request-property", {"type": ["string", "null"]}, {**STR, "nullable": True}, set()),
    ],
)
def test_null(tmp_path: Path, at: str, before: Doc, after: Doc, openapi: str, expected: set[str]) -> None:
    check(tmp_path, at, before, after, openapi, expected)


# ---------------------------------------------------------------- response header type sets


@pytest.mark.parametrize(
    ("at", "before", "after", "openapi", "expected"),
    [
        # A header value is text: a type added to a header is a swap it tolerates ...
        case("response-header", INT, {"type": ["integer", "boolean"]}, {"response-header-type-compatible"}),
        # ... but a format a client parsed, dropped while the type set widens, is generalized.
        case("response-header", {**INT, "format": "int32"}, NUM, {"response-header-type-generalized"}),
        case("response-header", {**INT, "format": "int32"}, STR, {"response-header-type-changed"}),
        case("response-header", NUM, INT, {"response-header-type-specialized"}),
    ],
)
def test_response_header_types(
    tmp_path: Path, at: str, before: Doc, after: Doc, openapi: str, expected: set[str]
) -> None:
    check(tmp_path, at, before, after, openapi, expected)


# ---------------------------------------------------------------- security: AND and OR


def operation(security: Any) -> Doc:
    return {"paths": {"/a": {"get": {"security": security, "responses": {"200": {"description": "ok"}}}}}}


def whole(doc: Doc) -> Doc:
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}, **doc}


CONJUNCTION = [{"key": [], "oauth": ["read"]}]  # both schemes, together
DISJUNCTION = [{"key": []}, {"oauth": ["read"]}]  # either scheme


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (CONJUNCTION, DISJUNCTION, {"api-security-removed", "api-security-added"}),
        (DISJUNCTION, CONJUNCTION, {"api-security-removed", "api-security-added"}),
        # The same schemes in another order, in a requirement or in the list: no change.
        ([{"oauth": ["read"], "key": []}], CONJUNCTION, set()),
        ([{"oauth": ["read"]}, {"key": []}], DISJUNCTION, set()),
        # One alternative dropped, one added.
        (DISJUNCTION, [{"key": []}], {"api-security-removed"}),
        ([{"key": []}], DISJUNCTION, {"api-security-added"}),
        # Scopes are compared within the requirement that names them.
        (CONJUNCTION, [{"key": [], "oauth": ["read", "write"]}], {"api-security-scope-added"}),
        ([{"key": [], "oauth": ["read", "write"]}], CONJUNCTION, {"api-security-scope-removed"}),
        (DISJUNCTION, [{"key": []}, {"oauth": []}], {"api-security-scope-removed"}),
    ],
    ids=[
        "and-to-or",
        "or-to-and",
        "and-reordered",
        "or-reordered",
        "or-less",
        "or-more",
        "scope+",
        "scope-",
        "or-scope-",
    ],
)
def test_security_requirements(tmp_path: Path, before: Any, after: Any, expected: set[str]) -> None:
    assert ids(tmp_path, whole(operation(before)), whole(operation(after))) == expected


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (CONJUNCTION, DISJUNCTION, {"api-global-security-removed", "api-global-security-added"}),
        (DISJUNCTION, [{"oauth": ["read"]}, {"key": []}], set()),
        (
            DISJUNCTION,
            [{"key": []}, {"oauth": ["write"]}],
            {"api-global-security-scope-added", "api-global-security-scope-removed"},
        ),
    ],
    ids=["and-to-or", "or-reordered", "scope-swapped"],
)
def test_global_security_requirements(tmp_path: Path, before: Any, after: Any, expected: set[str]) -> None:
    assert ids(tmp_path, whole({"security": before}), whole({"security": after})) == expected


# ---------------------------------------------------------------- readOnly in a request, writeOnly in a response

RO, WO = {"readOnly": True}, {"writeOnly": True}
ARRAY = {"type": "array", "items": STR}


@pytest.mark.parametrize(
    ("at", "before", "after", "openapi", "expected"),
    [
        # A read-only request property is not sent: tightening it is reported apart (info), and
        # loosening it, as oasdiff does, under the usual id.
        case(
            "request-property",
            {**INT, **RO, "maximum": 10},
            {**INT, **RO, "maximum": 9},
            {"request-read-only-property-max-decreased"},
        ),
        case(
            "request-property",
            {**INT, **RO, "maximum": 10},
            {**INT, **RO, "maximum": 11},
            {"request-property-max-increased"},
        ),
        case(
            "request-property",
            {**INT, **RO, "minimum": 10},
            {**INT, **RO, "minimum": 11},
            {"request-read-only-property-min-increased"},
        ),
        case(
            "request-property",
            {**INT, **RO, "minimum": 10},
            {**INT, **RO, "minimum": 9},
            {"request-property-min-decreased"},
        ),
        case(
            "request-property",
            {**NUM, **RO, "exclusiveMaximum": 10},
            {**NUM, **RO, "exclusiveMaximum": 9},
            {"request-read-only-property-exclusive-max-decreased"},
        ),
        case("request-property", {**INT, **RO}, {**INT, **RO, "maximum": 10}, set()),
        case(
            "request-property",
            {**STR, **RO, "maxLength": 10},
            {**STR, **RO, "maxLength": 9},
            {"request-read-only-property-max-length-decreased"},
        ),
        case(
            "request-property",
            {**STR, **RO, "maxLength": 10},
            {**STR, **RO, "maxLength": 11},
            {"request-property-max-length-increased"},
        ),
        case("request-property", {**STR, **RO}, {**STR, **RO, "maxLength": 10}, set()),
        # oasdiff's minLength check knows no read-only variant.
        case(
            "request-property",
            {**STR, **RO, "minLength": 1},
            {**STR, **RO, "minLength": 2},
            {"request-property-min-length-increased"},
        ),
        case(
            "request-property",
            {**STR, **RO, "minLength": 2},
            {**STR, **RO, "minLength": 1},
            {"request-property-min-length-decreased"},
        ),
        case("request-property", {**ARRAY, **RO, "minItems": 1}, {**ARRAY, **RO, "minItems": 2}, set()),
        case("request-property", {**ARRAY, **RO}, {**ARRAY, **RO, "minItems": 1}, set()),
        case(
            "request-property",
            {**STR, **RO, "enum": ["a", "b"]},
            {**STR, **RO, "enum": ["a"]},
            {"request-read-only-property-enum-value-removed"},
        ),
        case(
            "request-property",
            {**STR, **RO, "enum": ["a"]},
            {**STR, **RO, "enum": ["a", "b"]},
            {"request-property-enum-value-added"},
        ),
        case(
            "request-property",
            {**STR, **RO, "pattern": "^a$"},
            {**STR, **RO, "pattern": "^b$"},
            {"request-property-pattern-changed"},
        ),
        case(
            "request-property",
            {**STR, **RO, "pattern": ""},
            {**STR, **RO, "pattern": "^b$"},
            {"request-property-pattern-added"},
        ),
        case("request-property", {**STR, **RO}, {**INT, **RO}, set()),
        case(
            "request-property", {**STR, **RO}, {"type": ["string", "null"], **RO}, {"request-property-became-nullable"}
        ),
        # A write-only response property is not returned: loosening it is not reported, its enum
        # values added are reported apart, and the checks oasdiff does not skip report as usual.
        case("response-property", {**INT, **WO, "maximum": 10}, {**INT, **WO, "maximum": 11}, set()),
        case("response-property", {**INT, **WO, "minimum": 10}, {**INT, **WO, "minimum": 9}, set()),
        case("response-property", {**STR, **WO, "maxLength": 10}, {**STR, **WO, "maxLength": 11}, set()),
        case("response-property", {**STR, **WO, "maxLength": 10}, {**STR, **WO}, set()),
        case("response-property", {**STR, **WO, "minLength": 2}, {**STR, **WO, "minLength": 1}, set()),
        case("response-property", {**ARRAY, **WO, "minItems": 2}, {**ARRAY, **WO, "minItems": 1}, set()),
        case("response-property", {**ARRAY, **WO, "minItems": 2}, {**ARRAY, **WO}, set()),
        case(
            "response-property",
            {**STR, **WO, "enum": ["a"]},
            {**STR, **WO, "enum": ["a", "b"]},
            {"response-write-only-property-enum-value-added"},
        ),
        case(
            "response-property",
            {**STR, **WO, "enum": ["a", "b"]},
            {**STR, **WO, "enum": ["a"]},
            {"response-property-enum-value-removed"},
        ),
        case(
            "response-property",
            {**STR, **WO, "pattern": "^a$"},
            {**STR, **WO, "pattern": "^b$"},
            {"response-property-pattern-changed"},
        ),
        case("response-property", {**STR, **WO}, {**INT, **WO}, {"response-property-type-changed"}),
        # The other way round (writeOnly in a request, readOnly in a response) changes nothing.
        case(
            "request-property",
            {**INT, **WO, "maximum": 10},
            {**INT, **WO, "maximum": 9},
            {"request-property-max-decreased"},
        ),
        case(
            "response-property",
            {**INT, **RO, "maximum": 10},
            {**INT, **RO, "maximum": 11},
            {"response-property-max-increased"},
        ),
    ],
)
def test_read_only_requests_and_write_only_responses(
    tmp_path: Path, at: str, before: Doc, after: Doc, openapi: str, expected: set[str]
) -> None:
    check(tmp_path, at, before, after, openapi, expected)


# ---------------------------------------------------------------- properties: read-only, write-only, nested

OBJ = {"type": "object"}


def obj(required: list[str] | None = None, **properties: Doc) -> Doc:
    return {**OBJ, **({"required": required} if required else {}), "properties": properties}


@pytest.mark.parametrize(
    ("at", "before", "after", "openapi", "expected"),
    [
        # A read-only property is not sent: removing it, adding it required, or requiring it is
        # nothing to a request.
        case("request-body", obj(r={**STR, **RO}), OBJ, set()),
        case("request-body", OBJ, obj(["r"], r={**STR, **RO}), set()),
        case("request-body", obj(r={**STR, **RO}), obj(["r"], r={**STR, **RO}), set()),
        case(
            "request-body",
            obj(["r"], r=STR),
            obj(["r"], r={**STR, **RO}),
            {"request-required-property-became-read-only"},
        ),
        # A write-only property in a response is reported under the write-only ids.
        case(
            "response-body",
            obj(["r"], r={**STR, **WO}),
            obj(r={**STR, **WO}),
            {"response-write-only-property-became-optional"},
        ),
        case(
            "response-body",
            obj(["r"], r=STR),
            obj(["r"], r={**STR, **WO}),
            {"response-required-property-became-write-only"},
        ),
        case("response-body", obj(["r"], r={**STR, **WO}), obj(), {"response-required-write-only-property-removed"}),
        # Nested properties and array items are properties too.
        case("request-property", obj(q=STR), OBJ, {"request-property-removed"}),
        case("request-property", obj(q=STR), obj(["q"], q=STR), {"request-property-became-required"}),
        case("response-property", obj(["q"], q=STR), obj(q=STR), {"response-property-became-optional"}),
        case(
            "response-body",
            {"type": "array", "items": obj(["q"], q=STR)},
            {"type": "array", "items": obj(q=STR)},
            {"response-property-became-optional"},
        ),
        case(
            "request-body",
            {"type": "array", "items": obj(q=STR)},
            {"type": "array", "items": obj(q={**STR, "maxLength": 3})},
            {"request-property-max-length-set"},
        ),
    ],
)
def test_properties(tmp_path: Path, at: str, before: Doc, after: Doc, openapi: str, expected: set[str]) -> None:
    check(tmp_path, at, before, after, openapi, expected)
