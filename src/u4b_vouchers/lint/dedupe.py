"""One defect, shown once: the same defect reported by several linters is one finding.

:data:`SAME_DEFECT` is the one table of rules (``check/rule``) that mean the same defect.
Findings of one defect match on their location: the same pointer, or, when one has no
pointer or one pointer lies inside the other (a tool that points at the object, another at
its key), the same line. The finding of the check that runs first is kept (its message);
it lists the others (:attr:`Finding.also`) and takes the most severe level of them all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from .findings import SEVERITIES, Finding

SAME_DEFECT: dict[str, tuple[str, ...]] = {
    "an example that does not validate against its schema": (
        "examples/example-invalid",
        "spectral/oas3-valid-media-example",
        "spectral/oas3-valid-schema-example",
        "redocly/no-invalid-media-type-examples",
        "redocly/no-invalid-parameter-examples",
        "redocly/no-invalid-schema-examples",
    ),
    "no servers": ("spectral/oas3-api-servers", "redocly/no-empty-servers"),
    "a server URL at example.com": ("spectral/oas3-server-not-example.com", "redocly/no-server-example.com"),
    "a server URL ending in a slash": ("spectral/oas3-server-trailing-slash", "redocly/no-server-trailing-slash"),
    "no contact in info": ("spectral/info-contact", "redocly/info-contact"),
    "no license in info": ("spectral/info-license", "redocly/info-license"),
    "no license URL": ("spectral/license-url", "redocly/info-license-url"),
    "an operation without a description": ("spectral/operation-description", "redocly/operation-description"),
    "an operation without an operationId": ("spectral/operation-operationId", "redocly/operation-operationId"),
    "an operationId used twice": ("spectral/operation-operationId-unique", "redocly/operation-operationId-unique"),
    "an operationId not safe in a URL": (
        "spectral/operation-operationId-valid-in-url",
        "redocly/operation-operationId-url-safe",
    ),
    "an operation tag that is not declared": ("spectral/operation-tag-defined", "redocly/operation-tag-defined"),
    "an operation with several tags": ("spectral/operation-singular-tag", "redocly/operation-singular-tag"),
    "a tag without a description": ("spectral/tag-description", "redocly/tag-description"),
    "tags out of alphabetical order": ("spectral/openapi-tags-alphabetical", "redocly/tags-alphabetical"),
    "a path ending in a slash": ("spectral/path-keys-no-trailing-slash", "redocly/no-path-trailing-slash"),
    "a path with a query string": ("spectral/path-not-include-query", "redocly/path-not-include-query"),
    "an empty path parameter declaration": (
        "spectral/path-declarations-must-exist",
        "redocly/path-declaration-must-exist",
    ),
    "a path parameter not defined": ("spectral/path-params", "redocly/path-parameters-defined"),
    "an operation without security": ("spectral/oas3-operation-security-defined", "redocly/security-defined"),
    "a parameter without a description": ("spectral/oas3-parameter-description", "redocly/parameter-description"),
    "an unused component": ("spectral/oas3-unused-component", "redocly/no-unused-components"),
    "invalid OpenAPI structure": ("structure/openapi-spec-validator", "spectral/oas3-schema", "redocly/struct"),
}

#: The defect each rule of the table means.
DEFECT_OF: dict[str, str] = {name: defect for defect, names in SAME_DEFECT.items() for name in names}


def _inside(a: str, b: str) -> bool:
    return a == b or b.startswith(a.rstrip("/") + "/")


def same_place(a: Finding, b: Finding) -> bool:
    """Whether two findings are at the same place (see the module's docstring)."""
    if a.file != b.file:
        return False
    if a.pointer is not None and a.pointer == b.pointer:
        return True
    if a.line is None or a.line != b.line:
        return False
    return a.pointer is None or b.pointer is None or _inside(a.pointer, b.pointer) or _inside(b.pointer, a.pointer)


def _merged(kept: Finding, other: Finding) -> Finding:
    severity = min(kept.severity, other.severity, key=SEVERITIES.index)
    return replace(
        kept,
        severity=severity,
        line=kept.line if kept.line is not None else other.line,
        pointer=kept.pointer if kept.pointer is not None else other.pointer,
        also=(*kept.also, *other.reported_by),
    )


def merge_duplicates(findings: Iterable[Finding]) -> list[Finding]:
    """``findings`` with each defect that several linters report as one finding, in the order
    of the first report. Findings of one check are never merged with each other."""
    merged: list[Finding] = []
    for finding in findings:
        defect = DEFECT_OF.get(finding.name)
        for index, kept in enumerate(merged) if defect is not None else ():
            checks = {name.split("/", 1)[0] for name in kept.reported_by}
            if DEFECT_OF.get(kept.name) == defect and finding.check not in checks and same_place(kept, finding):
                merged[index] = _merged(kept, finding)
                break
        else:
            merged.append(finding)
    return merged
