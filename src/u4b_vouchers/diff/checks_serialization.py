"""This project's checks on how a parameter is written on the wire (oasdiff has no rules for
them): ``style``, ``explode`` and ``allowEmptyValue``, compared as they take effect, so
writing out a default is no change."""

from __future__ import annotations

from typing import Any

from .registry import Report, check
from .tree import DocDiff, escape

#: The style a parameter has when it names none, by location (OpenAPI 3.x, Parameter Object).
DEFAULT_STYLE = {"query": "form", "cookie": "form", "path": "simple", "header": "simple"}


def style(param: dict[str, Any]) -> str:
    value = param.get("style")
    return str(value) if isinstance(value, str) else DEFAULT_STYLE.get(str(param.get("in")), "form")


def explode(param: dict[str, Any]) -> bool:
    value = param.get("explode")
    return value if isinstance(value, bool) else style(param) == "form"


@check(
    "request-parameter-style-changed",
    "request-parameter-explode-changed",
    "request-parameter-allow-empty-value-removed",
    "request-parameter-allow-empty-value-added",
)
def parameter_serialization(d: DocDiff, out: Report) -> None:
    for op in d.operations.values():
        for (where, name), pd in op.parameters_modified.items():
            at = f"{op.pointer}/parameters/{escape(where)}.{escape(name)}"
            if "content" in pd.base or "content" in pd.revision:
                continue  # a parameter serialised by a media type has no style
            if style(pd.base) != style(pd.revision):
                out.add(
                    "request-parameter-style-changed",
                    op,
                    f"{at}/style",
                    f"{where} parameter {name}: style {style(pd.base)} -> {style(pd.revision)}",
                )
            if explode(pd.base) != explode(pd.revision):
                out.add(
                    "request-parameter-explode-changed",
                    op,
                    f"{at}/explode",
                    f"{where} parameter {name}: explode {explode(pd.base)} -> {explode(pd.revision)}",
                )
            before, after = pd.base.get("allowEmptyValue") is True, pd.revision.get("allowEmptyValue") is True
            if before != after:
                out.add(
                    f"request-parameter-allow-empty-value-{'added' if after else 'removed'}",
                    op,
                    f"{at}/allowEmptyValue",
                    f"{where} parameter {name}: an empty value is {'now' if after else 'no longer'} allowed",
                )
