"""Every example in a description, paired with the schema it must satisfy."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .document import Spec
from .pointer import join


@dataclass(frozen=True)
class Example:
    """``value`` at ``pointer`` must validate against the schema at ``schema_pointer``."""

    pointer: str
    schema_pointer: str
    value: Any


def _media_examples(spec: Spec, media: dict[str, Any], tokens: list[str]) -> Iterator[Example]:
    if "schema" not in media:
        return
    schema_pointer = join([*tokens, "schema"])
    if "example" in media:
        yield Example(join([*tokens, "example"]), schema_pointer, media["example"])
    for name, raw in (media.get("examples") or {}).items():
        example = spec.deref(raw)
        if isinstance(example, dict) and "value" in example:
            yield Example(join([*tokens, "examples", name, "value"]), schema_pointer, example["value"])


def _content_examples(spec: Spec, holder: dict[str, Any], tokens: list[str]) -> Iterator[Example]:
    for media_type, media in (holder.get("content") or {}).items():
        yield from _media_examples(spec, media, [*tokens, "content", media_type])


def _walk_schema_examples(node: Any, tokens: list[str]) -> Iterator[Example]:
    """Schema-level ``examples`` arrays (JSON Schema 2020-12), wherever schemas nest."""
    if isinstance(node, dict):
        examples = node.get("examples")
        is_schema = any(key in node for key in ("type", "$ref", "enum", "const", "properties"))
        if is_schema and isinstance(examples, list):
            for index, value in enumerate(examples):
                yield Example(join([*tokens, "examples", str(index)]), join(tokens), value)
        for key, value in node.items():
            if key != "examples":
                yield from _walk_schema_examples(value, [*tokens, key])
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk_schema_examples(value, [*tokens, str(index)])


def iter_examples(spec: Spec) -> Iterator[Example]:
    """Media-type, parameter and schema examples, in document order within each kind."""
    data = spec.data
    components = data.get("components") or {}
    for name, body in (components.get("requestBodies") or {}).items():
        yield from _content_examples(spec, body, ["components", "requestBodies", name])
    for name, response in (components.get("responses") or {}).items():
        yield from _content_examples(spec, response, ["components", "responses", name])
    for name, param in (components.get("parameters") or {}).items():
        tokens = ["components", "parameters", name]
        if "example" in param and "schema" in param:
            yield Example(join([*tokens, "example"]), join([*tokens, "schema"]), param["example"])
    for op in spec.operations():
        base = ["paths", op.path, op.method]
        body = op.raw.get("requestBody")
        if isinstance(body, dict) and "$ref" not in body:
            yield from _content_examples(spec, body, [*base, "requestBody"])
        for status, response in (op.raw.get("responses") or {}).items():
            if isinstance(response, dict) and "$ref" not in response:
                yield from _content_examples(spec, response, [*base, "responses", str(status)])
        for index, param in enumerate(op.raw.get("parameters") or []):
            if "example" in param and "schema" in param:
                tokens = [*base, "parameters", str(index)]
                yield Example(join([*tokens, "example"]), join([*tokens, "schema"]), param["example"])
    yield from _walk_schema_examples(data, [])
