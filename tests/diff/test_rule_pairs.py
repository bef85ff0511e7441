"""Every rule of the gate on its fixture pair (``tests/diff/pairs/*.yaml``): reported under its
id and at its level, and no other change of the pair reported as breaking."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.diff.rule_pairs import Pair, load_pairs, standard
from u4b_vouchers.diff import CHECKS, RULES, diff, load
from u4b_vouchers.diff.config import DiffConfig

PAIRS = load_pairs()


def run(
    tmp_path: Path, before: dict[str, object], after: dict[str, object], config: dict[str, Any] | None = None
) -> list[tuple[str, str]]:
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(before))
    (tmp_path / "revision.yaml").write_text(yaml.safe_dump(after))
    base, revision = load(str(tmp_path / "base.yaml")), load(str(tmp_path / "revision.yaml"))
    return [(f.id, f.level) for f in diff(base, revision, DiffConfig(**(config or {})))]


def implemented() -> set[str]:
    return {rule_id for registered in CHECKS.values() for rule_id in registered.ids}


def test_every_implemented_rule_has_a_fixture_pair() -> None:
    assert sorted(implemented() - {pair.rule for pair in PAIRS}) == []


def test_every_pair_names_a_known_rule() -> None:
    assert sorted({pair.rule for pair in PAIRS} - set(RULES)) == []


def test_an_unchanged_description_has_no_findings(tmp_path: Path) -> None:
    assert run(tmp_path, standard(), standard()) == []


@pytest.mark.parametrize("pair", PAIRS, ids=[f"{p.rule}@{p.source}" for p in PAIRS])
def test_rule(tmp_path: Path, pair: Pair) -> None:
    found = run(tmp_path, pair.base, pair.revision, pair.config)
    assert (pair.rule, RULES[pair.rule].level) in found, found
    breaking = {i for i, level in found if level == "breaking"} - {pair.rule} - pair.also
    assert breaking == set(), found
