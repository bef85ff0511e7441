"""One defect, shown once: what several linters report at one place is one finding."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import operation
from u4b_vouchers.lint import CHECKS, SAME_DEFECT, Finding, run_lint
from u4b_vouchers.lint.dedupe import merge_duplicates
from u4b_vouchers.spec import load_spec

EXAMPLE = "#/paths/~1pets/post/requestBody/content/application~1json/example/age"


def finding(name: str, pointer: str | None = EXAMPLE, line: int | None = 12, severity: Any = "error") -> Finding:
    check, rule = name.split("/", 1)
    return Finding(check, rule, f"{rule} says no", pointer, line, severity=severity)


def test_the_three_linters_reporting_one_bad_example_are_one_finding() -> None:
    (merged,) = merge_duplicates(
        [
            finding("examples/example-invalid"),
            finding("spectral/oas3-valid-media-example"),
            finding("redocly/no-invalid-media-type-examples", severity="warning"),
        ]
    )
    assert merged.reported_by == (
        "examples/example-invalid",
        "spectral/oas3-valid-media-example",
        "redocly/no-invalid-media-type-examples",
    )
    assert merged.message == "example-invalid says no"  # the first check's words
    line = merged.one_line("api.yaml")
    assert line.startswith("api.yaml:12: error [examples/example-invalid] example-invalid says no")
    assert line.endswith(
        "(reported by: examples/example-invalid, spectral/oas3-valid-media-example, "
        "redocly/no-invalid-media-type-examples)"
    )
    assert merged.as_dict()["reported_by"] == list(merged.reported_by)


def test_the_most_severe_level_wins() -> None:
    (merged,) = merge_duplicates(
        [finding("spectral/info-contact", "#/info", severity="warning"), finding("redocly/info-contact", "#/info")]
    )
    assert merged.severity == "error"


def test_other_places_and_other_defects_stay_apart() -> None:
    elsewhere = EXAMPLE.replace("age", "name")
    findings = [
        finding("examples/example-invalid"),
        finding("spectral/oas3-valid-media-example", elsewhere, line=13),
        finding("spectral/info-contact"),  # another defect at the same place
        finding("examples/example-invalid", line=12),  # the same check twice: two defects
    ]
    assert merge_duplicates(findings) == findings


def test_without_a_pointer_the_line_decides() -> None:
    merged = merge_duplicates(
        [
            finding("spectral/oas3-api-servers", "#", line=1),
            finding("redocly/no-empty-servers", "#/openapi", line=1),
            finding("spectral/tag-description", None, line=7),
            finding("redocly/tag-description", "#/tags/0", line=7),
            finding("redocly/info-contact", "#/info", line=8),
            finding("spectral/info-contact", "#/info/x-other", line=9),  # inside, but on another line
        ]
    )
    assert [f.reported_by for f in merged] == [
        ("spectral/oas3-api-servers", "redocly/no-empty-servers"),
        ("spectral/tag-description", "redocly/tag-description"),
        ("redocly/info-contact",),
        ("spectral/info-contact",),
    ]


def test_the_table_names_only_registered_checks() -> None:
    for names in SAME_DEFECT.values():
        assert len(names) > 1
        assert {name.split("/", 1)[0] for name in names} <= set(CHECKS)
    every = [name for names in SAME_DEFECT.values() for name in names]
    assert len(every) == len(set(every)), "a rule means one defect"


def _break_example(data: dict[str, Any]) -> None:
    example = operation(data, "getVoucherProgramGuestInfo")["responses"]["200"]["content"]["application/json"]
    example["examples"]["documented"]["value"]["guests"][0]["voucher"]["usage_count"] = "twenty"


@pytest.mark.node
def test_one_bad_example_in_the_project_description_is_one_finding(spec_copy: Callable[..., Path]) -> None:
    """The project's examples check, Spectral and Redocly each catch it: one finding, three names."""
    findings = run_lint(load_spec(spec_copy(_break_example)), only=["examples", "spectral", "redocly"])
    (only,) = findings
    assert only.reported_by == (
        "examples/example-invalid",
        "spectral/oas3-valid-media-example",
        "redocly/no-invalid-media-type-examples",
    )
    assert only.pointer is not None
    assert only.pointer.endswith("/documented/value/guests/0/voucher/usage_count")
    assert only.severity == "error"
