"""Descriptions to compare: from a file or from git (``git:REF:path``), with ``$ref``s resolved
across files on demand, each file read bounded and admitted by the spec's reference policy."""

from __future__ import annotations

import posixpath
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from ..spec import (
    MAX_BYTES,
    Fetcher,
    RefPolicy,
    SpecError,
    decode,
    inside,
    is_remote,
    is_web_url,
    iter_refs,
    openapi_version,
    parse,
    policy_reader,
    read_text,
    referenced_files,
    refused,
    remote_target,
    spec_validator,
)
from ..spec import resolve as resolve_pointer

GIT_PREFIX = "git:"
#: ``git show`` of one file should take well under a second; a stuck one is stopped.
GIT_TIMEOUT_SECONDS = 60


class SourceError(Exception):
    """A description cannot be read or is not an OpenAPI 3.0/3.1 document (one line)."""


def _parse(text: str, where: str) -> Any:
    try:
        return parse(text, where)
    except SpecError as exc:
        raise SourceError(str(exc)) from None


@dataclass
class Source:
    """Where files come from: the file system (``$ref``s only under ``refs.root``), or one git
    revision (``$ref``s only under the folder ``git_root`` of that revision); http(s) URLs
    too when ``fetcher`` is set (the user opted in)."""

    git_ref: str | None = None
    refs: RefPolicy | None = None
    git_root: str = ""
    fetcher: Fetcher | None = None
    cache: dict[str, Any] = field(default_factory=dict)

    def shown(self, path: str) -> str:
        return f"{GIT_PREFIX}{self.git_ref}:{path}" if self.git_ref and not is_web_url(path) else path

    def locate(self, ref: str, holder: str) -> str:
        """The file (or URL) a reference with a file part names, as the policy admits it."""
        target_file, _, _ = ref.partition("#")
        try:
            url = remote_target(ref, self.shown(holder), self.fetcher)
        except SpecError as exc:
            raise SourceError(str(exc)) from None
        if url is not None:
            return url
        if self.git_ref is None:
            assert self.refs is not None
            try:
                return str(self.refs.target(ref, holder))
            except SpecError as exc:
                raise SourceError(str(exc)) from None
        if is_remote(ref):
            raise SourceError(str(refused(ref, self.shown(holder), "a URL (only files of the revision are read)")))
        path = posixpath.normpath(posixpath.join(posixpath.dirname(holder), target_file))
        if not inside(path, self.git_root):
            root = self.git_root or "the repository's top folder"
            raise SourceError(str(refused(ref, self.shown(holder), f"outside {root} (use --ref-root to widen)")))
        return path

    def read(self, path: str) -> Any:
        if path in self.cache:
            return self.cache[path]
        shown = self.shown(path)
        if is_web_url(path):
            try:
                data = RefPolicy(Path("/"), self.fetcher).fetch(path)
            except SpecError as exc:
                raise SourceError(str(exc)) from None
            self.cache[path] = data
            return data
        if self.git_ref is None:
            try:
                text = read_text(path, shown=shown)
            except SpecError as exc:
                raise SourceError(str(exc)) from None
        else:
            text = _git_show(self.git_ref, path, shown)
        data = _parse(text, shown)
        self.cache[path] = data
        return data


