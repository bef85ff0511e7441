"""Every rule of the gate, on its fixture pair: reported under its id, at its level, and a
change in the other direction never reported as breaking by mistake."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.diff.cases import _place, base, pairs
from u4b_vouchers.diff import RULES, diff, load

PAIRS = pairs()


def run(tmp_path: Path, before: dict[str, object], after: dict[str, object]) -> list[tuple[str, str]]:
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(before))
    (tmp_path / "revision.yaml").write_text(yaml.safe_dump(after))
    return [(f.id, f.level) for f in diff(load(str(tmp_path / "base.yaml")), load(str(tmp_path / "revision.yaml")))]


def test_every_rule_has_a_fixture_pair() -> None:
    assert set(RULES) - set(PAIRS) == set()


def test_an_unchanged_description_has_no_findings(tmp_path: Path) -> None:
    assert run(tmp_path, base(), base()) == []


@pytest.mark.parametrize("rule_id", sorted(PAIRS))
def test_rule(tmp_path: Path, rule_id: str) -> None:
    before, after = PAIRS[rule_id]
    found = run(tmp_path, before, after)
    assert (rule_id, RULES[rule_id].level) in found, found
    # Only this change is breaking (rules that describe the same change twice aside).
    breaking = {i for i, level in found if level == "breaking"} - {rule_id}
    allowed_companions = {
        "request-property-all-of-added",
        "request-body-all-of-added",
        "request-parameter-all-of-added",
        "request-property-min-length-increased",
        "request-body-min-length-increased",
        "request-parameter-min-length-increased",
        "response-property-min-length-decreased",
        "response-body-min-length-decreased",
    }
    assert breaking <= allowed_companions, found


def test_direction_matters(tmp_path: Path) -> None:
    """The same tightening breaks in a request and not in a response, and the reverse."""
    request = dict(run(tmp_path, *PAIRS["request-property-max-decreased"]))
    response = dict(run(tmp_path, *PAIRS["response-property-max-decreased"]))
    assert request["request-property-max-decreased"] == "breaking"
    assert response["response-property-max-decreased"] == "info"
    assert (
        dict(run(tmp_path, *PAIRS["response-property-max-increased"]))["response-property-max-increased"] == "breaking"
    )
    assert dict(run(tmp_path, *PAIRS["request-property-max-increased"]))["request-property-max-increased"] == "info"


@pytest.mark.parametrize(
    ("before", "after", "change"),
    [
        ({"type": "integer", "format": "int32"}, {"type": "integer"}, "type-generalized"),  # format dropped
        ({"type": "integer", "format": "int32"}, {"type": "integer", "format": "int64"}, "type-generalized"),
        ({"type": "number", "format": "float"}, {"type": "number", "format": "double"}, "type-generalized"),
        ({"type": "integer"}, {"type": "number"}, "type-generalized"),
        ({"type": "integer"}, {"type": "integer", "format": "int32"}, "type-narrowed"),  # format added
        ({"type": "number"}, {"type": "integer", "format": "int64"}, "type-narrowed"),
        ({"type": "integer", "format": "int32"}, {"type": "string"}, "type-changed"),
        ({"type": "integer", "format": "int64"}, {"type": "number", "format": "float"}, "type-changed"),
    ],
)
def test_formats_widen_and_narrow_types(
    tmp_path: Path, before: dict[str, object], after: dict[str, object], change: str
) -> None:
    """A format removed or widened accepts more values: in a request that is no break."""
    docs = []
    for schema in (before, after):
        doc = base()
        _place(doc, "request-property", schema)
        docs.append(doc)
    assert run(tmp_path, *docs) == [(f"request-property-{change}", RULES[f"request-property-{change}"].level)]
