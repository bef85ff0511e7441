"""openapi-spec-validator, with every ``$ref`` it follows read through a callback the caller
bounds by its reference policy (the library would otherwise open any URL or file)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .loader import load_document
from .refs import URL_REFUSED, RefPolicy, refused
from .remote import is_web_url

if TYPE_CHECKING:
    from openapi_spec_validator.validation.validators import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    Validator = OpenAPIV30SpecValidator | OpenAPIV31SpecValidator

Read = Callable[[str], Any]


class _EveryScheme(dict[str, Read]):
    """The resolver's table of handlers, one per URI scheme: ours answers for every scheme,
    so the library never falls back to ``urlopen``."""

    def __init__(self, read: Read):
        super().__init__()
        self._read = read

    def __contains__(self, scheme: object) -> bool:
        return True

    def __getitem__(self, scheme: str) -> Read:
        return self._read


def keys_as_text(node: Any) -> Any:
    """``node`` with every mapping key a string: YAML reads ``200:`` as the integer 200, which
    OpenAPI means as the status code "200" (the validator refuses keys that are not strings)."""
    if isinstance(node, dict):
        return {k if isinstance(k, str) else _key_text(k): keys_as_text(v) for k, v in node.items()}
    if isinstance(node, list):
        return [keys_as_text(item) for item in node]
    return node


def _key_text(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    return "null" if key is None else str(key)


def spec_validator(data: dict[str, Any], base_uri: str, read: Read) -> Validator:
    """A validator for ``data`` (3.1 when its ``openapi`` says so, 3.0 otherwise) whose
    reference resolver reads only through ``read(uri)``; keys YAML read as numbers are taken as
    the text they were written as."""
    # Imported here: openapi-spec-validator takes longer to import than a small diff takes to run.
    from openapi_spec_validator.validation.validators import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    base = OpenAPIV31SpecValidator if str(data.get("openapi", "")).startswith("3.1") else OpenAPIV30SpecValidator
    guarded = type(base.__name__, (base,), {"resolver_handlers": _EveryScheme(lambda uri: keys_as_text(read(uri)))})
    validator: Validator = guarded(keys_as_text(data), base_uri=base_uri)
    return validator


def policy_reader(refs: RefPolicy | None) -> Read:
    """A ``read(uri)`` for :func:`spec_validator`: a ``file:`` URI the policy admits, parsed
    as every description file is, or an http(s) URL through the policy's fetcher; anything
    else refused before it is opened."""

    def read(uri: str) -> Any:
        from urllib.request import url2pathname  # urllib.request imports http.client, email...: not at start-up

        if refs is not None and refs.fetcher is not None and is_web_url(uri):
            return refs.fetch(uri)
        if refs is None or urlsplit(uri).scheme != "file":
            raise refused(uri, "", URL_REFUSED)
        path = Path(url2pathname(urlsplit(uri).path))
        reason = refs.why_not(path)
        if reason is not None:
            raise refused(uri, "", reason)
        return load_document(path).data

    return read
