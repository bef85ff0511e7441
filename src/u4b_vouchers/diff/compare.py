"""Walking two descriptions: paths, operations, parameters, bodies, responses, security,
deprecation and the project's ``x-u4b-rules``."""

from __future__ import annotations

import re
from typing import Any

from .findings import Finding, ordered
from .load import Document
from .rules import BREAKING
from .schema import _escape, collect
from .xrules import compare_rules

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_PATH_PARAMETER = re.compile(r"\{([^}/]+)\}")


def _renamed_paths(base_paths: set[str], rev_paths: set[str]) -> dict[str, str]:
    """Revision paths that are a base path with its parameters renamed (``/a/{id}`` and
    ``/a/{itemId}`` are one URL), mapped to that base path; only unambiguous pairs."""

    def by_template(paths: set[str]) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        for path in sorted(paths):
            grouped.setdefault(_PATH_PARAMETER.sub("{}", path), []).append(path)
        return grouped

    gone, new = by_template(base_paths - rev_paths), by_template(rev_paths - base_paths)
    return {
        revs[0]: gone[template][0]
        for template, revs in new.items()
        if len(revs) == 1 and len(gone.get(template, [])) == 1
    }


def _operations(doc: Document) -> dict[tuple[str, str], tuple[dict[str, Any], dict[str, Any]]]:
    found = {}
    for path, raw in (doc.data.get("paths") or {}).items():
        item, _ = doc.resolve(raw)
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            if isinstance(item.get(method), dict):
                found[(path, method)] = (item[method], item)
    return found


