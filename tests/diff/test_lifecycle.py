"""The lifecycle checks where the edges matter: how sunsets are read, the day a sunset is
compared with (one day either side), and what the stability levels take out of scope."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from u4b_vouchers.diff import diff, load
from u4b_vouchers.diff.config import DiffConfig
from u4b_vouchers.diff.sunset import LifecycleError, deprecation_days, stability, sunset_date

TODAY = date(2026, 6, 1)
OK = {"200": {"description": "ok"}}


def ids(tmp_path: Path, base: dict[str, Any], revision: dict[str, Any], **config: Any) -> set[str]:
    docs = []
    for name, paths in (("base", base), ("revision", revision)):
        (tmp_path / f"{name}.yaml").write_text(
            yaml.safe_dump({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths})
        )
        docs.append(load(str(tmp_path / f"{name}.yaml")))
    return {f.id for f in diff(docs[0], docs[1], DiffConfig(**{"today": TODAY, **config}))}


def get(**fields: Any) -> dict[str, Any]:
    return {"/a": {"get": {**fields, "responses": OK}, "post": {"responses": OK}}}


def without_get() -> dict[str, Any]:
    return {"/a": {"post": {"responses": OK}}}


# ------------------------------------------------------------------ reading a sunset


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-07-01", date(2026, 7, 1)),
        ("2026-07-01T00:00:00Z", date(2026, 7, 1)),
        ("2026-07-01T23:30:00-05:00", date(2026, 7, 1)),  # the date in its own offset, not UTC's
        ("2026-07-01T10:00:00.123+02:00", date(2026, 7, 1)),
        (date(2026, 7, 1), date(2026, 7, 1)),  # an unquoted YAML date
        (datetime(2026, 7, 1, 1, 0, tzinfo=UTC), date(2026, 7, 1)),
    ],
)
def test_a_sunset_is_a_date_or_an_rfc3339_timestamp(value: Any, expected: date) -> None:
    assert sunset_date(value) == expected


@pytest.mark.parametrize(
    "value", ["2026-7-1", "20260701", "2026-02-30", "2026-07-01T10:00", "2026-07-01 10:00:00Z", "soon", 20260701, None]
)
def test_anything_else_is_not_a_sunset(value: Any) -> None:
    with pytest.raises(LifecycleError):
        sunset_date(value)


def test_stability_levels() -> None:
    assert stability({}) == ""
    assert stability({"x-stability-level": "beta"}) == "beta"
    for bad in ("ga", 1, "Beta"):
        with pytest.raises(LifecycleError):
            stability({"x-stability-level": bad})


def test_deprecation_days_by_level() -> None:
    config = DiffConfig(deprecation_days_beta=10, deprecation_days_stable=20)
    assert [deprecation_days(config, level) for level in ("draft", "alpha", "beta", "stable", "")] == [0, 0, 10, 20, 20]


# ------------------------------------------------------------------ the day compared with


@pytest.mark.parametrize(("offset", "expected"), [(-1, set()), (0, set()), (1, {"api-removed-before-sunset"})])
def test_an_operation_may_go_from_its_sunset_day_on(tmp_path: Path, offset: int, expected: set[str]) -> None:
    sunset = (TODAY + timedelta(days=offset)).isoformat()
    assert ids(tmp_path, get(deprecated=True, **{"x-sunset": sunset}), without_get()) == expected


@pytest.mark.parametrize(
    ("days_left", "expected"), [(29, "api-sunset-date-too-small"), (30, "endpoint-deprecated-with-sunset")]
)
def test_a_deprecation_must_leave_the_days_asked_for(tmp_path: Path, days_left: int, expected: str) -> None:
    sunset = (TODAY + timedelta(days=days_left)).isoformat()
    found = ids(tmp_path, get(), get(deprecated=True, **{"x-sunset": sunset}), deprecation_days_stable=30)
    assert found == {expected}


def test_beta_operations_are_held_to_the_beta_days(tmp_path: Path) -> None:
    sunset = (TODAY + timedelta(days=15)).isoformat()
    beta = {"x-stability-level": "beta"}
    found = ids(
        tmp_path,
        get(**beta),
        get(**beta, deprecated=True, **{"x-sunset": sunset}),
        deprecation_days_beta=10,
        deprecation_days_stable=100,
    )
    assert found == {"endpoint-deprecated-with-sunset"}


def test_without_a_policy_a_deprecation_needs_no_sunset(tmp_path: Path) -> None:
    """oasdiff's default policy requires no days, so no sunset; a policy that does requires one."""
    assert ids(tmp_path, get(), get(deprecated=True)) == {"endpoint-deprecated"}
    policy = {"deprecation_days_beta": 31, "deprecation_days_stable": 180}
    assert ids(tmp_path, get(), get(deprecated=True), **policy) == {"api-deprecated-sunset-missing"}


