"""Loading the OpenAPI description and reading what the project keeps in it.

Public surface: :class:`Spec`, :func:`load_spec`, :func:`default_spec_path`, the rule model
(:class:`Rule`, :class:`Outcome`, :class:`Citation`, :func:`parse_rules`, :data:`BASES`), the
registry of rule kinds (:data:`KINDS` of :class:`Kind`), rule targets (:func:`target_schema`),
ISO 8601 durations (:func:`parse_duration`), the examples walk (:func:`iter_examples`) and
:class:`SchemaValidator`.
"""

from __future__ import annotations

from pathlib import Path

from ._files import default_spec_path, openapi_dir
from .attribution import RuleAttribution, SchemaFailure, field_path
from .document import HTTP_METHODS, Operation, Spec
from .durations import Duration, parse_duration, shift
from .errors import SpecError
from .examples import Example, iter_examples
from .kinds import KINDS, Kind, Parameter, combine_rankings
from .loader import load_document
from .pointer import escape, join, resolve
from .requests import RequestBodyValidator, Violation
from .rules import ALL_OPERATIONS, BASES, IMPLIED, OPEN, RULES_KEY, STATED, Citation, Outcome, Rule, parse_rules
from .targets import target_schema
from .validation import SchemaValidator


def load_spec(path: str | Path | None = None) -> Spec:
    """Load ``path``, or the project's own description when ``path`` is None."""
    return Spec.load(path if path is not None else default_spec_path())


__all__ = [
    "ALL_OPERATIONS",
    "BASES",
    "HTTP_METHODS",
    "IMPLIED",
    "KINDS",
    "OPEN",
    "RULES_KEY",
    "STATED",
    "Citation",
    "Duration",
    "Example",
    "Kind",
    "Operation",
    "Outcome",
    "Parameter",
    "RequestBodyValidator",
    "Rule",
    "RuleAttribution",
    "SchemaFailure",
    "SchemaValidator",
    "Spec",
    "SpecError",
    "Violation",
    "combine_rankings",
    "default_spec_path",
    "escape",
    "field_path",
    "iter_examples",
    "join",
    "load_document",
    "load_spec",
    "openapi_dir",
    "parse_duration",
    "parse_rules",
    "resolve",
    "shift",
    "target_schema",
]
