"""The request-parameter checks where oasdiff's reading is subtle: which parameters count as
written on the path item, which defaults matter, when null and type changes are reported, and
how response media type names are paired."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from tests.diff.rule_pairs import place, standard
from u4b_vouchers.diff import diff, load

Doc = dict[str, Any]


def ids(tmp_path: Path, before: Doc, after: Doc) -> set[str]:
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(before))
    (tmp_path / "revision.yaml").write_text(yaml.safe_dump(after))
    return {f.id for f in diff(load(str(tmp_path / "base.yaml")), load(str(tmp_path / "revision.yaml")))}


def at(where: str, before: Any, after: Any) -> tuple[Doc, Doc]:
    return place(standard(), where, before), place(standard(), where, after)


def one_path(item: Doc, version: str = "3.1.0") -> Doc:
    return {"openapi": version, "info": {"title": "t", "version": "1"}, "paths": {"/a": item}}


OK = {"200": {"description": "ok"}}


def test_a_parameter_moved_from_the_operation_to_its_path_item_is_no_change(tmp_path: Path) -> None:
    param = {"name": "v", "in": "query", "required": True, "schema": {"type": "string"}}
    before = one_path({"get": {"parameters": [param], "responses": OK}})
    after = one_path({"parameters": [param], "get": {"responses": OK}})
    assert ids(tmp_path, before, after) == set()


def test_a_path_item_parameter_an_operation_overrides_is_the_operations_own(tmp_path: Path) -> None:
    shared = {"name": "v", "in": "query", "schema": {"type": "string"}}
    own = {**shared, "required": True}
    before = one_path({"get": {"responses": OK}})
    after = one_path({"parameters": [shared], "get": {"parameters": [own], "responses": OK}})
    assert ids(tmp_path, before, after) == {"new-required-request-parameter"}


def test_the_default_of_a_required_parameter_is_not_reported(tmp_path: Path) -> None:
    def doc(schema: Doc) -> Doc:
        param = {"name": "q", "in": "query", "required": True, "schema": schema}
        return one_path({"get": {"parameters": [param], "responses": OK}})

    assert ids(tmp_path, doc({"type": "string", "default": "a"}), doc({"type": "string", "default": "b"})) == set()


def test_dropping_a_nullable_type_list_is_no_nullability_change(tmp_path: Path) -> None:
    # with no type left, the parameter takes anything, null included
    found = ids(tmp_path, *at("query-parameter", {"type": ["string", "null"]}, {}))
    assert not {i for i in found if "nullable" in i}


def test_3_0_nullable_keyword(tmp_path: Path) -> None:
    def doc(schema: Doc) -> Doc:
        param = {"name": "q", "in": "query", "schema": schema}
        return one_path({"get": {"parameters": [param], "responses": OK}}, "3.0.3")

    plain, nullable = doc({"type": "string"}), doc({"type": "string", "nullable": True})
    assert ids(tmp_path, plain, nullable) == {"request-parameter-became-nullable"}
    assert ids(tmp_path, nullable, plain) == {"request-parameter-became-not-nullable"}


def test_3_0_exclusive_flag_turned_on_is_an_exclusive_bound_set(tmp_path: Path) -> None:
    def doc(schema: Doc) -> Doc:
        param = {"name": "q", "in": "query", "schema": schema}
        return one_path({"get": {"parameters": [param], "responses": OK}}, "3.0.3")

    before = doc({"type": "integer", "maximum": 10, "exclusiveMaximum": False})
    after = doc({"type": "integer", "maximum": 10, "exclusiveMaximum": True})
    assert ids(tmp_path, before, after) == {"request-parameter-exclusive-max-set"}
    assert ids(tmp_path, after, before) == set()


def test_a_scalar_becoming_an_array_of_it_is_safe_only_when_sent_form_exploded(tmp_path: Path) -> None:
    scalar, array = {"type": "string"}, {"type": "array", "items": {"type": "string"}}
    assert "request-parameter-type-generalized" in ids(tmp_path, *at("query-parameter", scalar, array))
    # a header is sent style: simple, "a,b": one value is not the same request
    assert "request-parameter-type-changed" in ids(tmp_path, *at("header-parameter", scalar, array))
    # items that reject some old values make it breaking even in a query
    pattern = {"type": "array", "items": {"type": "string", "pattern": "^[a-z]+$"}}
    assert "request-parameter-type-changed" in ids(tmp_path, *at("query-parameter", scalar, pattern))


def test_a_parameters_own_type_is_judged_as_text(tmp_path: Path) -> None:
    # anything can be sent as a string in a URL; the reverse is not true
    assert "request-parameter-type-generalized" in ids(
        tmp_path, *at("query-parameter", {"type": "boolean"}, {"type": "string"})
    )
    assert "request-parameter-type-changed" in ids(
        tmp_path,
        *at("query-parameter", {"type": "string", "format": "date-time"}, {"type": "string", "format": "date"}),
    )


def test_a_header_property_new_and_required_is_not_also_became_required(tmp_path: Path) -> None:
    before = {"type": "object", "properties": {"k": {"type": "string"}}}
    after = {"type": "object", "properties": {"k": {"type": "string"}, "n": {"type": "string"}}, "required": ["n"]}
    found = ids(tmp_path, *at("header-parameter", before, after))
    assert "new-required-request-header-property" in found
    assert "request-header-property-became-required" not in found


def test_a_read_only_header_property_is_not_sent(tmp_path: Path) -> None:
    before = {"type": "object", "properties": {"k": {"type": "string", "readOnly": True}}}
    after = {**copy.deepcopy(before), "required": ["k"]}
    assert "request-header-property-became-required" not in ids(tmp_path, *at("header-parameter", before, after))


def response(media: str) -> Doc:
    content = {media: {"schema": {"type": "object"}}}
    return one_path({"get": {"responses": {"200": {"description": "ok", "content": content}}}})


def test_unrelated_media_types_are_not_a_renamed_one(tmp_path: Path) -> None:
    found = ids(tmp_path, response("application/json"), response("text/plain"))
    assert not {i for i in found if i.startswith("response-media-type-name")}


def test_media_type_names(tmp_path: Path) -> None:
    json, problem = response("application/json"), response("application/problem+json")
    assert "response-media-type-name-specialized" in ids(tmp_path, json, problem)
    assert "response-media-type-name-generalized" in ids(tmp_path, problem, json)
    assert "response-media-type-name-changed" in ids(tmp_path, json, response("application/json;v=2"))
