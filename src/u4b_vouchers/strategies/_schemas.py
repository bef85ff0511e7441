"""The pieces: scalars, formats, arrays, objects, composition, conditionals."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from ..spec import SchemaValidator, Spec

Schema = dict[str, Any]
MAX_INT64 = 2**63 - 1
MAX_INT32 = 2**31 - 1

#: Keys of names for undocumented extra fields (D-024: schemas stay open).
extra_keys = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=3, max_size=12).map(lambda s: f"x_{s}")


def _resolve(spec: Spec, schema: Any) -> Schema:
    """Follow ``$ref`` and merge its sibling keywords (3.1 allows both)."""
    resolved: Schema = dict(schema) if isinstance(schema, dict) else {}
    while "$ref" in resolved:
        target: Schema = dict(spec.resolve(resolved.pop("$ref")))
        resolved = {**target, **resolved}
    return resolved


def integers(schema: Schema) -> st.SearchStrategy[int]:
    bound = MAX_INT32 if schema.get("format") == "int32" else MAX_INT64
    low = schema.get("minimum", -bound)
    high = schema.get("maximum", bound)
    return st.integers(min_value=int(low), max_value=int(high))


def numbers(schema: Schema) -> st.SearchStrategy[float]:
    return st.floats(
        min_value=schema.get("minimum"),
        max_value=schema.get("maximum"),
        allow_nan=False,
        allow_infinity=False,
        width=64,
    )


def strings(schema: Schema) -> st.SearchStrategy[str]:
    fmt = schema.get("format")
    if fmt == "email":
        return st.emails()
    if fmt == "uuid":
        return st.uuids().map(str)
    if "pattern" in schema:
        return st.from_regex(str(schema["pattern"]), fullmatch=True)
    return st.text(min_size=int(schema.get("minLength", 0)), max_size=30)


def arrays(spec: Spec, schema: Schema) -> st.SearchStrategy[list[Any]]:
    items = values(spec, schema.get("items", {}))
    return st.lists(
        items,
        min_size=int(schema.get("minItems", 0)),
        max_size=max(int(schema.get("minItems", 0)), 4),
    )


@st.composite
def objects(draw: st.DrawFn, spec: Spec, schema: Schema) -> dict[str, Any]:
    properties: dict[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", []))
    result: dict[str, Any] = {}
    for name, sub in properties.items():
        if name in required or draw(st.booleans()):
            result[name] = draw(values(spec, sub))
    for name in required - set(result):
        result[name] = draw(values(spec, {}))
    if schema.get("additionalProperties", True) is not False and draw(st.integers(0, 4)) == 0:
        result[draw(extra_keys)] = draw(st.text(max_size=10))
    return result


def _merge(base: Schema, extra: Schema) -> Schema:
    merged = {**base, **{k: v for k, v in extra.items() if k not in ("properties", "required")}}
    if "properties" in base or "properties" in extra:
        props = dict(base.get("properties", {}))
        for name, sub in extra.get("properties", {}).items():
            props[name] = {"allOf": [props[name], sub]} if name in props else sub
        merged["properties"] = props
    if "required" in base or "required" in extra:
        merged["required"] = sorted({*base.get("required", []), *extra.get("required", [])})
    return merged


def _flatten(spec: Spec, schema: Schema) -> Schema:
    """Fold plain ``allOf`` members (and nested refs) into one schema, keeping conditionals."""
    schema = _resolve(spec, schema)
    conditionals = [m for m in schema.get("allOf", []) if "if" in m]
    flat = {k: v for k, v in schema.items() if k != "allOf"}
    for member in schema.get("allOf", []):
        if "if" not in member:
            flat = _merge(flat, _flatten(spec, member))
    if conditionals:
        flat["x-conditionals"] = conditionals
    return flat


@st.composite
def conditional_objects(draw: st.DrawFn, spec: Spec, schema: Schema) -> dict[str, Any]:
    """An object, then every ``if`` that holds gets its ``then`` made true."""
    validator = SchemaValidator(spec)
    conditionals = schema["x-conditionals"]
    result: dict[str, Any] = draw(objects(spec, {k: v for k, v in schema.items() if k != "x-conditionals"}))
    for member in conditionals:
        if not validator.inline(member["if"]).is_valid(result):
            continue
        then = member.get("then", {})
        for name in then.get("required", []):
            wanted = then.get("properties", {}).get(name, {})
            if name not in result or not validator.inline(wanted).is_valid(result[name]):
                base = schema.get("properties", {}).get(name, {})
                result[name] = draw(values(spec, {"allOf": [base, wanted]}))
    return result


def values(spec: Spec, schema: Any) -> st.SearchStrategy[Any]:
    """Values for one schema (not yet filtered by the validator)."""
    flat = _flatten(spec, schema)
    if "const" in flat:
        return st.just(flat["const"])
    if "enum" in flat:
        return st.sampled_from(flat["enum"])
    if "anyOf" in flat or "oneOf" in flat:
        branches = flat.get("anyOf") or flat.get("oneOf") or []
        base = {k: v for k, v in flat.items() if k not in ("anyOf", "oneOf")}
        return st.one_of(*(values(spec, _merge(base, _flatten(spec, b))) for b in branches))
    kinds = flat.get("type")
    if isinstance(kinds, list):
        return st.one_of(*(values(spec, {**flat, "type": kind}) for kind in kinds))
    if kinds == "object" or "properties" in flat:
        return conditional_objects(spec, flat) if "x-conditionals" in flat else objects(spec, flat)
    if kinds == "array":
        return arrays(spec, flat)
    if kinds == "integer":
        return integers(flat)
    if kinds == "number":
        return numbers(flat)
    if kinds == "string":
        return strings(flat)
    if kinds == "boolean":
        return st.booleans()
    return st.none() | st.booleans() | st.integers() | st.text(max_size=10)


def valid_values(spec: Spec, pointer: str) -> st.SearchStrategy[Any]:
    """Values the description's schema at ``pointer`` accepts."""
    validator = SchemaValidator(spec)
    return values(spec, spec.resolve(pointer)).filter(lambda value: validator.is_valid(pointer, value))
