"""How the gate ranks changes to a monotonic rule, ``direction: decrease`` included: a flipped
direction refuses what was accepted and accepts what was refused, so it cannot be ranked;
other changes rank the same whichever way the value may move."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.diff.cases import base
from u4b_vouchers.diff import diff, load

RULE = {
    "id": "R-MONOTONIC",
    "operations": ["updateItem"],
    "kind": "monotonic",
    "summary": "s",
    "target": "body.name",
    "when": ["started"],
    "direction": "increase",
    "equal": "unspecified",
    "violation": [{"status": 400, "code": "invalid_request"}],
    "source": [],
}


def findings(tmp_path: Path, before: dict[str, Any], after: dict[str, Any]) -> list[tuple[str, str]]:
    docs = []
    for name, rule in (("base", before), ("revision", after)):
        doc = base()
        doc["x-u4b-rules"].append(rule)
        (tmp_path / f"{name}.yaml").write_text(yaml.safe_dump(doc))
        docs.append(load(str(tmp_path / f"{name}.yaml")))
    return [(f.id, f.level) for f in diff(*docs)]


DECREASE = {**RULE, "direction": "decrease"}


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (RULE, DECREASE, [("x-u4b-rule-changed", "warning")]),
        (DECREASE, RULE, [("x-u4b-rule-changed", "warning")]),
        (DECREASE, DECREASE, []),
        (DECREASE, {**DECREASE, "when": ["started", "not-started"]}, [("x-u4b-rule-tightened", "breaking")]),
        (DECREASE, {**DECREASE, "equal": "forbidden"}, [("x-u4b-rule-tightened", "breaking")]),
        ({**DECREASE, "equal": "forbidden"}, DECREASE, [("x-u4b-rule-loosened", "info")]),
        (
            DECREASE,
            {**DECREASE, "when": ["started", "not-started"], "direction": "increase"},
            [("x-u4b-rule-changed", "warning")],
        ),
    ],
    ids=[
        "increase-to-decrease",
        "decrease-to-increase",
        "unchanged",
        "more-states",
        "equal-forbidden",
        "equal-allowed-again",
        "flip-and-more-states",
    ],
)
def test_changes_to_a_monotonic_rule(
    tmp_path: Path, before: dict[str, Any], after: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    assert findings(tmp_path, before, after) == expected


def test_a_decreasing_rule_added_refuses_requests(tmp_path: Path) -> None:
    before = base()
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(before))
    after = base()
    after["x-u4b-rules"].append(DECREASE)
    (tmp_path / "revision.yaml").write_text(yaml.safe_dump(after))
    found = [(f.id, f.level) for f in diff(load(str(tmp_path / "base.yaml")), load(str(tmp_path / "revision.yaml")))]
    assert found == [("x-u4b-rule-added", "breaking")]
