"""The bounded YAML reader gives the same data and the same refusals with libyaml's parser (the
fast path) as with PyYAML's pure-Python one (the fallback when libyaml is missing, or for text
that might nest too deeply for libyaml's recursion)."""

from __future__ import annotations

import contextlib
import gc
import json
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT
from u4b_vouchers.spec import MAX_DEPTH, SpecError, parse, reading

LOADERS = ["c", "pure"]

ORDINARY = """\
openapi: 3.1.0
info: {title: "t", version: '1.0'}
x-scalars:
  plain: hello world
  quoted: "yes"
  single: 'no'
  int: 42
  octal: 010
  hex: 0x1F
  underscore: 1_000
  float: 1.5e3
  inf: .inf
  bool: yes
  off: off
  null: ~
  empty:
  date: 2026-12-02
  stamp: 2026-12-02T04:56:01Z
  sexagesimal: 1:20
  unicode: "caf\\u00e9 ✓"
  folded: >
    one
    two
  literal: |
    line 1
    line 2
x-anchors:
  base: &base {type: string, maxLength: 10}
  again: *base
  merged:
    <<: *base
    maxLength: 20
  list: &list [1, [2, [3, {four: 4}]]]
  lists: [*list, *list]
? explicit key
: value
"""


@pytest.fixture(params=LOADERS)
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Parse with libyaml (skipped where PyYAML was built without it) or with pure Python."""
    if request.param == "c":
        if not getattr(yaml, "__with_libyaml__", False):
            pytest.skip("PyYAML without libyaml")
        assert issubclass(reading._FastLoader, yaml.CSafeLoader)
    else:
        monkeypatch.setattr(reading, "_FastLoader", yaml.SafeLoader)
    return str(request.param)


def both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    """(what the C path gives, what the pure path gives): data, or the SpecError's text."""
    results = []
    for fast in (reading._FastLoader, yaml.SafeLoader):
        with monkeypatch.context() as patch:
            patch.setattr(reading, "_FastLoader", fast)
            try:
                results.append(parse(text, "doc.yaml"))
            except SpecError as exc:
                results.append(f"SpecError: {exc}")
    return results[0], results[1]


def test_the_fast_path_is_libyaml_when_pyyaml_has_it() -> None:
    if getattr(yaml, "__with_libyaml__", False):
        assert issubclass(reading._FastLoader, yaml.CSafeLoader)
    else:
        assert issubclass(reading._FastLoader, yaml.SafeLoader)


def test_ordinary_yaml_gives_the_same_data_on_both_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    fast, pure = both(ORDINARY, monkeypatch)
    assert fast == pure == yaml.load(ORDINARY, Loader=yaml.SafeLoader)
    assert fast["x-anchors"]["merged"] == {"type": "string", "maxLength": 20}
    assert fast["x-scalars"]["bool"] is True
    assert fast["x-scalars"]["quoted"] == "yes"


def test_the_project_description_gives_the_same_data_on_both_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (ROOT / "openapi" / "vouchers.yaml").read_text(encoding="utf-8")
    fast, pure = both(text, monkeypatch)
    assert isinstance(fast, dict)
    assert json.dumps(fast, sort_keys=True, default=str) == json.dumps(pure, sort_keys=True, default=str)


def _bomb(levels: int = 9) -> str:
    lines = ["l0: &l0 [" + ", ".join(['"lol"'] * 9) + "]"]
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


