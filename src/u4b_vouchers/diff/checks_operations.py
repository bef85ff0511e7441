"""Checks on paths and operations, request bodies, responses and headers (parameters are in
``checks_parameters``)."""

from __future__ import annotations

from .checks_values import nullable, type_change, type_format, type_set_widened
from .registry import Report, check
from .tree import DocDiff, escape


def _label(path: str, method: str) -> str:
    return f"{method.upper()} {path}"


def _pointer(path: str, method: str = "") -> str:
    return f"#/paths/{escape(path)}" + (f"/{method}" if method else "")


@check("endpoint-added")
def endpoints_added(d: DocDiff, out: Report) -> None:
    for path, method in d.operations_added:
        out.add("endpoint-added", _label(path, method), _pointer(path, method), f"{_label(path, method)} added")


@check("request-path-parameter-renamed")
def path_parameters_renamed(d: DocDiff, out: Report) -> None:
    for rev_path, base_path in sorted(d.renamed_paths.items()):
        out.add(
            "request-path-parameter-renamed",
            base_path,
            _pointer(rev_path),
            f"path {base_path} is now written {rev_path}",
        )


@check("api-operation-id-removed", "api-operation-id-added")
def operation_ids(d: DocDiff, out: Report) -> None:
    for op in d.operations.values():
        b_id, r_id = op.base.get("operationId"), op.revision.get("operationId")
        if b_id == r_id:
            continue
        if b_id:
            message = f"operationId {b_id} {'renamed to ' + str(r_id) if r_id else 'removed'}"
            out.add("api-operation-id-removed", op, f"{op.pointer}/operationId", message)
        if r_id:
            out.add("api-operation-id-added", op, f"{op.pointer}/operationId", f"operationId {r_id} added")


@check("api-tag-removed", "api-tag-added")
def tags(d: DocDiff, out: Report) -> None:
    for op in d.operations.values():
        b_tags = [str(t) for t in op.base.get("tags") or []]
        r_tags = [str(t) for t in op.revision.get("tags") or []]
        for tag in b_tags:
            if tag not in r_tags:
                out.add("api-tag-removed", op, f"{op.pointer}/tags", f"tag {tag} removed")
        for tag in r_tags:
            if tag not in b_tags:
                out.add("api-tag-added", op, f"{op.pointer}/tags", f"tag {tag} added")


# ------------------------------------------------------------------ request bodies


@check("request-body-added-required", "request-body-added-optional", "request-body-removed")
def request_body_existence(d: DocDiff, out: Report) -> None:
    for op in d.operations.values():
        at = f"{op.pointer}/requestBody"
        if op.base_body is None and op.revision_body is not None:
            required = op.revision_body.get("required") is True
            rule = "request-body-added-required" if required else "request-body-added-optional"
            out.add(rule, op, at, "request body added")
        elif op.base_body is not None and op.revision_body is None:
            out.add("request-body-removed", op, at, "request body removed")


@check("request-body-became-required", "request-body-became-optional")
def request_body_requiredness(d: DocDiff, out: Report) -> None:
    for op in d.operations.values():
        if op.base_body is None or op.revision_body is None:
            continue
        before, after = op.base_body.get("required") is True, op.revision_body.get("required") is True
        if before != after:
            out.add(
                "request-body-became-required" if after else "request-body-became-optional",
                op,
                f"{op.pointer}/requestBody/required",
                f"request body became {'required' if after else 'optional'}",
            )


@check("request-body-media-type-added", "request-body-media-type-removed")
def request_media_types(d: DocDiff, out: Report) -> None:
    for op in d.operations.values():
        if op.body_content is None:
            continue
        for media in op.body_content.deleted:
            out.add(
                "request-body-media-type-removed",
                op,
                f"{op.pointer}/requestBody/content/{escape(media)}",
                f"request media type {media} no longer accepted",
            )
        for media in op.body_content.added:
            out.add(
                "request-body-media-type-added",
                op,
                f"{op.pointer}/requestBody/content/{escape(media)}",
                f"request media type {media} added",
            )


