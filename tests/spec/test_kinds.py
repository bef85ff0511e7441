"""The registry of rule kinds agrees with the JSON Schema of x-u4b-rules, extensions.md and the
project's rules, and each kind ranks changes the way the diff gate needs."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from u4b_vouchers.spec import KINDS, Spec, openapi_dir, parse_rules
from u4b_vouchers.spec.kinds import ENFORCERS

SCHEMA = yaml.safe_load((openapi_dir() / "x-u4b-rules.schema.yaml").read_text(encoding="utf-8"))
DOC = (openapi_dir() / "extensions.md").read_text(encoding="utf-8")


def _then(kind: str) -> dict[str, Any]:
    """The ``then`` the JSON Schema applies to rules of ``kind`` ({} when it has none)."""
    for branch in SCHEMA["$defs"]["rule"]["allOf"]:
        condition = branch["if"]["properties"]["kind"]
        if condition.get("const") == kind or kind in condition.get("enum", []):
            return dict(branch["then"])
    return {}


def _doc_rows() -> dict[str, str]:
    """kind -> its 'extra fields' cell in extensions.md's table of kinds."""
    table = DOC.split("**Kinds and their extra fields.**", 1)[1].split("**Example.**", 1)[0]
    return dict(re.findall(r"^\| `([a-z-]+)` \| (.*?) \| .* \|$", table, re.MULTILINE))


def test_the_registry_lists_the_kinds_the_json_schema_allows_in_its_order() -> None:
    assert list(KINDS) == SCHEMA["$defs"]["rule"]["properties"]["kind"]["enum"]


@pytest.mark.parametrize("name", list(KINDS))
def test_required_parameters_match_the_json_schema(name: str) -> None:
    kind, then = KINDS[name], _then(name)
    assert set(kind.required) == set(then.get("required", []))
    groups = {tuple(sorted(r["required"][0] for r in then.get(key, []))) for key in ("anyOf", "oneOf")} - {()}
    assert {tuple(sorted(group)) for group in kind.at_least_one_of} == groups
    assert set(then.get("properties", {})) <= set(kind.names)


def test_the_json_schema_allows_both_directions_of_monotonic_rules() -> None:
    assert _then("monotonic")["properties"]["direction"] == {"enum": ["increase", "decrease"]}


def test_extensions_md_documents_every_kind_and_its_parameters() -> None:
    rows = _doc_rows()
    assert list(rows) == list(KINDS)
    for kind in KINDS.values():
        for name in {*kind.required, *kind.own}:
            assert re.search(f"`{name}[`:]", rows[kind.name]), (kind.name, name)
    assert "`decrease`" in rows["monotonic"]


def test_every_rule_of_the_description_fits_its_kind(spec: Spec) -> None:
    raw = {item["id"]: item for item in spec.data["x-u4b-rules"]}
    for rule in parse_rules(spec.data):
        kind = KINDS[rule.kind]
        assert kind.missing(raw[rule.id]) == [], rule.id
        assert set(rule.params) <= kind.own, (rule.id, set(rule.params) - kind.own)


def test_which_kinds_refuse_requests_and_who_enforces_them() -> None:
    assert {k.name for k in KINDS.values() if not k.refuses} == {
        "response",
        "behaviour",
        "default",
        "acceptance",
        "deprecation",
    }
    assert all(k.enforcer in (*ENFORCERS, None) for k in KINDS.values())
    assert {k.name for k in KINDS.values() if k.enforcer is None} == {k.name for k in KINDS.values() if not k.refuses}
    assert KINDS["schema"].enforcer == "schema"
    assert KINDS["monotonic"].enforcer == "state"


def test_missing_parameters_are_named() -> None:
    assert KINDS["monotonic"].missing({"target": "body.x", "when": ["started"], "violation": []}) == [
        "direction",
        "equal",
    ]
    assert KINDS["bound"].missing({"target": "body.x", "violation": []}) == ["minimum or maximum"]
    assert KINDS["bound"].missing({"target": "body.x", "violation": [], "maximum": 3}) == []


MONOTONIC = {"when": ["started"], "direction": "increase", "equal": "unspecified"}


@pytest.mark.parametrize(
    ("kind", "base", "revision", "verdict"),
    [
        ("bound", {"minimum": 1}, {"minimum": 2}, 1),
        ("bound", {"minimum": 1}, {"minimum": 1, "maximum": 9}, 1),
        ("bound", {"maximum": 9}, {"maximum": 10}, -1),
        ("bound", {"minimum": 1, "maximum": 9}, {"minimum": 2, "maximum": 10}, None),
        ("time-window", {"not-after": "P1Y"}, {"not-after": "P6M"}, 1),
        ("time-window", {"not-before": "-PT24H"}, {"not-before": "-PT48H"}, -1),
        ("time-window", {"not-after": "P1Y", "tolerance": "P2D"}, {"not-after": "P1Y", "tolerance": "P5D"}, 0),
        ("time-window", {"not-after": "P1Y"}, {"not-after": "soon"}, None),
        ("quota", {"limit": 10, "per": "program"}, {"limit": 5, "per": "program"}, 1),
        ("quota", {"limit": 10, "per": "program"}, {"limit": 20, "per": "program"}, -1),
        ("quota", {"limit": 10, "per": "program"}, {"limit": 10, "per": "organization"}, None),
        ("program-state", {"forbidden-when": ["canceled"]}, {"forbidden-when": ["canceled", "live"]}, 1),
        ("program-state", {"forbidden-when": ["canceled"]}, {"forbidden-when": []}, -1),
        ("code-scheme", {"code-schemes": ["A", "B"]}, {"code-schemes": ["A"]}, 1),
        ("code-scheme", {"code-schemes": ["A"]}, {"code-schemes": ["B"]}, None),
        ("monotonic", MONOTONIC, {**MONOTONIC, "when": ["started", "not-started"]}, 1),
        ("monotonic", MONOTONIC, {**MONOTONIC, "equal": "forbidden"}, 1),
        ("monotonic", {**MONOTONIC, "equal": "forbidden"}, MONOTONIC, -1),
        ("monotonic", MONOTONIC, {**MONOTONIC, "direction": "decrease"}, None),
        ("monotonic", {**MONOTONIC, "direction": "decrease"}, {**MONOTONIC, "direction": "decrease"}, 0),
        ("format", {"format": "iana-time-zone"}, {"format": "iana-time-zone"}, 0),
        ("format", {"format": "iana-time-zone"}, {"format": "email"}, None),
    ],
)
def test_tightening(kind: str, base: dict[str, Any], revision: dict[str, Any], verdict: int | None) -> None:
    assert KINDS[kind].tightening(base, revision) == verdict