HOSTILE = {
    "alias-bomb": (_bomb(), "YAML aliases expand to more than"),
    "recursive-alias": ("a: &a [1, *a]\n", "recursive YAML alias"),
    "recursive-mapping-alias": ("a: &a {b: *a}\n", "recursive YAML alias"),
    "flow-just-too-deep": ("x: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n", f"more than {MAX_DEPTH} levels"),
    "block-just-too-deep": (
        "".join(f"{'  ' * i}k{i}:\n" for i in range(MAX_DEPTH + 1)) + "  " * (MAX_DEPTH + 1) + "leaf\n",
        f"more than {MAX_DEPTH} levels",
    ),
    "unhashable-key": ("? [complex, key]\n: value\n", "invalid YAML: while constructing a mapping"),
    "aliases-too-deep": ("a: &a " + "[" * 200 + "1" + "]" * 200 + "\nb: " + "[" * 100 + "*a" + "]" * 100, "levels"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_yaml_is_refused_alike_on_both_paths(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    text, expected = HOSTILE[case]
    fast, pure = both(text, monkeypatch)
    assert fast == pure
    assert isinstance(fast, str), fast
    assert expected in fast


def test_nesting_past_libyaml_s_limit_is_refused_on_both_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past C_LOADER_MAX_DEPTH the pure loader reads either way, and stops at the recursion limit."""
    depth = reading.C_LOADER_MAX_DEPTH + 10
    fast, pure = both("x: " + "[" * depth + "]" * depth + "\n", monkeypatch)
    assert fast == pure == f"SpecError: doc.yaml: {reading.TOO_DEEP}"


@pytest.mark.parametrize("nodes", [49, 50, 51])
def test_the_node_cap_counts_the_same_on_both_paths(nodes: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """A document of ``nodes`` nodes (the mapping, its key, the sequence and its items) against
    a cap of 50: at the cap is fine, one over is refused, with or without aliases."""
    monkeypatch.setattr(reading, "MAX_EXPANDED_NODES", 50)
    plain = "k: [" + ", ".join(["1"] * (nodes - 3)) + "]\n"
    items = nodes - 3 - 1  # the anchored item and its alias are one node each
    aliased = "k: [&a 1, " + ", ".join(["*a"] * items) + "]\n"
    for text in (plain, aliased):
        fast, pure = both(text, monkeypatch)
        assert fast == pure
        if nodes <= 50:
            assert isinstance(fast, dict)
        else:
            assert fast == "SpecError: doc.yaml:1: YAML aliases expand to more than 50 nodes (refused)"


@pytest.mark.parametrize("text", [ORDINARY, _bomb(3), _bomb(), *(text for text, _ in HOSTILE.values())])
def test_the_one_pass_bound_check_agrees_with_the_full_one(text: str) -> None:
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    assert node is not None
    try:
        reading.check_graph(node, "doc.yaml")
    except SpecError:
        refused = True
    else:
        refused = False
    assert reading._within_bounds(node) is not refused


@pytest.mark.parametrize("text", [ORDINARY, _bomb(), "[" * 300 + "]" * 300, "a: [\n"])
def test_the_garbage_collector_is_resumed_after_reading(loader: str, text: str) -> None:
    assert gc.isenabled()
    with contextlib.suppress(SpecError):
        parse(text, "doc.yaml")
    assert gc.isenabled()
    gc.disable()
    try:
        parse(text, "doc.yaml")
    except SpecError:
        pass
    finally:
        still_off = not gc.isenabled()
        gc.enable()
    assert still_off  # a caller that had paused it finds it paused


def test_both_paths_read_a_generated_description_alike(loader: str) -> None:
    from benchmarks.synthetic import build

    document = build(40)
    assert parse(yaml.safe_dump(document, sort_keys=False), "doc.yaml") == document


WITHOUT_MERGE = ORDINARY.replace("    <<: *base\n", "")
TAGGED = {
    "set": "s: !!set {a, b}\n",
    "omap": "o: !!omap [{a: 1}, {b: 2}]\n",
    "pairs": "p: !!pairs [{a: 1}, {a: 2}]\n",
    "binary": "b: !!binary aGVsbG8=\n",
    "explicit-str": "n: !!str 42\nf: !!float '1'\n",
    "duplicate-keys": "a: 1\na: 2\n",
    "null-key": "~: x\n1: one\ntrue: yes\n2026-12-02: date\n",
}


@pytest.mark.parametrize("text", [WITHOUT_MERGE, ORDINARY, *TAGGED.values()], ids=["plain", "merge", *TAGGED])
def test_the_data_is_what_pyyaml_s_safe_loader_builds(loader: str, text: str) -> None:
    assert parse(text, "doc.yaml") == yaml.load(text, Loader=yaml.SafeLoader)


def test_plain_documents_are_built_without_pyyaml_s_constructor() -> None:
    """The one-walk builder takes ordinary YAML (aliases included), and leaves merge keys and
    tagged collections to PyYAML's constructor."""
    node = yaml.compose(WITHOUT_MERGE, Loader=yaml.SafeLoader)
    data = reading._build(node, yaml.SafeLoader(""))
    assert data["x-anchors"]["again"] == {"type": "string", "maxLength": 10}
    assert data["x-anchors"]["lists"] == [[1, [2, [3, {"four": 4}]]]] * 2
    for text in (ORDINARY, TAGGED["set"], TAGGED["omap"], "? [a]\n: b\n"):
        with pytest.raises(reading._Unusual):
            reading._build(yaml.compose(text, Loader=yaml.SafeLoader), yaml.SafeLoader(""))
