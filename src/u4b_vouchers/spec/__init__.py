"""Loading the OpenAPI description and reading what the project keeps in it.

Public surface: :class:`Spec`, :func:`load_spec`, :func:`default_spec_path`, the rule model
(:class:`Rule`, :class:`Outcome`, :class:`Citation`, :func:`parse_rules`, :data:`BASES`), the
documents citations name and citations as text with their titles (:func:`document_titles`,
:func:`cite`, :class:`CitationText`, :func:`named_documents`), the
registry of rule kinds (:data:`KINDS` of :class:`Kind`), rule targets (:func:`target_schema`),
ISO 8601 durations (:func:`parse_duration`), the examples walk (:func:`iter_examples`) and
:class:`SchemaValidator`; how untrusted files are read (:func:`read_text`, :func:`parse`,
:func:`parse_json`: bounded) and where a ``$ref`` may lead (:class:`RefPolicy`,
:func:`referenced_files`, :func:`spec_validator` with :func:`policy_reader`), and the
opt-in :class:`Fetcher` for http(s) references (:data:`REMOTE_REFS_FLAG`).
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._files import default_spec_path, openapi_dir
    from .attribution import RuleAttribution, SchemaFailure, field_path
    from .citations import (
        DOCUMENTS_KEY,
        CitationText,
        NamedDocument,
        cite,
        cite_all,
        cite_grouped,
        document_titles,
        named_documents,
    )
    from .closure import iter_refs, referenced_files
    from .document import HTTP_METHODS, Operation, Spec
    from .durations import Duration, parse_duration, shift
    from .errors import SpecError
    from .examples import Example, iter_examples
    from .kinds import KINDS, Kind, Parameter, combine_rankings
    from .loader import load_document
    from .pointer import escape, join, resolve
    from .reading import MAX_BYTES, MAX_DEPTH, MAX_EXPANDED_NODES, decode, parse, parse_json, read_text
    from .refs import REF, Location, RefPolicy, inside, is_remote, refused, remote_target
    from .remote import FLAG as REMOTE_REFS_FLAG
    from .remote import Fetcher, is_web_url
    from .requests import RequestBodyValidator, Violation
    from .rules import ALL_OPERATIONS, BASES, IMPLIED, OPEN, RULES_KEY, STATED, Citation, Outcome, Rule, parse_rules
    from .structure import policy_reader, spec_validator
    from .targets import target_schema
    from .validation import SchemaValidator
    from .version import NOT_OPENAPI, openapi_version

#: Where each exported name lives (module of this package, name there). The modules are
#: imported on first use of one of their names: the command line starts without
#: jsonschema, openapi-spec-validator or httpx unless a command needs them.
_EXPORTS: dict[str, tuple[str, str]] = {
    "default_spec_path": ("_files", "default_spec_path"),
    "openapi_dir": ("_files", "openapi_dir"),
    "RuleAttribution": ("attribution", "RuleAttribution"),
    "SchemaFailure": ("attribution", "SchemaFailure"),
    "field_path": ("attribution", "field_path"),
    "DOCUMENTS_KEY": ("citations", "DOCUMENTS_KEY"),
    "CitationText": ("citations", "CitationText"),
    "NamedDocument": ("citations", "NamedDocument"),
    "cite": ("citations", "cite"),
    "cite_all": ("citations", "cite_all"),
    "cite_grouped": ("citations", "cite_grouped"),
    "document_titles": ("citations", "document_titles"),
    "named_documents": ("citations", "named_documents"),
    "iter_refs": ("closure", "iter_refs"),
    "referenced_files": ("closure", "referenced_files"),
    "HTTP_METHODS": ("document", "HTTP_METHODS"),
    "Operation": ("document", "Operation"),
    "Spec": ("document", "Spec"),
    "Duration": ("durations", "Duration"),
    "parse_duration": ("durations", "parse_duration"),
    "shift": ("durations", "shift"),
    "SpecError": ("errors", "SpecError"),
    "Example": ("examples", "Example"),
    "iter_examples": ("examples", "iter_examples"),
    "KINDS": ("kinds", "KINDS"),
    "Kind": ("kinds", "Kind"),
    "Parameter": ("kinds", "Parameter"),
    "combine_rankings": ("kinds", "combine_rankings"),
    "load_document": ("loader", "load_document"),
    "escape": ("pointer", "escape"),
    "join": ("pointer", "join"),
    "resolve": ("pointer", "resolve"),
    "MAX_BYTES": ("reading", "MAX_BYTES"),
    "MAX_DEPTH": ("reading", "MAX_DEPTH"),
    "MAX_EXPANDED_NODES": ("reading", "MAX_EXPANDED_NODES"),
    "decode": ("reading", "decode"),
    "parse": ("reading", "parse"),
    "parse_json": ("reading", "parse_json"),
    "read_text": ("reading", "read_text"),
    "REF": ("refs", "REF"),
    "Location": ("refs", "Location"),
    "RefPolicy": ("refs", "RefPolicy"),
    "inside": ("refs", "inside"),
    "is_remote": ("refs", "is_remote"),
    "refused": ("refs", "refused"),
    "remote_target": ("refs", "remote_target"),
    "REMOTE_REFS_FLAG": ("remote", "FLAG"),
    "Fetcher": ("remote", "Fetcher"),
    "is_web_url": ("remote", "is_web_url"),
    "RequestBodyValidator": ("requests", "RequestBodyValidator"),
    "Violation": ("requests", "Violation"),
    "ALL_OPERATIONS": ("rules", "ALL_OPERATIONS"),
    "BASES": ("rules", "BASES"),
    "IMPLIED": ("rules", "IMPLIED"),
    "OPEN": ("rules", "OPEN"),
    "RULES_KEY": ("rules", "RULES_KEY"),
    "STATED": ("rules", "STATED"),
    "Citation": ("rules", "Citation"),
    "Outcome": ("rules", "Outcome"),
    "Rule": ("rules", "Rule"),
    "parse_rules": ("rules", "parse_rules"),
    "policy_reader": ("structure", "policy_reader"),
    "spec_validator": ("structure", "spec_validator"),
    "target_schema": ("targets", "target_schema"),
    "SchemaValidator": ("validation", "SchemaValidator"),
    "NOT_OPENAPI": ("version", "NOT_OPENAPI"),
    "openapi_version": ("version", "openapi_version"),
}


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(import_module(f".{module}", __name__), attribute)
    globals()[name] = value
    return value


def load_spec(
    path: str | Path | None = None, ref_root: str | Path | None = None, fetcher: Fetcher | None = None
) -> Spec:
    """Load ``path``, or the project's own description when ``path`` is None; ``$ref``s may
    name files under ``ref_root`` (default: the description's folder), and http(s) URLs
    when a ``fetcher`` is given."""
    from ._files import default_spec_path
    from .document import Spec

    return Spec.load(path if path is not None else default_spec_path(), ref_root, fetcher)


__all__ = [
    "ALL_OPERATIONS",
    "BASES",
    "DOCUMENTS_KEY",
    "HTTP_METHODS",
    "IMPLIED",
    "KINDS",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_EXPANDED_NODES",
    "NOT_OPENAPI",
    "OPEN",
    "REF",
    "REMOTE_REFS_FLAG",
    "RULES_KEY",
    "STATED",
    "Citation",
    "CitationText",
    "Duration",
    "Example",
    "Fetcher",
    "Kind",
    "Location",
    "NamedDocument",
    "Operation",
    "Outcome",
    "Parameter",
    "RefPolicy",
    "RequestBodyValidator",
    "Rule",
    "RuleAttribution",
    "SchemaFailure",
    "SchemaValidator",
    "Spec",
    "SpecError",
    "Violation",
    "cite",
    "cite_all",
    "cite_grouped",
    "combine_rankings",
    "decode",
    "default_spec_path",
    "document_titles",
    "escape",
    "field_path",
    "inside",
    "is_remote",
    "is_web_url",
    "iter_examples",
    "iter_refs",
    "join",
    "load_document",
    "load_spec",
    "named_documents",
    "openapi_dir",
    "openapi_version",
    "parse",
    "parse_duration",
    "parse_json",
    "parse_rules",
    "policy_reader",
    "read_text",
    "referenced_files",
    "refused",
    "remote_target",
    "resolve",
    "shift",
    "spec_validator",
    "target_schema",
]
