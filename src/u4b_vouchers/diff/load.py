"""Descriptions to compare: from a file or from git (``git:REF:path``), with ``$ref``s resolved
across files on demand."""

from __future__ import annotations

import json
import posixpath
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from openapi_spec_validator.validation.validators import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

from ..spec import resolve as resolve_pointer

GIT_PREFIX = "git:"


class SourceError(Exception):
    """A description cannot be read or is not an OpenAPI 3.0/3.1 document (one line)."""


#: libyaml's composer recurses in C with no depth check: tens of thousands of nested levels
#: overflow the stack and kill the process. Documents that might nest this deep are read with
#: the pure-Python loader instead, which stops at Python's recursion limit with an error.
C_LOADER_MAX_DEPTH = 10_000
_BRACKETS = re.compile(r"[\[\]{}]")


def _depth_bound(text: str) -> int:
    """An upper bound of the nesting depth: flow brackets open at once, plus twice the longest
    line (block nesting costs a line at least one character of indentation or ``- `` per two
    levels)."""
    depth = deepest = 0
    for match in _BRACKETS.finditer(text):
        depth = depth + 1 if match.group() in "[{" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    return deepest + 2 * max((len(line) for line in text.split("\n")), default=0)


def _parse(text: str, where: str) -> Any:
    try:
        if text.lstrip().startswith("{"):
            try:
                return json.loads(text)  # JSON is YAML too, and parses a hundred times faster
            except ValueError:
                pass
        loader = _FastLoader if _depth_bound(text) < C_LOADER_MAX_DEPTH else yaml.SafeLoader
        return yaml.load(text, Loader=loader)
    except RecursionError:
        raise SourceError(f"{where}: nested too deeply to read") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise SourceError(f"{where}{line}: invalid YAML or JSON") from None


class _FastLoader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """libyaml when available: large descriptions load several times faster."""


@dataclass
class Source:
    """Where files come from: the file system, or one git revision."""

    git_ref: str | None = None
    cache: dict[str, Any] = field(default_factory=dict)

    def read(self, path: str) -> Any:
        if path in self.cache:
            return self.cache[path]
        shown = f"{GIT_PREFIX}{self.git_ref}:{path}" if self.git_ref else path
        if self.git_ref is None:
            try:
                text = Path(path).read_text(encoding="utf-8")
            except FileNotFoundError:
                raise SourceError(f"{shown}: no such file") from None
            except (OSError, UnicodeDecodeError) as exc:
                raise SourceError(f"{shown}: cannot read ({exc})") from None
        else:
            result = subprocess.run(
                ["git", "show", f"{self.git_ref}:{path}"], capture_output=True, text=True, check=False
            )
            if result.returncode != 0:
                reason = (result.stderr.strip().splitlines() or ["git show failed"])[-1]
                raise SourceError(f"{shown}: {reason}")
            text = result.stdout
        data = _parse(text, shown)
        self.cache[path] = data
        return data


@dataclass
class Document:
    """One description: its root file's data, and a resolver for ``$ref``s."""

    name: str
    root_path: str
    data: dict[str, Any]
    source: Source

    def resolve(self, node: Any, base: str | None = None) -> tuple[Any, str]:
        """Follow ``$ref``s from ``node`` (in file ``base``); returns the target and its file."""
        base = base or self.root_path
        seen: set[tuple[str, str]] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            target_file, _, fragment = ref.partition("#")
            path = posixpath.normpath(posixpath.join(posixpath.dirname(base), target_file)) if target_file else base
            if (path, fragment) in seen:
                return node, base  # a cycle of refs: stop
            seen.add((path, fragment))
            data = self.source.read(path) if path != self.root_path else self.data
            try:
                node = resolve_pointer(data, "#" + fragment) if fragment else data
            except KeyError:
                raise SourceError(f"{self.name}: $ref {ref!r} points nowhere") from None
            base = path
        return node, base


def load(spec: str) -> Document:
    """``spec`` is a file path or ``git:REF:path`` (for example ``git:origin/main:openapi/vouchers.yaml``)."""
    if spec.startswith(GIT_PREFIX):
        ref, sep, path = spec[len(GIT_PREFIX) :].rpartition(":")
        if not sep or not ref or not path:
            raise SourceError(f"{spec}: expected git:REF:path")
        source = Source(git_ref=ref)
    else:
        path, source = spec, Source()
    data = source.read(path)
    if not isinstance(data, dict):
        raise SourceError(f"{spec}: not an OpenAPI document (the top level is not a mapping)")
    version = str(data.get("openapi", ""))
    if not (version.startswith("3.0") or version.startswith("3.1")):
        raise SourceError(f"{spec}: not an OpenAPI 3.0 or 3.1 document (openapi: {version or 'missing'})")
    if not isinstance(data.get("paths", {}), dict):
        raise SourceError(f"{spec}: paths must be a mapping")
    return Document(name=spec, root_path=path, data=data, source=source)


def validate(document: Document) -> None:
    """Full OpenAPI validation (openapi-spec-validator); SourceError with the first problem."""
    version = str(document.data.get("openapi", ""))
    validator = OpenAPIV31SpecValidator if version.startswith("3.1") else OpenAPIV30SpecValidator
    try:
        error = next(iter(validator(document.data).iter_errors()), None)
    except Exception as exc:
        raise SourceError(f"{document.name}: not a valid OpenAPI document: {exc}".splitlines()[0]) from None
    if error is not None:
        where = "/".join(str(p) for p in getattr(error, "absolute_path", []))
        raise SourceError(
            f"{document.name}: not a valid OpenAPI document: {getattr(error, 'message', error)}"
            + (f" (at {where})" if where else "")
        )
