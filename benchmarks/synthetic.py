"""A large synthetic OpenAPI 3.1 description (thousands of operations, several MB), built in
memory: benchmarks and tests never fetch a real one."""

from __future__ import annotations

import copy
import random
from typing import Any


def _schema(rng: random.Random, depth: int = 0) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for i in range(rng.randint(4, 9)):
        kind = rng.choice(
            ["string", "integer", "number", "boolean", "enum", "array", "object"]
            if depth < 2
            else ["string", "integer", "enum"]
        )
        if kind == "enum":
            props[f"field_{i}"] = {
                "type": "string",
                "enum": [f"V{j}" for j in range(rng.randint(2, 6))],
                "description": "an enumerated field " * 3,
            }
        elif kind == "array":
            props[f"field_{i}"] = {"type": "array", "maxItems": rng.randint(5, 50), "items": _schema(rng, depth + 1)}
        elif kind == "object":
            props[f"field_{i}"] = _schema(rng, depth + 1)
        elif kind == "integer":
            props[f"field_{i}"] = {
                "type": "integer",
                "minimum": 0,
                "maximum": rng.randint(10, 10_000),
                "description": "a bounded count",
            }
        else:
            props[f"field_{i}"] = {
                "type": kind,
                "description": "a plain field of the synthetic API, described at some length",
            }
    return {"type": "object", "required": sorted(rng.sample(sorted(props), k=2)), "properties": props}


def build(operations: int = 3000, seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    schemas = {f"Model{i}": _schema(rng) for i in range(operations // 4)}
    paths: dict[str, Any] = {}
    for i in range(operations // 2):
        model = f"Model{rng.randrange(len(schemas))}"
        path = f"/v1/resources{i}/{{id}}"
        paths[path] = {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {
                "operationId": f"get{i}",
                "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{model}"}}},
                    },
                    "404": {"description": "missing"},
                },
            },
            "patch": {
                "operationId": f"update{i}",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{model}"}}},
                },
                "responses": {"204": {"description": "done"}, "400": {"description": "invalid"}},
            },
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Synthetic", "version": "1"},
        "security": [{"oauth": ["read"]}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "oauth": {
                    "type": "oauth2",
                    "flows": {"clientCredentials": {"tokenUrl": "https://auth.example/token", "scopes": {"read": "r"}}},
                }
            },
        },
    }


def revise(doc: dict[str, Any], changes: int = 200, seed: int = 11) -> dict[str, Any]:
    """A revision with ``changes`` assorted edits (some breaking)."""
    rng = random.Random(seed)
    revised = copy.deepcopy(doc)
    names = sorted(revised["components"]["schemas"])
    for _ in range(changes):
        schema = revised["components"]["schemas"][rng.choice(names)]
        field = rng.choice(sorted(schema["properties"]))
        prop = schema["properties"][field]
        action = rng.randrange(4)
        if action == 0 and "maximum" in prop:
            prop["maximum"] = max(1, prop["maximum"] // 2)
        elif action == 1 and "enum" in prop:
            prop["enum"] = prop["enum"] + ["NEW"]
        elif action == 2:
            schema["required"] = sorted({*schema["required"], field})
        else:
            prop["description"] = "changed text"
    for path in rng.sample(sorted(revised["paths"]), k=min(10, len(revised["paths"]))):
        del revised["paths"][path]
    return revised
