"""The description is a valid OpenAPI document (openapi-spec-validator)."""

from __future__ import annotations

from collections.abc import Iterator

from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
from openapi_spec_validator.validation.validators import (
    OpenAPIV30SpecValidator,
    OpenAPIV31SpecValidator,
)

from ..spec.pointer import join
from .context import LintContext
from .findings import Finding
from .registry import check


@check("structure", "OpenAPI 3.0/3.1 structure (openapi-spec-validator)")
def structure(ctx: LintContext) -> Iterator[Finding]:
    data = ctx.spec.data
    version = str(data.get("openapi", ""))
    if version.startswith("3.1"):
        validator_class: type[OpenAPIV31SpecValidator] | type[OpenAPIV30SpecValidator] = OpenAPIV31SpecValidator
    elif version.startswith("3.0"):
        validator_class = OpenAPIV30SpecValidator
    else:
        yield Finding(
            "structure",
            "openapi-version",
            f"unsupported openapi version {version!r}",
            "#/openapi",
            ctx.spec.line_of("#/openapi"),
        )
        return
    errors = validator_class(data).iter_errors()
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
    except OpenAPIValidationError as exc:  # raised by the reference resolver, for example
        yield Finding("structure", "openapi-spec-validator", str(exc))
