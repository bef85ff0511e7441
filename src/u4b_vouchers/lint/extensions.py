"""Every ``x-`` extension the description uses is documented in extensions.md."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..spec import join
from .context import LintContext
from .findings import Finding
from .registry import check

HEADING = re.compile(r"^##\s+`(x-[A-Za-z0-9-]+)`", re.MULTILINE)
#: Free-form containers whose keys are names, not keywords (an example's value, for instance).
OPAQUE = {"example", "examples", "value", "default", "const", "enum"}


def _extensions(node: Any, tokens: list[str]) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for raw_key, value in node.items():
            key = str(raw_key)
            if key.startswith("x-"):
                yield key, join([*tokens, key])
            if key not in OPAQUE:
                yield from _extensions(value, [*tokens, key])
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _extensions(item, [*tokens, str(index)])


@check("extensions", "every x- extension used is documented in extensions.md")
def extensions(ctx: LintContext) -> Iterator[Finding]:
    used: dict[str, str] = {}
    for name, pointer in _extensions(ctx.spec.data, []):
        used.setdefault(name, pointer)
    if not used:
        return
    if ctx.extensions_doc is None:
        yield Finding(
            "extensions",
            "no-extensions-doc",
            f"the description uses {len(used)} x- extension(s) but has no extensions.md beside it",
        )
        return
    documented = set(HEADING.findall(ctx.text(ctx.extensions_doc)))
    for name, pointer in sorted(used.items()):
        if name not in documented:
            yield Finding(
                "extensions",
                "undocumented-extension",
                f"{name} is not documented in {ctx.extensions_doc.name}",
                pointer,
                ctx.spec.line_of(pointer),
            )
