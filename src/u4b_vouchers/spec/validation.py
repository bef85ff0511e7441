"""Validate an instance against any schema inside a description (JSON Schema 2020-12)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT202012

from .document import Spec
from .errors import SpecError
from .loader import load_document
from .refs import RefPolicy
from .remote import Fetcher, is_web_url

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

#: ``type: integer`` as a JSON integer: ``1.0`` and ``-0.0`` are numbers, not integers (plain
#: JSON Schema 2020-12 takes them).
_WRITTEN_INTEGERS = Draft202012Validator.TYPE_CHECKER.redefine(
    "integer", lambda _checker, value: isinstance(value, int) and not isinstance(value, bool)
)
_StrictIntegers = validators.extend(Draft202012Validator, type_checker=_WRITTEN_INTEGERS)  # type: ignore[no-untyped-call]


class SchemaValidator:
    """Validates values against schemas addressed by their JSON pointer in the description.

    Local ``$ref``s inside those schemas resolve against the whole description, and formats
    (``email``, ``uuid``, ...) are checked.
    """

    def __init__(self, spec: Spec, *, strict_integers: bool = False):
        """``strict_integers``: ``type: integer`` takes only integers as written (no ``1.0``)."""
        self._class: Any = _StrictIntegers if strict_integers else Draft202012Validator
        resource = Resource.from_contents(spec.data, default_specification=DRAFT202012)
        # A description read from a file is known by the file's URI, so that relative $refs to
        # other files (``schemas.yaml#/Pet``) resolve next to it.
        self._base = spec.base_uri or (spec.path.resolve().as_uri() if spec.path.is_file() else BASE_URI)
        refs, fetcher = spec.refs, spec.fetcher

        def retrieve(uri: str) -> Resource[Any]:
            return _retrieve_file(uri, refs, fetcher)

        known = [
            (uri, Resource.from_contents(data, default_specification=DRAFT202012))
            for uri, data in spec.documents.items()
            if uri != self._base
        ]
        self._registry: Registry[Any] = (
            Registry(retrieve=retrieve)  # type: ignore[call-arg]
            .with_resources(known)
            .with_resource(self._base, resource)
        )
        self._validators: dict[str, Draft202012Validator] = {}

    def validator(self, schema_pointer: str) -> Draft202012Validator:
        cached = self._validators.get(schema_pointer)
        if cached is None:
            cached = self._class(
                {"$ref": self._base + schema_pointer},
                registry=self._registry,
                format_checker=FORMATS,
            )
            self._validators[schema_pointer] = cached
        return cached

    def inline(self, schema: Any) -> Draft202012Validator:
        """A validator for a schema taken out of the description (its local refs still work)."""
        validator: Draft202012Validator = self._class(
            _absolute_refs(schema, self._base),
            registry=self._registry,
            format_checker=FORMATS,
        )
        return validator

    def errors(self, schema_pointer: str, value: Any) -> Iterator[ValidationError]:
        yield from self.validator(schema_pointer).iter_errors(value)

    def is_valid(self, schema_pointer: str, value: Any) -> bool:
        return bool(self.validator(schema_pointer).is_valid(value))


def _absolute_refs(node: Any, base: str) -> Any:
    """A copy of ``node`` whose refs point into the description's resource (``#/...``) or
    next to its file (``other.yaml#/...``)."""
    if isinstance(node, dict):
        return {
            key: (_absolute(value, base) if key == "$ref" and isinstance(value, str) else _absolute_refs(value, base))
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_absolute_refs(item, base) for item in node]
    return node


def _absolute(ref: str, base: str) -> str:
    if ref.startswith("#"):
        return base + ref
    return urljoin(base, ref) if base.startswith("file:") else ref


def _retrieve_file(uri: str, refs: RefPolicy | None, fetcher: Fetcher | None = None) -> Resource[Any]:
    """Another file of a description, for a relative ``$ref``: only a ``file:`` URI the
    description's reference policy admits (never a special file or one outside), or an
    http(s) URL through the policy's fetcher when the user opted in."""
    if fetcher is not None and is_web_url(uri):
        try:
            return Resource.from_contents(fetcher.fetch(uri), default_specification=DRAFT202012)
        except SpecError:
            raise NoSuchResource(ref=uri) from None  # type: ignore[call-arg]
    if refs is None or not uri.startswith("file:"):
        raise NoSuchResource(ref=uri)  # type: ignore[call-arg]  # attrs-made __init__
    path = Path(url2pathname(urlsplit(uri).path))
    if refs.why_not(path) is not None:
        raise NoSuchResource(ref=uri)  # type: ignore[call-arg]
    try:
        data = load_document(path).data
    except SpecError:
        raise NoSuchResource(ref=uri) from None  # type: ignore[call-arg]
    return Resource.from_contents(data, default_specification=DRAFT202012)
