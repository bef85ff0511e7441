"""Every ``x-`` extension the description uses is documented in extensions.md.

A specification extension is a key of an OpenAPI object that allows ``^x-`` fields (Info,
Operation, Parameter, Schema, Response, ...), never a name a user chose: a header, a
property, a path, a media type, a security scheme, an example in an ``examples`` map, or
anything inside a value (``example``, an Example's ``value``, ``default``, ``enum``,
``const``). The walk follows the document knowing which object each mapping is
(:data:`FIELDS`), so it never mistakes a name for an extension.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..spec import HTTP_METHODS, join
from .context import LintContext
from .findings import Finding
from .registry import check

HEADING = re.compile(r"^##\s+`(x-[A-Za-z0-9-]+)`", re.MULTILINE)
#: The project's own extensions: a description that uses one is written to this project's
#: conventions, so it needs an extensions.md (see :mod:`.applicability`).
PROJECT_PREFIX = "x-u4b-"

# How an object's field holds other objects: ``"Kind"`` one object (or, leniently, a list of
# them), ``"[Kind]"`` a list, ``"{Kind}"`` a map whose keys are names the user chose.
_SCHEMA = "Schema"
_SCHEMAS = "[Schema]"
_SCHEMA_MAP = "{Schema}"

#: The fields of each OpenAPI 3.0/3.1 object that hold other objects. A field not listed is a
#: value (a string, a number, an ``example``, an ``enum``): never walked into.
FIELDS: dict[str, dict[str, str]] = {
    "OpenAPI": {
        "info": "Info",
        "servers": "[Server]",
        "paths": "Paths",
        "webhooks": "{PathItem}",
        "components": "Components",
        "tags": "[Tag]",
        "externalDocs": "ExternalDocs",
    },
    "Info": {"contact": "Contact", "license": "License"},
    "Contact": {},
    "License": {},
    "Server": {"variables": "{ServerVariable}"},
    "ServerVariable": {},
    "Components": {
        "schemas": _SCHEMA_MAP,
        "responses": "{Response}",
        "parameters": "{Parameter}",
        "examples": "{Example}",
        "requestBodies": "{RequestBody}",
        "headers": "{Header}",
        "securitySchemes": "{SecurityScheme}",
        "links": "{Link}",
        "callbacks": "{Callback}",
        "pathItems": "{PathItem}",
    },
    "Paths": {},
    "PathItem": {
        **dict.fromkeys(HTTP_METHODS, "Operation"),
        "servers": "[Server]",
        "parameters": "[Parameter]",
    },
    "Operation": {
        "externalDocs": "ExternalDocs",
        "parameters": "[Parameter]",
        "requestBody": "RequestBody",
        "responses": "Responses",
        "callbacks": "{Callback}",
        "servers": "[Server]",
    },
    "ExternalDocs": {},
    "Parameter": {"schema": _SCHEMA, "content": "{MediaType}", "examples": "{Example}"},
    "Header": {"schema": _SCHEMA, "content": "{MediaType}", "examples": "{Example}"},
    "RequestBody": {"content": "{MediaType}"},
    "MediaType": {"schema": _SCHEMA, "examples": "{Example}", "encoding": "{Encoding}"},
    "Encoding": {"headers": "{Header}"},
    "Responses": {},
    "Response": {"headers": "{Header}", "content": "{MediaType}", "links": "{Link}"},
    "Callback": {},
    "Example": {},
    "Link": {"server": "Server"},
    "Tag": {"externalDocs": "ExternalDocs"},
    "SecurityScheme": {"flows": "OAuthFlows"},
    "OAuthFlows": dict.fromkeys(("implicit", "password", "clientCredentials", "authorizationCode"), "OAuthFlow"),
    "OAuthFlow": {},
    "Discriminator": {},
    "XML": {},
    "Schema": {
        **dict.fromkeys(("allOf", "anyOf", "oneOf", "prefixItems"), _SCHEMAS),
        **dict.fromkeys(
            (
                "not",
                "if",
                "then",
                "else",
                "items",
                "additionalItems",
                "additionalProperties",
                "unevaluatedItems",
                "unevaluatedProperties",
                "contains",
                "propertyNames",
                "contentSchema",
            ),
            _SCHEMA,
        ),
        **dict.fromkeys(("properties", "patternProperties", "$defs", "definitions", "dependentSchemas"), _SCHEMA_MAP),
        "discriminator": "Discriminator",
        "xml": "XML",
        "externalDocs": "ExternalDocs",
    },
}
#: Objects whose other keys are names (a path, a status code, a callback expression) of
#: objects of one kind; their ``x-`` keys are still extensions.
PATTERNED = {"Paths": "PathItem", "Responses": "Response", "Callback": "PathItem"}


@dataclass(frozen=True)
class Use:
    """One specification extension in the document: its key and where it is."""

    key: str
    pointer: str


def _walk(node: Any, kind: str, tokens: list[str]) -> Iterator[Use]:
    if kind.startswith("[") or kind.startswith("{"):
        inner = kind[1:-1]
        if kind.startswith("[") and isinstance(node, list):
            for index, item in enumerate(node):
                yield from _walk(item, inner, [*tokens, str(index)])
        elif kind.startswith("{") and isinstance(node, dict):
            for name, item in node.items():  # names the user chose: never extensions
                yield from _walk(item, inner, [*tokens, str(name)])
        return
    if isinstance(node, list):  # a lenient reading: ``items: [...]`` of older drafts, say
        for index, item in enumerate(node):
            yield from _walk(item, kind, [*tokens, str(index)])
        return
    if not isinstance(node, dict):
        return
    fields = FIELDS[kind]
    for raw_key, value in node.items():
        key = str(raw_key)
        if key.startswith("x-"):
            yield Use(key, join([*tokens, key]))  # its value is the extension's own: not walked
        elif key in fields:
            yield from _walk(value, fields[key], [*tokens, key])
        elif kind in PATTERNED:
            yield from _walk(value, PATTERNED[kind], [*tokens, key])


def extension_uses(data: Any) -> list[Use]:
    """Every specification extension of an OpenAPI document, in document order."""
    return list(_walk(data, "OpenAPI", []))


@check("extensions", "every x- extension used is documented in extensions.md")
def extensions(ctx: LintContext) -> Iterator[Finding]:
    first: dict[str, Use] = {}
    count: dict[str, int] = {}
    for use in extension_uses(ctx.spec.data):
        first.setdefault(use.key, use)
        count[use.key] = count.get(use.key, 0) + 1
    if not first:
        return
    if ctx.extensions_doc is None:
        use = next(iter(first.values()))
        keys = ", ".join(sorted(first))
        yield Finding(
            "extensions",
            "no-extensions-doc",
            f"the description uses {len(first)} x- extension(s) ({keys}) but has no extensions.md beside it",
            use.pointer,
            ctx.spec.line_of(use.pointer),
        )
        return
    documented = set(HEADING.findall(ctx.text(ctx.extensions_doc)))
    for key, use in sorted(first.items()):
        if key not in documented:
            times = f" (used {count[key]} times)" if count[key] > 1 else ""
            yield Finding(
                "extensions",
                "undocumented-extension",
                f"{key} is not documented in {ctx.extensions_doc.name}{times}",
                use.pointer,
                ctx.spec.line_of(use.pointer),
            )
