"""The control plane's own description, ``openapi/emulator-control.yaml``, as a validator.

Control bodies, query parameters and seeds are checked against its schemas, so their types and
bounds are stated once, there. A failure is one short line naming the field.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

from jsonschema.exceptions import ValidationError, best_match

from ..spec import SchemaValidator, Spec, escape, openapi_dir

CONTROL_SPEC = "emulator-control.yaml"
#: How much of a refused value a message may quote.
QUOTED = 80


@lru_cache(maxsize=1)
def control_spec() -> Spec:
    return Spec.load(openapi_dir() / CONTROL_SPEC)


@lru_cache(maxsize=1)
def _validator() -> SchemaValidator:
    return SchemaValidator(control_spec(), strict_integers=True)


def schema_pointer(name: str) -> str:
    return f"#/components/schemas/{escape(name)}"


def schema_of(name: str) -> dict[str, Any]:
    """A component schema, as written (for bounds the code needs as numbers)."""
    schema: dict[str, Any] = control_spec().data["components"]["schemas"][name]
    return schema


def parameter_schema(path: str, method: str, name: str) -> tuple[str, dict[str, Any]]:
    """The pointer to, and the schema of, parameter ``name`` of ``method path``."""
    spec = control_spec()
    for index, written in enumerate(spec.data["paths"][path][method]["parameters"]):
        parameter = spec.deref(written)
        if parameter.get("name") == name:
            base = written["$ref"] if "$ref" in written else f"#/paths/{escape(path)}/{method}/parameters/{index}"
            return f"{base}/schema", parameter["schema"]
    raise KeyError(f"{method.upper()} {path} has no parameter {name!r}")


def _where(error: ValidationError) -> str:
    """``programs[0].starts_at``: where in the value the error is."""
    where = ""
    for part in error.absolute_path:
        where += f"[{part}]" if isinstance(part, int) else f".{part}" if where else str(part)
    return where or "the body"


def _message(error: ValidationError) -> str:
    expected: Any = error.validator_value
    if error.validator == "required" and isinstance(error.instance, dict):
        return "missing " + ", ".join(str(k) for k in expected if k not in error.instance)
    if error.validator == "type" and expected in ("object", "array"):
        return "expected a mapping" if expected == "object" else "expected a list"
    if error.validator == "enum":
        names = [str(part) for part in error.absolute_path if isinstance(part, str)]
        allowed = ", ".join(str(v) for v in expected if v is not None)
        return f"unknown {names[-1] if names else 'value'} {_quoted(error.instance)} (one of {allowed})"
    described = error.validator in ("oneOf", "anyOf", "pattern")
    if described and isinstance(error.schema, dict) and "description" in error.schema:
        text = str(error.schema["description"])
        return f"{_quoted(error.instance)} is not {text[0].lower()}{text[1:]}"
    return _shortened(error.message)


def _quoted(value: Any) -> str:
    return _shortened(repr(value))


def _shortened(text: str) -> str:
    return text if len(text) <= QUOTED else text[: QUOTED - 3] + "..."


def problem(pointer: str, value: Any) -> str | None:
    """Why ``value`` breaks the schema at ``pointer`` (one line), or None when it is valid."""
    if not _finite(value):
        return "numbers must be finite"
    error = best_match(_validator().validator(pointer).iter_errors(value))
    return None if error is None else f"{_where(error)}: {_message(error)}"


def _finite(value: Any) -> bool:
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, float) and not math.isfinite(node):
            return False
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return True