@check(
    "request-body-media-type-schema-added",
    "request-body-media-type-schema-removed",
    "response-body-media-type-schema-added",
    "response-body-media-type-schema-removed",
)
def media_type_schemas(d: DocDiff, out: Report) -> None:
    for op in d.operations.values():
        contents = [("request", f"{op.pointer}/requestBody", op.body_content)] if op.body_content else []
        contents += [
            ("response", f"{op.pointer}/responses/{escape(status)}", rd.content)
            for status, rd in op.responses_modified.items()
        ]
        for side, at, content in contents:
            for media, md in content.modified.items():
                if md.schema is None or md.schema.both:
                    continue
                change = "added" if md.schema.added else "removed"
                out.add(
                    f"{side}-body-media-type-schema-{change}",
                    op,
                    f"{at}/content/{escape(media)}/schema",
                    f"{side} media type {media}: schema {change}",
                )


# ------------------------------------------------------------------ responses


def _success(status: str) -> bool:
    return status.startswith("2") or status.upper() == "2XX"


@check(
    "response-success-status-removed",
    "response-success-status-added",
    "response-non-success-status-removed",
    "response-non-success-status-added",
)
def response_statuses(d: DocDiff, out: Report) -> None:
    for op in d.operations.values():
        for status in op.responses_deleted:
            kind = "success" if _success(status) else "non-success"
            out.add(
                f"response-{kind}-status-removed",
                op,
                f"{op.pointer}/responses/{escape(status)}",
                f"response {status} removed",
            )
        for status in op.responses_added:
            kind = "success" if _success(status) else "non-success"
            out.add(
                f"response-{kind}-status-added",
                op,
                f"{op.pointer}/responses/{escape(status)}",
                f"response {status} added",
            )


@check("response-media-type-removed", "response-media-type-added")
def response_media_types(d: DocDiff, out: Report) -> None:
    for op in d.operations.values():
        for status, rd in op.responses_modified.items():
            for media in rd.content.deleted:
                out.add(
                    "response-media-type-removed",
                    op,
                    f"{op.pointer}/responses/{escape(status)}/content/{escape(media)}",
                    f"response {status}: media type {media} removed",
                )
            for media in rd.content.added:
                out.add(
                    "response-media-type-added",
                    op,
                    f"{op.pointer}/responses/{escape(status)}/content/{escape(media)}",
                    f"response {status}: media type {media} added",
                )


@check(
    "required-response-header-removed",
    "optional-response-header-removed",
    "response-header-became-optional",
    "response-header-added",
)
def response_headers(d: DocDiff, out: Report) -> None:
    for op in d.operations.values():
        for status, rd in op.responses_modified.items():
            at = f"{op.pointer}/responses/{escape(status)}/headers"
            for name in rd.headers_deleted:
                raw = {str(k).lower(): v for k, v in (rd.base.get("headers") or {}).items()}.get(name)
                header, _ = d.base.resolve(raw)
                required = isinstance(header, dict) and header.get("required") is True
                rule = "required-response-header-removed" if required else "optional-response-header-removed"
                out.add(rule, op, f"{at}/{escape(name)}", f"response {status}: header {name} removed")
            for name in rd.headers_added:
                out.add("response-header-added", op, f"{at}/{escape(name)}", f"response {status}: header {name} added")
            for name, hd in rd.headers_modified.items():
                if hd.base.get("required") is True and hd.revision.get("required") is not True:
                    out.add(
                        "response-header-became-optional",
                        op,
                        f"{at}/{escape(name)}",
                        f"response {status}: header {name} became optional",
                    )


@check(
    "response-header-type-changed",
    "response-header-type-generalized",
    "response-header-type-specialized",
    "response-header-type-compatible",
    "response-header-became-nullable",
    "response-header-became-not-nullable",
)
def response_header_schemas(d: DocDiff, out: Report) -> None:
    for op in d.operations.values():
        for status, rd in op.responses_modified.items():
            for name, hd in rd.headers_modified.items():
                if hd.schema is None or not hd.schema.both:
                    continue
                base, rev = hd.schema.base or {}, hd.schema.revision or {}
                at = f"{op.pointer}/responses/{escape(status)}/headers/{escape(name)}/schema"
                change = type_change(base, rev, "text/plain", request=False)
                if change is not None:
                    if change == "changed" and type_set_widened(base, rev):
                        change = "generalized"
                    out.add(
                        f"response-header-type-{change}",
                        op,
                        at,
                        f"response {status}: header {name}: type {type_format(base)} -> {type_format(rev)}",
                    )
                if nullable(base) != nullable(rev):
                    change = "became-nullable" if nullable(rev) else "became-not-nullable"
                    out.add(f"response-header-{change}", op, at, f"response {status}: header {name}: {change}")
