"""Fixture pairs for the gate's rules, read from ``tests/diff/pairs/*.yaml``.

Each entry names a rule and a change that must be reported under it, in one of two forms:

- ``at`` (a place: request-body, request-property, response-body, response-property,
  query-parameter, header-parameter, path-parameter, response-header) with ``before`` and
  ``after`` schemas, put at that place in a small standard description;
- ``base`` and ``revision``: two whole descriptions (``openapi`` and ``info`` may be left out).

``also`` lists rules the same change may also report as breaking (the test otherwise insists the
rule's change is the only breaking one). ``config`` (optional) gives fields of the run's
``DiffConfig`` (deprecation days, a pinned ``today``).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

PAIRS_DIR = Path(__file__).parent / "pairs"
Doc = dict[str, Any]


def standard() -> Doc:
    """A small description with one request body, one response body and parameters."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Pairs", "version": "1"},
        "paths": {
            "/items/{id}": {
                "post": {
                    "operationId": "postItem",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                        {"name": "q", "in": "query", "schema": {"type": "string"}},
                        {"name": "X-H", "in": "header", "schema": {"type": "string"}},
                    ],
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"type": "object", "properties": {"p": {"type": "string"}}}}
                        }
                    },
                    "responses": {
                        "200": {
                            "description": "ok",
                            "headers": {"X-R": {"schema": {"type": "string"}}},
                            "content": {
                                "application/json": {
                                    "schema": {"type": "object", "properties": {"p": {"type": "string"}}}
                                }
                            },
                        }
                    },
                }
            }
        },
    }


def place(doc: Doc, at: str, schema: Any) -> Doc:
    op = doc["paths"]["/items/{id}"]["post"]
    params = {p["in"]: p for p in op["parameters"]}
    if at == "request-body":
        op["requestBody"]["content"]["application/json"]["schema"] = schema
    elif at == "request-property":
        op["requestBody"]["content"]["application/json"]["schema"]["properties"]["p"] = schema
    elif at == "response-body":
        op["responses"]["200"]["content"]["application/json"]["schema"] = schema
    elif at == "response-property":
        op["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["p"] = schema
    elif at in ("query-parameter", "header-parameter", "path-parameter"):
        params[at.partition("-")[0]]["schema"] = schema
    elif at == "response-header":
        op["responses"]["200"]["headers"]["X-R"]["schema"] = schema
    else:
        raise ValueError(f"unknown place {at!r}")
    return doc


@dataclass
class Pair:
    rule: str
    base: Doc
    revision: Doc
    also: set[str] = field(default_factory=set)
    source: str = ""
    config: dict[str, Any] = field(default_factory=dict)


def _whole(doc: Doc) -> Doc:
    return {"openapi": "3.1.0", "info": {"title": "Pairs", "version": "1"}, "paths": {}, **doc}


def load_pairs() -> list[Pair]:
    found = []
    for file in sorted(PAIRS_DIR.glob("*.yaml")):
        for n, entry in enumerate(yaml.safe_load(file.read_text(encoding="utf-8")) or []):
            source = f"{file.name}[{n}]"
            if "at" in entry:
                base = place(standard(), entry["at"], copy.deepcopy(entry["before"]))
                revision = place(standard(), entry["at"], copy.deepcopy(entry["after"]))
            else:
                base, revision = _whole(entry["base"]), _whole(entry["revision"])
            also = set(entry.get("also") or [])
            found.append(Pair(entry["rule"], base, revision, also, source, dict(entry.get("config") or {})))
    return found
