"""A fixture pair (base, revision) for every rule of the gate.

A small base description, and for each rule id a change to it that must be reported under that
id. Schema-level rules are produced for each side (request property, request parameter,
request body, response property, response body) from one table of schema changes.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

Doc = dict[str, Any]
Mutation = Callable[[Doc], None]


def base() -> Doc:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Fixture", "version": "1"},
        "security": [{"oauth": ["read"]}],
        "paths": {
            "/items/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "get": {
                    "operationId": "getItem",
                    "parameters": [
                        {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer"}},
                        {"name": "probe", "in": "query", "required": False, "schema": {"type": "integer"}},
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "headers": {
                                "X-Rate": {"required": True, "schema": {"type": "integer"}},
                                "X-Note": {"schema": {"type": "string"}},
                            },
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}},
                        },
                        "404": {"description": "missing"},
                    },
                },
                "patch": {
                    "operationId": "updateItem",
                    "requestBody": {
                        "required": False,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Change"}}},
                    },
                    "responses": {"204": {"description": "done"}},
                },
            },
            "/legacy": {
                "get": {"operationId": "legacy", "deprecated": True, "responses": {"200": {"description": "ok"}}}
            },
            "/things": {
                "get": {"operationId": "listThings", "responses": {"200": {"description": "ok"}}},
                "delete": {"operationId": "purge", "responses": {"204": {"description": "ok"}}},
                "put": {"operationId": "replace", "deprecated": True, "responses": {"204": {"description": "ok"}}},
            },
            "/probe": {
                "post": {
                    "operationId": "probe",
                    "security": [],
                    "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {
                "oauth": {
                    "type": "oauth2",
                    "flows": {
                        "clientCredentials": {
                            "tokenUrl": "https://auth.example/token",
                            "scopes": {"read": "r", "write": "w"},
                        }
                    },
                },
                "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
            },
            "schemas": {
                "Item": {
                    "type": "object",
                    "required": ["id", "name"],
                    "properties": {
                        "id": {"type": "string"},
                        "name": {"type": "string"},
                        "note": {"type": "string"},
                        "probe": {"type": "string"},
                    },
                },
                "Change": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {"name": {"type": "string"}, "note": {"type": "string"}, "probe": {"type": "string"}},
                },
            },
        },
        "x-u4b-rules": [
            {
                "id": "R-WINDOW",
                "operations": ["updateItem"],
                "kind": "time-window",
                "summary": "s",
                "target": "body.name",
                "not-after": "P1Y",
                "tolerance": "P1D",
                "violation": [{"status": 400, "code": "invalid_request"}],
                "source": [],
            },
            {
                "id": "R-STATE",
                "operations": ["updateItem"],
                "kind": "program-state",
                "summary": "s",
                "target": "body.name",
                "forbidden-when": ["canceled"],
                "violation": [{"status": 400, "code": "invalid_request"}],
                "source": [],
            },
        ],
    }


def _op(doc: Doc, path: str, method: str) -> Doc:
    return doc["paths"][path][method]  # type: ignore[no-any-return]


def _rule(doc: Doc, rule_id: str) -> Doc:
    return next(r for r in doc["x-u4b-rules"] if r["id"] == rule_id)


def _both(*_done: Any) -> None:
    """Apply two edits in one lambda (their results are discarded)."""


def _set(key: str, value: Any) -> Callable[[Doc], None]:
    def apply(target: Doc) -> None:
        target[key] = value

    return apply


def _rename_path_parameter(doc: Doc) -> None:
    item = doc["paths"].pop("/items/{id}")
    item["parameters"][0]["name"] = "itemId"
    doc["paths"]["/items/{itemId}"] = item


CASES: dict[str, Mutation] = {
    "request-path-parameter-renamed": _rename_path_parameter,
    "endpoint-added": lambda d: d["paths"]["/things"].__setitem__(
        "post", {"responses": {"201": {"description": "made"}}}
    ),
    "api-path-removed-without-deprecation": lambda d: d["paths"].pop("/things"),
    "api-path-removed": lambda d: d["paths"].pop("/legacy"),
    "api-removed-without-deprecation": lambda d: d["paths"]["/things"].pop("delete"),
    "endpoint-removed": lambda d: d["paths"]["/things"].pop("put"),
    "endpoint-deprecated": lambda d: _op(d, "/things", "get").__setitem__("deprecated", True),
    "endpoint-reactivated": lambda d: _op(d, "/legacy", "get").pop("deprecated"),
    "api-operation-id-removed": lambda d: _op(d, "/things", "get").__setitem__("operationId", "listAllThings"),
    "api-security-added": lambda d: _op(d, "/probe", "post").pop("security"),
    "api-security-removed": lambda d: d.__setitem__("security", [{"key": []}]),
    "api-security-alternative-added": lambda d: d["security"].append({"key": []}),
    "api-security-scope-added": lambda d: d.__setitem__("security", [{"oauth": ["read", "write"]}]),
    "api-security-scope-removed": lambda d: d.__setitem__("security", [{"oauth": []}]),
    "api-security-component-removed": lambda d: d["components"]["securitySchemes"].pop("key"),
    "api-security-component-added": lambda d: d["components"]["securitySchemes"].__setitem__(
        "basic", {"type": "http", "scheme": "basic"}
    ),
    "api-security-component-oauth-token-url-changed": lambda d: d["components"]["securitySchemes"]["oauth"]["flows"][
        "clientCredentials"
    ].__setitem__("tokenUrl", "https://auth.example/v2/token"),
    "api-security-component-oauth-scope-removed": lambda d: d["components"]["securitySchemes"]["oauth"]["flows"][
        "clientCredentials"
    ]["scopes"].pop("write"),
    "api-security-component-oauth-scope-added": lambda d: d["components"]["securitySchemes"]["oauth"]["flows"][
        "clientCredentials"
    ]["scopes"].__setitem__("admin", "a"),
    "new-required-request-parameter": lambda d: _op(d, "/items/{id}", "get")["parameters"].append(
        {"name": "tenant", "in": "query", "required": True, "schema": {"type": "string"}}
    ),
    "new-optional-request-parameter": lambda d: _op(d, "/items/{id}", "get")["parameters"].append(
        {"name": "verbose", "in": "query", "schema": {"type": "boolean"}}
    ),
    "request-parameter-removed": lambda d: _op(d, "/items/{id}", "get").__setitem__(
        "parameters", [p for p in _op(d, "/items/{id}", "get")["parameters"] if p["name"] != "limit"]
    ),
    "request-parameter-became-required": lambda d: _op(d, "/items/{id}", "get")["parameters"][0].__setitem__(
        "required", True
    ),
    "added-required-request-body": lambda d: _op(d, "/things", "get").__setitem__(
        "requestBody", {"required": True, "content": {"application/json": {"schema": {"type": "object"}}}}
    ),
    "request-body-added-optional": lambda d: _op(d, "/things", "get").__setitem__(
        "requestBody", {"content": {"application/json": {"schema": {"type": "object"}}}}
    ),
    "request-body-removed": lambda d: _op(d, "/items/{id}", "patch").pop("requestBody"),
    "request-body-became-required": lambda d: _op(d, "/items/{id}", "patch")["requestBody"].__setitem__(
        "required", True
    ),
    "request-body-media-type-removed": lambda d: _op(d, "/items/{id}", "patch")["requestBody"].__setitem__(
        "content", {"application/merge-patch+json": {"schema": {"type": "object"}}}
    ),
    "request-body-media-type-added": lambda d: _op(d, "/items/{id}", "patch")["requestBody"]["content"].__setitem__(
        "application/merge-patch+json", {"schema": {"type": "object"}}
    ),
    "new-required-request-property": lambda d: _both(
        d["components"]["schemas"]["Change"]["properties"].__setitem__("size", {"type": "integer"}),
        d["components"]["schemas"]["Change"]["required"].append("size"),
    ),
    "new-optional-request-property": lambda d: d["components"]["schemas"]["Change"]["properties"].__setitem__(
        "size", {"type": "integer"}
    ),
    "request-property-removed": lambda d: d["components"]["schemas"]["Change"]["properties"].pop("note"),
    "request-property-became-required": lambda d: d["components"]["schemas"]["Change"]["required"].append("note"),
    "request-property-became-optional": lambda d: d["components"]["schemas"]["Change"].__setitem__("required", []),
    "request-conditional-requirement-added": lambda d: d["components"]["schemas"]["Change"].__setitem__(
        "allOf", [{"if": {"required": ["note"]}, "then": {"required": ["probe"]}}]
    ),
    "response-success-status-removed": lambda d: (
        _op(d, "/items/{id}", "patch")["responses"].__setitem__("200", {"description": "ok"})
        or _op(d, "/items/{id}", "patch")["responses"].pop("204")
    ),
    "response-non-success-status-removed": lambda d: _op(d, "/items/{id}", "get")["responses"].pop("404"),
    "response-success-status-added": lambda d: _op(d, "/items/{id}", "patch")["responses"].__setitem__(
        "200", {"description": "ok"}
    ),
    "response-non-success-status-added": lambda d: _op(d, "/items/{id}", "get")["responses"].__setitem__(
        "409", {"description": "conflict"}
    ),
    "response-media-type-removed": lambda d: _op(d, "/items/{id}", "get")["responses"]["200"].__setitem__(
        "content", {"application/xml": {"schema": {"type": "object"}}}
    ),
    "response-media-type-added": lambda d: _op(d, "/items/{id}", "get")["responses"]["200"]["content"].__setitem__(
        "text/csv", {"schema": {"type": "string"}}
    ),
    "response-required-property-removed": lambda d: _both(
        d["components"]["schemas"]["Item"]["properties"].pop("name"),
        d["components"]["schemas"]["Item"]["required"].remove("name"),
    ),
    "response-optional-property-removed": lambda d: d["components"]["schemas"]["Item"]["properties"].pop("note"),
    "response-property-became-optional": lambda d: d["components"]["schemas"]["Item"]["required"].remove("name"),
    "response-property-became-required": lambda d: d["components"]["schemas"]["Item"]["required"].append("note"),
    "response-required-property-added": lambda d: _both(
        d["components"]["schemas"]["Item"]["properties"].__setitem__("size", {"type": "integer"}),
        d["components"]["schemas"]["Item"]["required"].append("size"),
    ),
    "response-optional-property-added": lambda d: d["components"]["schemas"]["Item"]["properties"].__setitem__(
        "size", {"type": "integer"}
    ),
    "required-response-header-removed": lambda d: _op(d, "/items/{id}", "get")["responses"]["200"]["headers"].pop(
        "X-Rate"
    ),
    "optional-response-header-removed": lambda d: _op(d, "/items/{id}", "get")["responses"]["200"]["headers"].pop(
        "X-Note"
    ),
    "response-header-became-optional": lambda d: _op(d, "/items/{id}", "get")["responses"]["200"]["headers"][
        "X-Rate"
    ].pop("required"),
    "response-header-added": lambda d: _op(d, "/items/{id}", "get")["responses"]["200"]["headers"].__setitem__(
        "X-Trace", {"schema": {"type": "string"}}
    ),
    "x-u4b-rule-added": lambda d: d["x-u4b-rules"].append(
        {
            "id": "R-NEW",
            "operations": ["updateItem"],
            "kind": "present-only",
            "summary": "s",
            "target": "body.note",
            "violation": [{"status": 400}],
            "source": [],
        }
    ),
    "x-u4b-rule-added-lenient": lambda d: d["x-u4b-rules"].append(
        {
            "id": "R-NEW",
            "operations": ["updateItem"],
            "kind": "bound",
            "summary": "s",
            "target": "body.note",
            "minimum": 1,
            "violation": [{"status": "2XX"}, {"status": 400}],
            "source": [],
        }
    ),
    "x-u4b-rule-removed": lambda d: d["x-u4b-rules"].pop(),
    "x-u4b-rule-tightened": lambda d: _rule(d, "R-WINDOW").__setitem__("not-after", "P6M"),
    "x-u4b-rule-loosened": lambda d: _rule(d, "R-STATE").__setitem__("forbidden-when", []),
    "x-u4b-rule-outcome-changed": lambda d: _rule(d, "R-STATE").__setitem__(
        "violation", [{"status": 409, "code": "conflict"}]
    ),
    "x-u4b-rule-changed": lambda d: _rule(d, "R-STATE").__setitem__("target", "body.note"),
}
#: Rules shown by undoing a change: the mutation is applied to the base, not the revision.
REVERSED: dict[str, Mutation] = {
    "request-conditional-requirement-removed": CASES["request-conditional-requirement-added"],
    "request-parameter-became-optional": CASES["request-parameter-became-required"],
    "request-body-became-optional": CASES["request-body-became-required"],
    "api-operation-id-added": lambda d: _op(d, "/items/{id}", "patch").__delitem__("operationId"),
}

#: Schema changes: (base schema, revision schema) for the value being compared.
SCHEMA_CHANGES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "type-changed": ({"type": "integer"}, {"type": "boolean"}),
    "type-generalized": ({"type": "integer"}, {"type": ["integer", "string"]}),
    "type-narrowed": ({"type": ["integer", "string"]}, {"type": "integer"}),
    "enum-value-removed": ({"type": "string", "enum": ["a", "b"]}, {"type": "string", "enum": ["a"]}),
    "enum-value-added": ({"type": "string", "enum": ["a"]}, {"type": "string", "enum": ["a", "b"]}),
    "enum-added": ({"type": "string"}, {"type": "string", "enum": ["a"]}),
    "enum-removed": ({"type": "string", "enum": ["a"]}, {"type": "string"}),
    "max-decreased": ({"type": "integer", "maximum": 10}, {"type": "integer", "maximum": 5}),
    "max-increased": ({"type": "integer", "maximum": 5}, {"type": "integer", "maximum": 10}),
    "max-set": ({"type": "integer"}, {"type": "integer", "maximum": 5}),
    "max-unset": ({"type": "integer", "maximum": 5}, {"type": "integer"}),
    "min-increased": ({"type": "integer", "minimum": 1}, {"type": "integer", "minimum": 5}),
    "min-decreased": ({"type": "integer", "minimum": 5}, {"type": "integer", "minimum": 1}),
    "min-set": ({"type": "integer"}, {"type": "integer", "minimum": 5}),
    "min-unset": ({"type": "integer", "minimum": 5}, {"type": "integer"}),
    "max-length-decreased": ({"type": "string", "maxLength": 10}, {"type": "string", "maxLength": 5}),
    "max-length-increased": ({"type": "string", "maxLength": 5}, {"type": "string", "maxLength": 10}),
    "min-length-increased": ({"type": "string", "minLength": 1}, {"type": "string", "minLength": 5}),
    "min-length-decreased": ({"type": "string", "minLength": 5}, {"type": "string", "minLength": 1}),
    "min-items-increased": ({"type": "array", "minItems": 0}, {"type": "array", "minItems": 2}),
    "min-items-decreased": ({"type": "array", "minItems": 2}, {"type": "array", "minItems": 0}),
    "max-items-decreased": ({"type": "array", "maxItems": 9}, {"type": "array", "maxItems": 3}),
    "max-items-increased": ({"type": "array", "maxItems": 3}, {"type": "array", "maxItems": 9}),
    "pattern-added": ({"type": "string"}, {"type": "string", "pattern": "^a"}),
    "pattern-changed": ({"type": "string", "pattern": "^a"}, {"type": "string", "pattern": "^b"}),
    "pattern-removed": ({"type": "string", "pattern": "^a"}, {"type": "string"}),
    "became-nullable": ({"type": "string"}, {"type": ["string", "null"]}),
    "became-not-nullable": ({"type": ["string", "null"]}, {"type": "string"}),
    "any-of-added": ({"anyOf": [{"type": "string"}]}, {"anyOf": [{"type": "string"}, {"type": "integer"}]}),
    "any-of-removed": ({"anyOf": [{"type": "string"}, {"type": "integer"}]}, {"anyOf": [{"type": "string"}]}),
    "one-of-added": ({"oneOf": [{"type": "string"}]}, {"oneOf": [{"type": "string"}, {"type": "integer"}]}),
    "one-of-removed": ({"oneOf": [{"type": "string"}, {"type": "integer"}]}, {"oneOf": [{"type": "string"}]}),
    "all-of-added": ({"allOf": [{"type": "string"}]}, {"allOf": [{"type": "string"}, {"minLength": 1}]}),
    "all-of-removed": ({"allOf": [{"type": "string"}, {"minLength": 1}]}, {"allOf": [{"type": "string"}]}),
}


def _place(doc: Doc, side: str, schema: dict[str, Any]) -> None:
    """Put ``schema`` where ``side`` compares values."""
    if side == "request-property":
        doc["components"]["schemas"]["Change"]["properties"]["probe"] = schema
    elif side == "response-property":
        doc["components"]["schemas"]["Item"]["properties"]["probe"] = schema
    elif side == "request-parameter":
        next(p for p in _op(doc, "/items/{id}", "get")["parameters"] if p["name"] == "probe")["schema"] = schema
    elif side == "request-body":
        _op(doc, "/probe", "post")["requestBody"]["content"]["application/json"]["schema"] = schema
    else:
        _op(doc, "/probe", "post")["responses"]["200"]["content"]["application/json"]["schema"] = schema


def pairs() -> dict[str, tuple[Doc, Doc]]:
    """rule id -> (base, revision)."""
    found: dict[str, tuple[Doc, Doc]] = {}
    for rule_id, mutate in CASES.items():
        before, after = base(), base()
        mutate(after)
        found[rule_id] = (before, after)
    for rule_id, mutate in REVERSED.items():
        before, after = base(), base()
        mutate(before)
        found[rule_id] = (before, after)
    for side in ("request-property", "request-parameter", "request-body", "response-property", "response-body"):
        for change, (old, new) in SCHEMA_CHANGES.items():
            before, after = base(), base()
            _place(before, side, copy.deepcopy(old))
            _place(after, side, copy.deepcopy(new))
            found[f"{side}-{change}"] = (before, after)
    return found
