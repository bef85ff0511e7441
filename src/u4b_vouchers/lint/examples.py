"""Every example validates against its schema (formats included)."""

from __future__ import annotations

from collections.abc import Iterator

from referencing.exceptions import Unresolvable

from ..spec import SchemaValidator, iter_examples, join
from .context import LintContext
from .findings import Finding
from .registry import check


@check("examples", "every example validates against its schema")
def examples(ctx: LintContext) -> Iterator[Finding]:
    validator = SchemaValidator(ctx.spec)
    for example in iter_examples(ctx.spec):
        try:
            errors = list(validator.errors(example.schema_pointer, example.value))
        except Unresolvable as exc:
            yield Finding(
                "examples",
                "unresolvable-ref",
                f"schema cannot be resolved: {exc}",
                example.schema_pointer,
                ctx.spec.line_of(example.schema_pointer),
            )
            continue
        for error in errors:
            pointer = example.pointer + join([str(t) for t in error.absolute_path])[1:]
            yield Finding(
                "examples",
                "example-invalid",
                f"example does not match its schema: {error.message}",
                pointer,
                ctx.spec.line_of(pointer),
            )
