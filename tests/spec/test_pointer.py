from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from u4b_vouchers.spec import pointer as jp

tokens = st.lists(st.text(alphabet=st.sampled_from("ab/~01{} "), max_size=6), max_size=5)


@given(tokens)
def test_join_and_split_round_trip(parts: list[str]) -> None:
    assert jp.split(jp.join(parts)) == parts


def test_resolve_walks_mappings_and_lists() -> None:
    doc = {"paths": {"/a/b": {"get": {"tags": ["x", "y"]}}}}
    assert jp.resolve(doc, "#/paths/~1a~1b/get/tags/1") == "y"
    assert jp.resolve(doc, "#") == doc


@pytest.mark.parametrize("pointer", ["#/paths/nope", "#/paths/~1a~1b/get/tags/9", "#/paths/~1a~1b/get/tags/x", "nope"])
def test_resolve_reports_missing_steps(pointer: str) -> None:
    with pytest.raises(KeyError):
        jp.resolve({"paths": {"/a/b": {"get": {"tags": ["x"]}}}}, pointer)