def _parameters(
    doc: Document, op: dict[str, Any], item: dict[str, Any], renamed: dict[str, str] | None = None
) -> dict[tuple[str, str], dict[str, Any]]:
    """Parameters by (in, name); ``renamed`` gives path parameters the base's names."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for raw in [*(item.get("parameters") or []), *(op.get("parameters") or [])]:
        param, _ = doc.resolve(raw)
        if isinstance(param, dict):
            name = str(param.get("name", ""))
            if renamed and param.get("in") == "path":
                name = renamed.get(name, name)
            merged[(str(param.get("in", "")), name.lower() if param.get("in") == "header" else name)] = param
    return merged


def _security(doc: Document, op: dict[str, Any]) -> list[dict[str, frozenset[str]]]:
    requirements = op.get("security", doc.data.get("security")) or []
    return [
        {name: frozenset(scopes or []) for name, scopes in req.items()} for req in requirements if isinstance(req, dict)
    ]


class Differ:
    def __init__(self, base: Document, rev: Document):
        self.base, self.rev = base, rev
        self.findings: list[Finding] = []

    def add(self, rule: str, operation: str, location: str, message: str) -> None:
        self.findings.append(Finding(rule, operation, location, message))

    def run(self) -> list[Finding]:
        base_ops, rev_ops = _operations(self.base), _operations(self.rev)
        base_paths = {path for path, _ in base_ops}
        renamed = _renamed_paths(base_paths, {path for path, _ in rev_ops})
        names: dict[str, dict[str, str]] = {}  # base path -> {revision's parameter name: base's}
        for rev_path, base_path in sorted(renamed.items()):
            names[base_path] = dict(
                zip(_PATH_PARAMETER.findall(rev_path), _PATH_PARAMETER.findall(base_path), strict=True)
            )
            changed = [f"{{{b}}} -> {{{r}}}" for r, b in names[base_path].items() if r != b]
            self.add(
                "request-path-parameter-renamed",
                base_path,
                f"#/paths/{_escape(rev_path)}",
                f"path {base_path} is now written {rev_path}: {', '.join(changed)}",
            )
        rev_ops = {(renamed.get(path, path), method): value for (path, method), value in rev_ops.items()}
        rev_paths = {path for path, _ in rev_ops}
        for path in sorted(base_paths - rev_paths):
            ops = [op for (p, _), (op, _) in base_ops.items() if p == path]
            deprecated = all(op.get("deprecated") for op in ops)
            rule = "api-path-removed" if deprecated else "api-path-removed-without-deprecation"
            self.add(rule, path, f"#/paths/{_escape(path)}", f"path {path} removed")
        for key in sorted(set(base_ops) | set(rev_ops)):
            path, method = key
            label = f"{method.upper()} {path}"
            pointer = f"#/paths/{_escape(path)}/{method}"
            if key not in rev_ops:
                if path in rev_paths:
                    deprecated = bool(base_ops[key][0].get("deprecated"))
                    self.add(
                        "endpoint-removed" if deprecated else "api-removed-without-deprecation",
                        label,
                        pointer,
                        f"{label} removed",
                    )
                continue
            if key not in base_ops:
                self.add("endpoint-added", label, pointer, f"{label} added")
                continue
            self.operation(label, pointer, base_ops[key], rev_ops[key], names.get(path))
        self.security_components()
        self.rules()
        return ordered(self.findings)

    # -------------------------------------------------------------- one operation

    def operation(
        self,
        label: str,
        pointer: str,
        base: tuple[dict[str, Any], dict[str, Any]],
        rev: tuple[dict[str, Any], dict[str, Any]],
        renamed: dict[str, str] | None = None,
    ) -> None:
        (b_op, b_item), (r_op, r_item) = base, rev
        if bool(b_op.get("deprecated")) != bool(r_op.get("deprecated")):
            rule = "endpoint-deprecated" if r_op.get("deprecated") else "endpoint-reactivated"
            self.add(
                rule,
                label,
                f"{pointer}/deprecated",
                f"{label} {'deprecated' if r_op.get('deprecated') else 'no longer deprecated'}",
            )
        b_id, r_id = b_op.get("operationId"), r_op.get("operationId")
        if b_id and b_id != r_id:
            self.add(
                "api-operation-id-removed",
                label,
                f"{pointer}/operationId",
                f"operationId {b_id} {'renamed to ' + r_id if r_id else 'removed'}",
            )
        elif r_id and not b_id:
            self.add("api-operation-id-added", label, f"{pointer}/operationId", f"operationId {r_id} added")
        self.parameters(label, pointer, b_op, b_item, r_op, r_item, renamed)
        self.request_body(label, pointer, b_op, r_op)
        self.responses(label, pointer, b_op, r_op)
        self.security(label, pointer, b_op, r_op)

    def parameters(
        self,
        label: str,
        pointer: str,
        b_op: dict[str, Any],
        b_item: dict[str, Any],
        r_op: dict[str, Any],
        r_item: dict[str, Any],
        renamed: dict[str, str] | None = None,
    ) -> None:
        base, rev = _parameters(self.base, b_op, b_item), _parameters(self.rev, r_op, r_item, renamed)
        differ = collect(self.base, self.rev, label, True, self.findings)
        for key in sorted(set(base) | set(rev)):
            where, name = key
            at = f"{pointer}/parameters/{_escape(where)}.{_escape(name)}"
            b, r = base.get(key), rev.get(key)
            if b is None:
                assert r is not None
                required = bool(r.get("required")) or where == "path"
                self.add(
                    "new-required-request-parameter" if required else "new-optional-request-parameter",
                    label,
                    at,
                    f"{where} parameter {name} added",
                )
                continue
            if r is None:
                self.add("request-parameter-removed", label, at, f"{where} parameter {name} removed")
                continue
            if bool(b.get("required")) != bool(r.get("required")):
                rule = "request-parameter-became-required" if r.get("required") else "request-parameter-became-optional"
                self.add(
                    rule,
                    label,
                    at,
                    f"{where} parameter {name} became {'required' if r.get('required') else 'optional'}",
                )
            differ.compare(
                b.get("schema") or {},
                r.get("schema") or {},
                side="request-parameter",
                where=f"{where} parameter {name}",
                location=f"{at}/schema",
            )

    def request_body(self, label: str, pointer: str, b_op: dict[str, Any], r_op: dict[str, Any]) -> None:
        b, _ = self.base.resolve(b_op.get("requestBody"))
        r, _ = self.rev.resolve(r_op.get("requestBody"))
        at = f"{pointer}/requestBody"
        if not b and not r:
            return
        if not b:
            self.add(
                "added-required-request-body" if r.get("required") else "request-body-added-optional",
                label,
                at,
                "request body added",
            )
            return
        if not r:
            self.add("request-body-removed", label, at, "request body removed")
            return
        if bool(b.get("required")) != bool(r.get("required")):
            self.add(
                "request-body-became-required" if r.get("required") else "request-body-became-optional",
                label,
                f"{at}/required",
                "request body required-ness changed",
            )
        b_media, r_media = b.get("content") or {}, r.get("content") or {}
        differ = collect(self.base, self.rev, label, True, self.findings)
        for media in sorted(set(b_media) | set(r_media)):
            media_at = f"{at}/content/{_escape(media)}"
            if media not in r_media:
                self.add(
                    "request-body-media-type-removed", label, media_at, f"request media type {media} no longer accepted"
                )
            elif media not in b_media:
                self.add("request-body-media-type-added", label, media_at, f"request media type {media} added")
            else:
                differ.compare(
                    (b_media[media] or {}).get("schema") or {},
                    (r_media[media] or {}).get("schema") or {},
                    side="request-body",
                    where="body",
                    location=f"{media_at}/schema",
                )

    def responses(self, label: str, pointer: str, b_op: dict[str, Any], r_op: dict[str, Any]) -> None:
        b_all, r_all = b_op.get("responses") or {}, r_op.get("responses") or {}
        differ = collect(self.base, self.rev, label, False, self.findings)
        for status in sorted(set(map(str, b_all)) | set(map(str, r_all))):
            at = f"{pointer}/responses/{_escape(status)}"
            success = status.startswith("2")
            b_raw, r_raw = (
                b_all.get(status, b_all.get(int(status)) if status.isascii() and status.isdigit() else None),
                r_all.get(status, r_all.get(int(status)) if status.isascii() and status.isdigit() else None),
            )
            if r_raw is None:
                self.add(
                    "response-success-status-removed" if success else "response-non-success-status-removed",
                    label,
                    at,
                    f"response {status} removed",
                )
                continue
            if b_raw is None:
                self.add(
                    "response-success-status-added" if success else "response-non-success-status-added",
                    label,
                    at,
                    f"response {status} added",
                )
                continue
            b, _ = self.base.resolve(b_raw)
            r, _ = self.rev.resolve(r_raw)
            self.headers(label, at, status, b.get("headers") or {}, r.get("headers") or {})
            b_media, r_media = b.get("content") or {}, r.get("content") or {}
            for media in sorted(set(b_media) | set(r_media)):
                media_at = f"{at}/content/{_escape(media)}"
                if media not in r_media:
                    self.add(
                        "response-media-type-removed", label, media_at, f"response {status}: media type {media} removed"
                    )
                elif media not in b_media:
                    self.add(
                        "response-media-type-added", label, media_at, f"response {status}: media type {media} added"
                    )
                else:
                    differ.compare(
                        (b_media[media] or {}).get("schema") or {},
                        (r_media[media] or {}).get("schema") or {},
                        side="response-body",
                        where="body",
                        location=f"{media_at}/schema",
                    )

    def headers(self, label: str, at: str, status: str, base: dict[str, Any], rev: dict[str, Any]) -> None:
        b_headers = {k.lower(): self.base.resolve(v)[0] for k, v in base.items()}
        r_headers = {k.lower(): self.rev.resolve(v)[0] for k, v in rev.items()}
        for name in sorted(set(b_headers) | set(r_headers)):
            header_at = f"{at}/headers/{_escape(name)}"
            b, r = b_headers.get(name), r_headers.get(name)
            if r is None:
                rule = (
                    "required-response-header-removed"
                    if (b or {}).get("required")
                    else "optional-response-header-removed"
                )
                self.add(rule, label, header_at, f"response {status}: header {name} removed")
            elif b is None:
                self.add("response-header-added", label, header_at, f"response {status}: header {name} added")
            elif b.get("required") and not r.get("required"):
                self.add(
                    "response-header-became-optional",
                    label,
                    header_at,
                    f"response {status}: header {name} became optional",
                )

    def security(self, label: str, pointer: str, b_op: dict[str, Any], r_op: dict[str, Any]) -> None:
        base, rev = _security(self.base, b_op), _security(self.rev, r_op)
        at = f"{pointer}/security"
        open_base = not base or any(not req for req in base)
        open_rev = not rev or any(not req for req in rev)
        if open_base and not open_rev:
            self.add("api-security-added", label, at, "the operation now requires authentication")
            return
        b_schemes = {name: scopes for req in base for name, scopes in req.items()}
        r_schemes = {name: scopes for req in rev for name, scopes in req.items()}
        for name in sorted(set(b_schemes) - set(r_schemes)):
            self.add("api-security-removed", label, at, f"security scheme {name} no longer accepted")
        for name in sorted(set(r_schemes) - set(b_schemes)):
            self.add("api-security-alternative-added", label, at, f"security scheme {name} now accepted")
        for name in sorted(set(b_schemes) & set(r_schemes)):
            b_sets = {scopes for req in base for n, scopes in req.items() if n == name}
            r_sets = {scopes for req in rev for n, scopes in req.items() if n == name}
            for scopes in sorted(b_sets, key=sorted):
                if any(needed <= scopes for needed in r_sets):
                    continue  # a token that sufficed still does
                wider = [needed for needed in r_sets if needed > scopes]
                if wider:
                    extra = ", ".join(sorted(min(wider, key=len) - scopes))
                    self.add("api-security-scope-added", label, at, f"{name}: now needs scope(s) {extra}")
                else:
                    shown = ", ".join(sorted(scopes)) or "(none)"
                    self.add("api-security-removed", label, at, f"{name} with scope(s) {shown} no longer suffices")
            for needed in sorted(r_sets, key=sorted):
                narrower = [scopes for scopes in b_sets if needed < scopes]
                if narrower:
                    dropped = ", ".join(sorted(min(narrower, key=len) - needed))
                    self.add("api-security-scope-removed", label, at, f"{name}: no longer needs scope(s) {dropped}")

    def security_components(self) -> None:
        base = (self.base.data.get("components") or {}).get("securitySchemes") or {}
        rev = (self.rev.data.get("components") or {}).get("securitySchemes") or {}
        for name in sorted(set(base) | set(rev)):
            at = f"#/components/securitySchemes/{_escape(name)}"
            if name not in rev:
                self.add("api-security-component-removed", "", at, f"security scheme {name} removed")
                continue
            if name not in base:
                self.add("api-security-component-added", "", at, f"security scheme {name} added")
                continue
            b, r = self.base.resolve(base[name])[0], self.rev.resolve(rev[name])[0]
            for flow in sorted(set(b.get("flows") or {}) & set(r.get("flows") or {})):
                b_flow, r_flow = b["flows"][flow], r["flows"][flow]
                for url in ("tokenUrl", "authorizationUrl", "refreshUrl"):
                    if b_flow.get(url) != r_flow.get(url):
                        self.add(
                            "api-security-component-oauth-token-url-changed",
                            "",
                            f"{at}/flows/{flow}/{url}",
                            f"{name} {flow}: {url} changed",
                        )
                b_scopes, r_scopes = set(b_flow.get("scopes") or {}), set(r_flow.get("scopes") or {})
                for scope in sorted(b_scopes - r_scopes):
                    self.add(
                        "api-security-component-oauth-scope-removed",
                        "",
                        f"{at}/flows/{flow}/scopes",
                        f"{name} {flow}: scope {scope} removed",
                    )
                for scope in sorted(r_scopes - b_scopes):
                    self.add(
                        "api-security-component-oauth-scope-added",
                        "",
                        f"{at}/flows/{flow}/scopes",
                        f"{name} {flow}: scope {scope} added",
                    )

    # -------------------------------------------------------------- x-u4b-rules

    def rules(self) -> None:
        compare_rules(self.base.data.get("x-u4b-rules") or [], self.rev.data.get("x-u4b-rules") or [], self.add)


def diff(base: Document, revision: Document) -> list[Finding]:
    """Every change from ``base`` to ``revision``, ordered breaking first."""
    return Differ(base, revision).run()


__all__ = ["BREAKING", "diff"]
