"""Media type names: their parts, and when one is a refinement of another (as oasdiff pairs a
media type renamed in a revision with the one it replaces)."""

from __future__ import annotations


def media_parts(name: str) -> tuple[str, str, str, dict[str, str]] | None:
    """(type, subtype, suffix, parameters) of a media type name, or None if it is not one."""
    essence, *params = name.split(";")
    kind, slash, subtype = essence.strip().lower().partition("/")
    if not slash or not kind or not subtype:
        return None
    base, plus, suffix = subtype.partition("+")
    if plus and (not suffix or "+" in suffix):
        return None
    parsed = {}
    for param in params:
        key, equals, value = param.partition("=")
        if not equals:
            return None
        parsed[key.strip().lower()] = value.strip().strip('"')
    return kind, base, suffix, parsed


def media_contained(general: str, specific: str) -> bool:
    """``specific`` is ``general`` or a refinement of it (``application/json`` contains
    ``application/problem+json``); parameters are not compared."""
    g, s = media_parts(general), media_parts(specific)
    if g is None or s is None or g[0] != s[0]:
        return False
    if not g[2] and s[2] and s[2] == g[1]:
        return True
    return g[1] == s[1] and g[2] == s[2]


def equivalent(one: str, other: str) -> bool:
    """Whether two media type names are one renamed into the other (either contains the other)."""
    return media_contained(one, other) or media_contained(other, one)
