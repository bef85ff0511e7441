"""Which documents are OpenAPI 3.0/3.1 descriptions: the one test every command applies to its
input before it reads it as one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import pointer as jp
from .errors import SpecError

SUPPORTED = ("3.0", "3.1")
NOT_OPENAPI = "not an OpenAPI 3.0/3.1 document"


def openapi_version(data: Any, path: str | None = None, line_of: Callable[[str], int | None] | None = None) -> str:
    """The ``openapi`` version of ``data`` when it is an OpenAPI 3.0 or 3.1 document; otherwise
    a one-line :class:`SpecError`: a top level that is not a mapping, no ``openapi`` key, a
    Swagger 2.0 file, another version. ``line_of(pointer)`` (a loaded document's) adds the line
    of the ``openapi`` key to the error."""
    if not isinstance(data, dict):
        raise SpecError(f"{NOT_OPENAPI} (the top level is not a mapping)", path=path)
    if "openapi" not in data:
        what = f"Swagger {data['swagger']}" if "swagger" in data else "no openapi key"
        raise SpecError(f"{NOT_OPENAPI} ({what})", path=path)
    version = str(data["openapi"])
    if not version.startswith(SUPPORTED):
        line = line_of(jp.join(["openapi"])) if line_of is not None else None
        raise SpecError(f"{NOT_OPENAPI} (openapi: {version})", path=path, line=line)
    return version