def _git_show(ref: str, path: str, shown: str) -> str:
    """``git show REF:path``, with nothing taken as an option and the output bounded."""
    if ref.startswith("-") or path.startswith("-"):
        raise SourceError(f"{shown}: a git revision or path may not start with '-'")
    try:
        result = subprocess.run(
            ["git", "show", "--end-of-options", f"{ref}:{path}"],
            capture_output=True,
            check=False,
            timeout=GIT_TIMEOUT_SECONDS,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SourceError(f"{shown}: git show failed ({exc.__class__.__name__})") from None
    if result.returncode != 0:
        stderr = result.stderr.decode("utf-8", "replace")
        reason = (stderr.strip().splitlines() or ["git show failed"])[-1]
        raise SourceError(f"{shown}: {reason}")
    if len(result.stdout) > MAX_BYTES:
        raise SourceError(f"{shown}: larger than {MAX_BYTES} bytes")
    try:
        return decode(result.stdout, shown)
    except SpecError as exc:
        raise SourceError(str(exc)) from None


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
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            return node, base  # by far the most common case: keep it cheap
        seen: set[tuple[str, str]] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            target_file, _, fragment = ref.partition("#")
            path = self.source.locate(ref, base) if target_file or is_remote(ref) else base
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

    def check_references(self) -> None:
        """Every file the description reaches, each admitted by the policy before it is read."""
        if self.source.git_ref is None:
            assert self.source.refs is not None
            try:
                referenced_files(self.root_path, self.data, self.source.refs, lambda file: self.source.read(str(file)))
            except SpecError as exc:
                raise SourceError(str(exc)) from None
            return
        queue, done = [self.root_path], {self.root_path}
        while queue:
            holder = queue.pop()
            for ref in iter_refs(self.data if holder == self.root_path else self.source.read(holder)):
                if ref.startswith("#"):
                    continue
                target = self.source.locate(ref, holder)
                if target not in done:
                    done.add(target)
                    self.source.read(target)
                    queue.append(target)


def load(spec: str, ref_root: str | Path | None = None, fetcher: Fetcher | None = None) -> Document:
    """``spec`` is a file path or ``git:REF:path`` (for example ``git:origin/main:openapi/vouchers.yaml``).

    ``$ref``s may name files under ``ref_root`` (default: the description's folder; in a git
    revision, a folder of that revision), never a special file, and http(s) URLs only
    through ``fetcher`` (None: every URL is refused).
    """
    if spec.startswith(GIT_PREFIX):
        ref, sep, path = spec[len(GIT_PREFIX) :].rpartition(":")
        if not sep or not ref or not path:
            raise SourceError(f"{spec}: expected git:REF:path")
        if ref.startswith("-") or path.startswith("-"):
            raise SourceError(f"{spec}: a git revision or path may not start with '-'")
        root = posixpath.normpath(str(ref_root)) if ref_root is not None else posixpath.dirname(path)
        source = Source(git_ref=ref, git_root="" if root == "." else root, fetcher=fetcher)
    else:
        try:
            path, source = spec, Source(refs=RefPolicy.beside(spec, ref_root, fetcher), fetcher=fetcher)
        except SpecError as exc:
            raise SourceError(str(exc)) from None
    data = source.read(path)
    try:
        openapi_version(data)
    except SpecError as exc:
        raise SourceError(f"{spec}: {exc}") from None
    if not isinstance(data.get("paths", {}), dict):
        raise SourceError(f"{spec}: paths must be a mapping")
    document = Document(name=spec, root_path=path, data=data, source=source)
    document.check_references()
    return document


def _reader(document: Document) -> tuple[str, Any]:
    """(base URI, ``read(uri)``) for openapi-spec-validator, under the document's policy."""
    source = document.source
    if source.git_ref is None:
        return Path(document.root_path).resolve().as_uri(), policy_reader(source.refs)

    def read(uri: str) -> Any:
        parts = urlsplit(uri)
        if source.fetcher is not None and is_web_url(uri):
            return source.read(uri.partition("#")[0])
        if parts.scheme != "file" or parts.netloc:
            raise SourceError(str(refused(uri, document.name, "a URL (only files of the revision are read)")))
        path = unquote(parts.path).lstrip("/")
        if not inside(path, source.git_root):
            raise SourceError(str(refused(uri, document.name, "outside the revision's folder")))
        return source.read(path)

    return "file:///" + quote(document.root_path), read


def validate(document: Document) -> None:
    """Full OpenAPI validation (openapi-spec-validator); SourceError with the first problem.
    Its reference resolver reads only what the document's policy admits."""
    base_uri, read = _reader(document)
    try:
        error = next(iter(spec_validator(document.data, base_uri, read).iter_errors()), None)
    except Exception as exc:
        raise SourceError(f"{document.name}: not a valid OpenAPI document: {_short(str(exc))}") from None
    if error is not None:
        where = "/".join(str(p) for p in getattr(error, "absolute_path", []))
        raise SourceError(
            f"{document.name}: not a valid OpenAPI document: {_short(str(getattr(error, 'message', error)))}"
            + (f" (at {_short(where)})" if where else "")
        )


#: The validator quotes whole instances in its messages; a message is cut to this many characters.
MESSAGE_CHARS = 300


def _short(message: str) -> str:
    """The first line of ``message``, at most :data:`MESSAGE_CHARS` long."""
    line = (message.splitlines() or [""])[0]
    return line if len(line) <= MESSAGE_CHARS else line[:MESSAGE_CHARS] + "..."
