"""Validate an instance against any schema inside a description (JSON Schema 2020-12)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from .document import Spec

BASE_URI = "urn:u4b-vouchers:spec"

#: JSON Schema 2020-12's formats plus OpenAPI's integer widths: an ``int64`` (or ``int32``)
#: outside its range is invalid, as it would be for any service that stores the value.
FORMATS = FormatChecker(Draft202012Validator.FORMAT_CHECKER.checkers)


def _in_range(bits: int) -> Any:
    low, high = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1

    def check(value: object) -> bool:
        return not isinstance(value, int) or isinstance(value, bool) or low <= value <= high

    return check


FORMATS.checks("int64")(_in_range(64))
FORMATS.checks("int32")(_in_range(32))


class SchemaValidator:
    """Validates values against schemas addressed by their JSON pointer in the description.

    Local ``$ref``s inside those schemas resolve against the whole description, and formats
    (``email``, ``uuid``, ...) are checked.
    """

    def __init__(self, spec: Spec):
        resource = Resource.from_contents(spec.data, default_specification=DRAFT202012)
        self._registry: Registry[Any] = Registry().with_resource(BASE_URI, resource)
        self._validators: dict[str, Draft202012Validator] = {}

    def validator(self, schema_pointer: str) -> Draft202012Validator:
        cached = self._validators.get(schema_pointer)
        if cached is None:
            cached = Draft202012Validator(
                {"$ref": BASE_URI + schema_pointer},
                registry=self._registry,
                format_checker=FORMATS,
            )
            self._validators[schema_pointer] = cached
        return cached

    def inline(self, schema: Any) -> Draft202012Validator:
        """A validator for a schema taken out of the description (its local refs still work)."""
        return Draft202012Validator(
            _absolute_refs(schema),
            registry=self._registry,
            format_checker=FORMATS,
        )

    def errors(self, schema_pointer: str, value: Any) -> Iterator[ValidationError]:
        yield from self.validator(schema_pointer).iter_errors(value)

    def is_valid(self, schema_pointer: str, value: Any) -> bool:
        return bool(self.validator(schema_pointer).is_valid(value))


def _absolute_refs(node: Any) -> Any:
    """A copy of ``node`` whose ``#/...`` refs point into the description's resource."""
    if isinstance(node, dict):
        return {
            key: (
                BASE_URI + value
                if key == "$ref" and isinstance(value, str) and value.startswith("#")
                else _absolute_refs(value)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_absolute_refs(item) for item in node]
    return node
