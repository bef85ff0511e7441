"""Directions: how the gate ranks changes to a monotonic rule, ``direction: decrease``
included (a flipped direction refuses what was accepted and accepts what was refused, so it
cannot be ranked; other changes rank the same whichever way the value may move), and that a
change of a fixture pair and its reverse are not both breaking, but for the changes that break
clients either way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.diff.rule_pairs import Doc, Pair, load_pairs, place, standard
from u4b_vouchers.diff import RULES, diff, load

RULE = {
    "id": "R-MONOTONIC",
    "operations": ["postItem"],
    "kind": "monotonic",
    "summary": "s",
    "target": "body.name",
    "when": ["started"],
    "direction": "increase",
    "equal": "unspecified",
    "violation": [{"status": 400, "code": "invalid_request"}],
    "source": [],
}


def base() -> Doc:
    return {**standard(), "x-u4b-rules": []}


def run(tmp_path: Path, before: Doc, after: Doc) -> list[tuple[str, str]]:
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(before))
    (tmp_path / "revision.yaml").write_text(yaml.safe_dump(after))
    return [(f.id, f.level) for f in diff(load(str(tmp_path / "base.yaml")), load(str(tmp_path / "revision.yaml")))]


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
    after = base()
    after["x-u4b-rules"].append(DECREASE)
    assert run(tmp_path, base(), after) == [("x-u4b-rule-added", "breaking")]


# ---------------------------------------------------------------- a change and its reverse

#: Rules whose change breaks clients both ways, and why (the reverse is reported under the
#: second id, or the first again).
BOTH_WAYS = {
    # a body required, and then none at all
    "request-body-added-required": "request-body-removed",
    # a swap to an unrelated type: neither side accepts the other's values
    "request-body-type-changed": "request-body-type-changed",
    "request-property-type-changed": "request-property-type-changed",
    "response-body-type-changed": "response-body-type-changed",
    "response-property-type-changed": "response-property-type-changed",
    "response-header-type-changed": "response-header-type-changed",
    # a value respelled (one removed, one added): the old spelling is refused either way
    "request-property-enum-value-removed": "request-property-enum-value-removed",
    # an enum dropped altogether: oasdiff reports each of its values removed
    "request-body-became-enum": "request-body-enum-value-removed",
    "request-property-became-enum": "request-property-enum-value-removed",
}

#: The pairs of the core checks (values, structure, operations, security); the other families'
#: pairs join here once their both-ways rules are listed above.
PAIRS = [pair for pair in load_pairs() if pair.source.startswith("core-")]


def breaking(found: list[tuple[str, str]]) -> set[str]:
    return {rule_id for rule_id, level in found if level == "breaking"}


@pytest.mark.parametrize("pair", PAIRS, ids=[f"{p.rule}@{p.source}" for p in PAIRS])
def test_a_change_and_its_reverse_are_not_both_breaking(tmp_path: Path, pair: Pair) -> None:
    forward = breaking(run(tmp_path, pair.base, pair.revision))
    backward = breaking(run(tmp_path, pair.revision, pair.base))
    if pair.rule in BOTH_WAYS:
        assert pair.rule in forward
        assert BOTH_WAYS[pair.rule] in backward, backward
    else:
        assert not (forward and backward), (forward, backward)


def test_the_both_ways_rules_are_breaking_ones() -> None:
    assert {RULES[rule_id].level for rule_id in (*BOTH_WAYS, *BOTH_WAYS.values())} == {"breaking"}


@pytest.mark.parametrize(
    ("side", "lowered", "raised"),
    [
        ("request", [("request-property-max-decreased", "breaking")], [("request-property-max-increased", "info")]),
        ("response", [], [("response-property-max-increased", "breaking")]),
    ],
)
def test_the_same_change_breaks_on_one_side_only(
    tmp_path: Path, side: str, lowered: list[tuple[str, str]], raised: list[tuple[str, str]]
) -> None:
    """A maximum lowered breaks a request and not a response (whose clients never see the
    values now gone); raised, the reverse."""

    def at(maximum: int) -> Doc:
        return place(standard(), f"{side}-property", {"type": "integer", "maximum": maximum})

    assert run(tmp_path, at(10), at(9)) == lowered
    assert run(tmp_path, at(10), at(11)) == raised