def test_a_sunset_moved_later_or_still_far_enough_is_fine(tmp_path: Path) -> None:
    def moved(before: str, after: str) -> set[str]:
        return ids(
            tmp_path,
            get(deprecated=True, **{"x-sunset": before}),
            get(deprecated=True, **{"x-sunset": after}),
            deprecation_days_stable=30,
        )

    assert moved("2026-07-15", "2026-08-15") == set()
    assert moved("2026-09-01", "2026-07-01") == set()  # 30 days away: enough
    assert moved("2026-09-01", "2026-06-30") == {"api-sunset-date-changed-too-small"}


# ------------------------------------------------------------------ stability levels


@pytest.mark.parametrize("level", ["draft", "alpha"])
def test_draft_and_alpha_operations_may_go_at_any_time(tmp_path: Path, level: str) -> None:
    assert ids(tmp_path, get(**{"x-stability-level": level}), without_get()) == set()


def test_an_operation_whose_level_cannot_be_read_is_reported_not_judged(tmp_path: Path) -> None:
    assert ids(tmp_path, get(**{"x-stability-level": "ga"}), without_get()) == {"api-invalid-stability-level"}


def test_an_alpha_revision_takes_the_operation_out_of_scope(tmp_path: Path) -> None:
    query = [{"name": "q", "in": "query", "schema": {"type": "string"}}]
    alpha = {"x-stability-level": "alpha"}
    assert ids(tmp_path, get(**alpha, parameters=query), get(**alpha)) == set()
    assert ids(tmp_path, get(parameters=query), get()) == {"request-parameter-removed"}


def test_a_level_raised_from_below_the_threshold_is_not_reported(tmp_path: Path) -> None:
    assert ids(tmp_path, get(**{"x-stability-level": "draft"}), get()) == set()
    assert ids(tmp_path, get(**{"x-stability-level": "beta"}), get(**{"x-stability-level": "alpha"})) == {
        "api-stability-decreased"
    }


def body(**prop: Any) -> dict[str, Any]:
    schema = {"type": "object", "properties": {"p": {"type": "string", **prop}}}
    return {"/a": {"post": {"requestBody": {"content": {"application/json": {"schema": schema}}}, "responses": OK}}}


def test_a_property_level_is_read_only_where_its_extensions_changed(tmp_path: Path) -> None:
    bad = {"x-stability-level": "ga"}
    assert "api-invalid-stability-level" not in ids(tmp_path, body(**bad), body(**bad, minLength=1))
    assert "api-invalid-stability-level" in ids(tmp_path, body(**bad), body(**bad, **{"x-other": 1}))


def test_an_invalid_level_on_an_operation_left_as_it_was_is_not_reported(tmp_path: Path) -> None:
    bad = {"x-stability-level": "ga"}
    paths = {"/a": {"get": {**bad, "responses": OK}}, "/b": {"get": {"responses": OK}}}
    changed = {"/a": {"get": {**bad, "responses": OK}}, "/b": {"get": {"summary": "b", "responses": OK}}}
    assert ids(tmp_path, paths, changed) == set()
    assert ids(tmp_path, paths, {**changed, "/a": {"get": {**bad, "summary": "a", "responses": OK}}}) == {
        "api-invalid-stability-level"
    }
