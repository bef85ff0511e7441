"""Loading the OpenAPI description and reading what the project keeps in it.

Public surface: :class:`Spec`, :func:`load_spec`, :func:`default_spec_path`, the rule model
(:class:`Rule`, :class:`Outcome`, :class:`Citation`, :func:`parse_rules`), the examples walk
(:func:`iter_examples`) and :class:`SchemaValidator`.
"""

from __future__ import annotations

from pathlib import Path

from ._files import default_spec_path, openapi_dir
from .document import HTTP_METHODS, Operation, Spec
from .errors import SpecError
from .examples import Example, iter_examples
from .requests import RequestBodyValidator, Violation
from .rules import Citation, Outcome, Rule, parse_rules
from .validation import SchemaValidator


def load_spec(path: str | Path | None = None) -> Spec:
    """Load ``path``, or the project's own description when ``path`` is None."""
    return Spec.load(path if path is not None else default_spec_path())


__all__ = [
    "HTTP_METHODS",
    "Citation",
    "Example",
    "Operation",
    "Outcome",
    "RequestBodyValidator",
    "Rule",
    "SchemaValidator",
    "Spec",
    "SpecError",
    "Violation",
    "default_spec_path",
    "iter_examples",
    "load_spec",
    "openapi_dir",
    "parse_rules",
]
