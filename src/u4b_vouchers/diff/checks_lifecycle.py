"""Checks on the lifecycle of operations, parameters and properties: removal, deprecation,
sunset dates and stability levels."""

from __future__ import annotations

from .registry import Report, check
from .tree import DocDiff, escape


def _label(path: str, method: str) -> str:
    return f"{method.upper()} {path}"


@check(
    "api-path-removed-without-deprecation",
    "api-path-removed-with-deprecation",
    "api-removed-without-deprecation",
    "api-removed-with-deprecation",
)
def removals(d: DocDiff, out: Report) -> None:
    gone_paths = set(d.paths_deleted)
    for path, method in d.operations_deleted:
        op, _ = d.base_operations[(path, method)]
        deprecated = op.get("deprecated") is True
        if path in gone_paths:
            rule = "api-path-removed-with-deprecation" if deprecated else "api-path-removed-without-deprecation"
        else:
            rule = "api-removed-with-deprecation" if deprecated else "api-removed-without-deprecation"
        out.add(rule, _label(path, method), f"#/paths/{escape(path)}/{method}", f"{_label(path, method)} removed")


@check("endpoint-deprecated", "endpoint-reactivated")
def deprecations(d: DocDiff, out: Report) -> None:
    for op in d.operations.values():
        before, after = op.base.get("deprecated") is True, op.revision.get("deprecated") is True
        if before != after:
            out.add(
                "endpoint-deprecated" if after else "endpoint-reactivated",
                op,
                f"{op.pointer}/deprecated",
                f"{op.label} {'deprecated' if after else 'no longer deprecated'}",
            )


@check("request-parameter-removed")
def parameters_removed(d: DocDiff, out: Report) -> None:
    for op in d.operations.values():
        for where, name in op.parameters_deleted:
            out.add(
                "request-parameter-removed",
                op,
                f"{op.pointer}/parameters/{escape(where)}.{escape(name)}",
                f"{where} parameter {name} removed",
            )
