"""Small strategies for values that break one schema keyword (and nothing else)."""

from __future__ import annotations

import re
import zoneinfo
from functools import cache
from typing import Any

from hypothesis import strategies as st

BIG = 10**9


def beyond_maximum(maximum: int) -> st.SearchStrategy[int]:
    """Values past ``maximum``, up to ten times as far (a count that big is work a drifting
    server would really do: no probe asks it for a billion codes)."""
    return st.integers(min_value=maximum + 1, max_value=max(maximum * 10, maximum + 100))


def below_minimum(minimum: int) -> st.SearchStrategy[int]:
    return st.integers(min_value=-BIG, max_value=minimum - 1)


def near_misses(values: list[Any]) -> list[str]:
    """Strings a careless server might take for one of ``values``: another case, a letter lost
    or added, the empty string, and a plausible sibling of the same family."""
    found: list[str] = []
    for value in (str(v) for v in values):
        found += [value.lower(), value.title(), value[:-1], value + "S", value.replace("_", " ")]
    found += ["", "WEEKLY", "YEARLY", "UNKNOWN"]
    return [v for v in dict.fromkeys(found) if v not in values]


def outside(values: list[Any]) -> st.SearchStrategy[str]:
    return st.text(
        alphabet=st.characters(codec="ascii", categories=("Lu", "Ll", "Nd", "Pc")),
        min_size=1,
        max_size=20,
    ).filter(lambda text: text not in values)


def not_matching(pattern: str) -> st.SearchStrategy[str]:
    compiled = re.compile(pattern)
    return st.text(max_size=20).filter(lambda text: compiled.search(text) is None)


def not_emails() -> st.SearchStrategy[str]:
    return st.text(alphabet=st.characters(codec="ascii", exclude_characters="@"), max_size=20)


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def pattern_near_misses(pattern: str, valid: str) -> list[str]:
    """Strings one small slip away from ``valid`` (which matches ``pattern``) that no longer
    match: a character lost at either end, a space or a letter added, the separator kept."""
    candidates = [valid[1:], valid[:-1], valid + "x", f" {valid}", valid[:3] + " " + valid[3:], valid + valid[-1] * 12]
    compiled = re.compile(pattern)
    return [c for c in dict.fromkeys(candidates) if c and compiled.search(c) is None]


def email_near_misses(valid: str = "contract-suite@example.com") -> list[str]:
    """Addresses one slip away from ``valid`` that no reading of "an email address" takes: the
    ``@`` lost, or spelt out. (A lone ``@`` at either end is left out: lax format checkers,
    jsonschema's among them, take any string with an ``@``, and the documents name no RFC.)"""
    local, _, domain = valid.partition("@")
    return [f"{local}{domain}", f"{local}.{domain}", f"{local}(at){domain}"]


def time_zone_near_misses(valid: str = "Europe/Paris") -> list[str]:
    """Names one slip away from a tz database name: another case, a letter lost or added, the
    area or the city alone, a space for the underscore (each checked not to be a real name)."""
    area, _, city = valid.partition("/")
    candidates = [valid.lower(), valid.upper(), valid[:-1], valid + "s", city, f"{area}/", "Europe/Saint Petersburg"]
    return [c for c in dict.fromkeys(candidates) if c not in _zones()]


def not_time_zones() -> st.SearchStrategy[str]:
    return st.from_regex(r"[A-Z][a-z]{2,8}/[A-Z][a-z]{2,10}_[A-Z][a-z]{2,8}", fullmatch=True).filter(
        lambda t: t not in _zones()
    )


def not_integers() -> st.SearchStrategy[Any]:
    """JSON values that are not integers (a number with a fraction, a numeric string, ...)."""
    return st.one_of(
        st.integers(min_value=1, max_value=1000).map(str),
        st.floats(min_value=0.01, max_value=1000, allow_nan=False).filter(lambda x: not float(x).is_integer()),
        st.booleans(),
        st.just(None),
    )
