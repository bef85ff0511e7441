"""The description is a valid OpenAPI document (openapi-spec-validator)."""

from __future__ import annotations

from collections.abc import Iterator

from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
from referencing.exceptions import Unresolvable

from ..spec import join, policy_reader, spec_validator
from .context import LintContext
from .findings import Finding
from .registry import check


@check("structure", "OpenAPI 3.0/3.1 structure (openapi-spec-validator)")
def structure(ctx: LintContext) -> Iterator[Finding]:
    data = ctx.spec.data
    version = str(data.get("openapi", ""))
    if not version.startswith(("3.0", "3.1")):
        yield Finding(
            "structure",
            "openapi-version",
            f"unsupported openapi version {version!r}",
            "#/openapi",
            ctx.spec.line_of("#/openapi"),
        )
        return
    # Relative $refs to other files resolve next to the document, through the spec's policy.
    reader = policy_reader(ctx.spec.refs)
    errors = spec_validator(data, ctx.spec.path.resolve().as_uri(), reader).iter_errors()
    try:
        for error in errors:
            pointer = join([str(token) for token in getattr(error, "absolute_path", [])])
            yield Finding(
                "structure",
                "openapi-spec-validator",
                str(getattr(error, "message", error)),
                pointer,
                ctx.spec.line_of(pointer),
            )
    except Unresolvable as exc:
        yield Finding("structure", "openapi-spec-validator", f"$ref {exc.ref!r} cannot be resolved")
    except OpenAPIValidationError as exc:  # raised by the reference resolver, for example
        yield Finding("structure", "openapi-spec-validator", str(exc).splitlines()[0])
