"""Replaying recorded traffic against a description: which real exchanges would it reject?

Recordings are the cassettes ``u4b-vouchers check --report-dir`` writes (``cassette.json``)
and HAR 1.2 files (``traffic.har`` of ``check`` and ``proxy``, or any other tool's HAR: a file
is HAR by its content, ``{"log": {"entries": [...]}}``, whatever its name); a folder stands
for every ``cassette*.json`` and ``*.har`` under it, so a report folder (or a folder of them)
can be given as it is.
A response is judged on its status, media type and body; a request only when the server
accepted it (2xx), since the suites also record requests sent to be refused. A request no
operation of the revision describes is a rejection unless the server refused it (4xx), or it
went to the description's OAuth token URL (a proxy records the client's token requests).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from ..reporting import HarError, read_har
from ..spec import Fetcher, Spec, SpecError, is_web_url, join, load_spec, parse_json, read_text
from .load import GIT_PREFIX, SourceError
from .load import load as load_source

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
CASSETTES = "cassette*.json"
HARS = "*.har"
#: What ``check --report-dir`` names its recordings.
CHECK_CASSETTE, CHECK_HAR = "cassette.json", "traffic.har"


class RecordingError(Exception):
    """A recording cannot be read (one line)."""


@dataclass(frozen=True)
class Interaction:
    source: str
    index: int
    method: str
    url: str
    request_body: str | None
    status: int
    response_headers: dict[str, str]
    response_body: str


@dataclass(frozen=True)
class Rejection:
    interaction: Interaction
    operation: str
    side: str  # request or response
    reason: str

    def as_dict(self) -> dict[str, Any]:
        i = self.interaction
        return {
            "source": i.source,
            "index": i.index,
            "method": i.method,
            "url": i.url,
            "status": i.status,
            "operation": self.operation,
            "side": self.side,
            "reason": self.reason,
        }


def load_description(spec: str, ref_root: str | Path | None = None, fetcher: Fetcher | None = None) -> Spec:
    """A revision to judge by: a file, or ``git:REF:path`` as ``diff`` takes it; ``$ref``s
    only to files under ``ref_root`` (default: its folder), and to http(s) URLs only through
    ``fetcher``."""
    if not spec.startswith(GIT_PREFIX):
        return load_spec(spec, ref_root, fetcher)
    try:
        document = load_source(spec, ref_root, fetcher)
    except SourceError as exc:
        raise SpecError(str(exc)) from None
    files = {git_uri(path): data for path, data in document.source.cache.items() if not is_web_url(path)}
    return Spec.from_data(document.data, spec, fetcher, git_uri(document.root_path), files)


def git_uri(path: str) -> str:
    """A URI standing for a file of a git revision, so that relative ``$ref``s between its
    files resolve (only files already read are ever known by it)."""
    return "file:///" + quote(path)


def recording_files(paths: list[Path]) -> list[Path]:
    """Files as given; folders searched for ``cassette*.json`` and ``*.har`` (other reports beside
    them are not recordings; a ``traffic.har`` beside a ``cassette.json`` is the same run's
    traffic, read once, from the cassette)."""
    files: list[Path] = []
    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        cassettes = set(path.rglob(CASSETTES))
        hars = {
            har
            for har in path.rglob(HARS)
            # check --report-dir writes its traffic twice, as cassette.json and traffic.har: once is enough
            if not (har.name == CHECK_HAR and (har.parent / CHECK_CASSETTE) in cassettes)
        }
        found = sorted(cassettes | hars)
        if not found:
            raise RecordingError(
                f"{path}: no {CASSETTES} or {HARS} in this folder (check --report-dir writes cassette.json)"
            )
        files += found
    return files


def _har_interactions(file: Path, data: Any) -> list[Interaction]:
    try:
        exchanges = read_har(data)
    except HarError as exc:
        raise RecordingError(f"{file}: not a valid HAR: {exc}") from None
    return [
        Interaction(
            source=str(file),
            index=index,
            method=e.method,
            url=e.url,
            request_body=e.request_body,
            status=e.status,
            response_headers={k.lower(): v for k, v in e.response_headers.items()},
            response_body=e.response_body,
        )
        for index, e in enumerate(exchanges)
    ]


def load_recordings(paths: list[Path]) -> list[Interaction]:
    found: list[Interaction] = []
    for file in recording_files(paths):
        try:
            data = parse_json(read_text(file), str(file))
        except SpecError as exc:
            message = str(exc).replace(": no such file", ": no such recording")
            raise RecordingError(message.replace(": not JSON (", ": not a recording (")) from None
        if isinstance(data, dict) and "log" in data:
            found += _har_interactions(file, data)
            continue
        interactions = data.get("interactions") if isinstance(data, dict) else None
        if not isinstance(interactions, list):
            raise RecordingError(
                f'{file}: expected {{"interactions": [...]}} (a cassette written by check --report-dir) '
                'or {"log": {"entries": [...]}} (HAR)'
            )
        for index, item in enumerate(interactions):
            try:
                found.append(
                    Interaction(
                        source=str(file),
                        index=index,
                        method=str(item["method"]).upper(),
                        url=str(item["url"]),
                        request_body=item["request"].get("body"),
                        status=int(item["response"]["status"]),
                        response_headers={k.lower(): v for k, v in (item["response"].get("headers") or {}).items()},
                        response_body=item["response"].get("body") or "",
                    )
                )
            except (KeyError, TypeError, ValueError, AttributeError):
                raise RecordingError(f"{file}: interaction {index} lacks method, url, request or response") from None
    return found


def token_paths(spec: Spec) -> frozenset[str]:
    """The paths of the description's OAuth 2.0 token and refresh URLs (its security schemes' flows)."""
    schemes = (spec.data.get("components") or {}).get("securitySchemes") or {}
    paths = set()
    for scheme in schemes.values() if isinstance(schemes, dict) else ():
        flows = scheme.get("flows") if isinstance(scheme, dict) else None
        for flow in flows.values() if isinstance(flows, dict) else ():
            for key in ("tokenUrl", "refreshUrl"):
                url = flow.get(key) if isinstance(flow, dict) else None
                if isinstance(url, str) and url:
                    paths.add(urlsplit(url).path or "/")
    return frozenset(paths)


class Judge:
    """What one description says of recorded exchanges."""

    def __init__(self, spec: Spec):
        from ..spec import SchemaValidator  # jsonschema: imported only when recordings are judged

        self.spec = spec
        self.validator = SchemaValidator(spec)
        self.routes: list[tuple[str, re.Pattern[str], Any]] = []
        for op in spec.operations():
            pattern = re.compile("^" + re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(op.path)) + "$")
            self.routes.append((op.method.upper(), pattern, op))
        self.token_paths = token_paths(spec)

    def operation(self, method: str, path: str) -> Any:
        for route_method, pattern, op in self.routes:
            if route_method == method and pattern.search(path):
                return op
        return None

    def judge(self, interaction: Interaction) -> list[tuple[str, str, str]]:
        """(operation, side, reason) for each way the description rejects the exchange."""
        if interaction.status == 0:
            return []  # no answer came (a browser's canceled request, a client's timeout): nothing to judge
        path = urlsplit(interaction.url).path
        op = self.operation(interaction.method, path) or next(
            (
                self.operation(interaction.method, path[i:])
                for i in range(1, len(path))
                if path[i] == "/" and self.operation(interaction.method, path[i:])
            ),
            None,
        )
        if op is None and path in self.token_paths:
            return []  # the OAuth flow the description points to (a proxy's HAR holds it), no operation of it
        if op is None:
            # A request no operation describes (Schemathesis's TRACE probe, a path of no operation)
            # that the server refused is what the revision implies; one it answered otherwise is not.
            if 400 <= interaction.status < 500:
                return []
            return [("", "request", f"no operation for {interaction.method} {path}")]
        label = f"{op.method.upper()} {op.path}"
        problems: list[tuple[str, str, str]] = []
        responses = {str(k): v for k, v in (op.raw.get("responses") or {}).items()}
        status = str(interaction.status)
        key = (
            status
            if status in responses
            else f"{status[0]}XX"
            if f"{status[0]}XX" in responses
            else "default"
            if "default" in responses
            else None
        )
        if key is None:
            problems.append((label, "response", f"status {status} is not documented"))
        else:
            problems += [
                (label, "response", r)
                for r in self._body(responses[key], interaction, [*self._base(op), "responses", key])
            ]
        if 200 <= interaction.status < 300 and interaction.request_body:
            problems += [(label, "request", r) for r in self._request(op, interaction)]
        return problems

    def _base(self, op: Any) -> list[str]:
        return ["paths", op.path, op.method]

    def _body(self, response: Any, interaction: Interaction, tokens: list[str]) -> list[str]:
        if isinstance(response, dict) and "$ref" in response:
            tokens = response["$ref"].lstrip("#/").split("/")
            response = self.spec.resolve(response["$ref"])
        content = (response or {}).get("content") or {}
        if not content or not interaction.response_body:
            return []
        media = interaction.response_headers.get("content-type", "").split(";")[0].strip()
        if media not in content:
            return [f"media type {media or '(none)'} is not documented for status {interaction.status}"]
        if "schema" not in content[media] or "json" not in media:
            return []
        try:
            body = json.loads(interaction.response_body)
        except ValueError:
            return ["the body is not JSON"]
        except RecursionError:
            return ["the body is nested too deeply to judge"]
        pointer = join([*tokens, "content", media, "schema"])
        return [
            f"body: {e.message} (at /{'/'.join(map(str, e.absolute_path))})"
            for e in list(self.validator.errors(pointer, body))[:3]
        ]

    def _request(self, op: Any, interaction: Interaction) -> list[str]:
        body_spec = self.spec.deref(op.raw.get("requestBody") or {})
        content = body_spec.get("content") or {}
        if "application/json" not in content or interaction.request_body is None:
            return []
        try:
            body = json.loads(interaction.request_body)
        except (ValueError, RecursionError):
            return []
        pointer = join([*self._base(op), "requestBody", "content", "application/json", "schema"])
        if "$ref" in (op.raw.get("requestBody") or {}):
            ref = op.raw["requestBody"]["$ref"].lstrip("#/").split("/")
            pointer = join([*ref, "content", "application/json", "schema"])
        return [f"request body: {e.message}" for e in list(self.validator.errors(pointer, body))[:3]]


def replay(interactions: list[Interaction], revision: Spec, base: Spec | None = None) -> list[Rejection]:
    """Exchanges ``revision`` rejects (and, with ``base``, only those ``base`` accepted)."""
    judge_revision = Judge(revision)
    judge_base = Judge(base) if base is not None else None
    rejected = []
    for interaction in interactions:
        problems = judge_revision.judge(interaction)
        if problems and judge_base is not None and judge_base.judge(interaction):
            continue  # already rejected before the revision
        rejected += [Rejection(interaction, operation, side, reason) for operation, side, reason in problems]
    return rejected
