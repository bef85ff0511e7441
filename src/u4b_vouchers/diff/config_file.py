"""``--config FILE``: the diff options in a YAML, JSON or TOML file, keyed by flag name without
the leading ``--`` (``fail-on: ERR``, ``err-ignore: ignore-err.txt``), as oasdiff's config files are.

The file is read bounded (``spec.read_text``); a key this command does not take, or a value of
the wrong type, is a one-line :class:`ConfigFileError`. Relative paths of ``err-ignore``,
``warn-ignore`` and ``severity-levels`` are taken from the config file's folder.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..spec import SpecError, parse, read_text
from .filters import ELEMENTS
from .formats import FORMATS
from .levels import PROFILES
from .rules import BREAKING, INFO, WARNING


class ConfigFileError(ValueError):
    """A config file or an option value that cannot be used (one line)."""


def _error(what: str, message: str) -> ConfigFileError:
    return ConfigFileError(f"{what}: {message}" if what else message)


def _word(value: Any, allowed: dict[str, str], what: str) -> str:
    if not isinstance(value, str) or value.lower() not in allowed:
        raise _error(what, f"expected one of {', '.join(allowed)}, got {_show(value)}")
    return allowed[value.lower()]


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:80] + "..."


FAIL_ON_WORDS = {BREAKING: BREAKING, WARNING: WARNING, "err": BREAKING, "warn": WARNING}
LEVEL_WORDS = {**FAIL_ON_WORDS, INFO: INFO}


def read_fail_on(value: Any, what: str = "fail-on") -> str:
    """``breaking`` or ``warning`` (oasdiff's ``ERR`` and ``WARN`` too, any case)."""
    return _word(value, FAIL_ON_WORDS, what)


def read_level(value: Any, what: str = "level") -> str:
    """``breaking``, ``warning`` or ``info`` (oasdiff's ``ERR``, ``WARN``, ``INFO`` too)."""
    return _word(value, LEVEL_WORDS, what)


def read_format(value: Any, what: str = "format") -> str:
    return _word(value, {f: f for f in FORMATS}, what)


def read_profile(value: Any, what: str = "levels") -> str:
    return _word(value, {p: p for p in PROFILES}, what)


def read_string(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise _error(what, f"expected a string, got {_show(value)}")
    return value


def read_days(value: Any, what: str) -> int:
    """A number of days: an integer, 0 or more."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _error(what, f"expected a whole number of days (0 or more), got {_show(value)}")
    return value


def read_elements(value: Any, what: str = "exclude-elements") -> tuple[str, ...]:
    """A list of element names, or one string of names separated by commas."""
    if isinstance(value, str):
        value = [v for v in (part.strip() for part in value.split(",")) if v]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _error(what, f"expected a list of element names, got {_show(value)}")
    for name in value:
        if name not in ELEMENTS:
            raise _error(what, f"unknown element {name!r} (expected one of: {', '.join(ELEMENTS)})")
    return tuple(value)


#: Key -> (the argparse ``dest`` it sets, how its value is read).
CONFIG_KEYS: dict[str, tuple[str, Callable[[Any, str], Any]]] = {
    "format": ("format", read_format),
    "fail-on": ("fail_on", read_fail_on),
    "level": ("level", read_level),
    "levels": ("levels", read_profile),
    "severity-levels": ("severity_levels", read_string),
    "err-ignore": ("err_ignore", read_string),
    "warn-ignore": ("warn_ignore", read_string),
    "match-path": ("match_path", read_string),
    "unmatch-path": ("unmatch_path", read_string),
    "exclude-elements": ("exclude_elements", read_elements),
    "deprecation-days-beta": ("deprecation_days_beta", read_days),
    "deprecation-days-stable": ("deprecation_days_stable", read_days),
}
#: Keys whose value is a file, read from the config file's folder when relative.
PATH_KEYS = ("severity-levels", "err-ignore", "warn-ignore")
#: oasdiff's other config keys: named in the error, so a shared file fails clearly.
OASDIFF_ONLY = frozenset(
    [
        "attributes",
        "composed",
        "flatten-allof",
        "flatten-params",
        "case-insensitive-headers",
        "lang",
        "color",
        "fail-on-diff",
        "stability-level",
        "exclude-extensions",
        "severity",
        "tags",
        "filter-extension",
        "prefix-base",
        "prefix-revision",
        "strip-prefix-base",
        "strip-prefix-revision",
        "include-path-params",
        "match-inline-refs",
        "allow-external-refs",
        "auto-upgrade",
        "fetch",
        "template",
    ]
)


def _data(path: Path) -> Any:
    where = str(path)
    try:
        content = read_text(path)
        if path.suffix.lower() == ".toml":
            try:
                return tomllib.loads(content)
            except tomllib.TOMLDecodeError as exc:
                raise ConfigFileError(f"{where}: not TOML: {str(exc).splitlines()[0][:200]}") from None
            except RecursionError:
                raise ConfigFileError(f"{where}: not TOML: nested too deeply") from None
        return parse(content, where)
    except SpecError as exc:
        raise ConfigFileError(str(exc)) from None


def read_config(path: str | Path) -> dict[str, Any]:
    """The options ``path`` sets, by argparse ``dest``, each value checked."""
    path = Path(path)
    data = _data(path)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigFileError(f"{path}: expected a mapping of option names to values")
    options: dict[str, Any] = {}
    for key, value in data.items():
        if key not in CONFIG_KEYS:
            shown = _show(key)
            if key in OASDIFF_ONLY:
                raise ConfigFileError(f"{path}: {shown}: an oasdiff option u4b-vouchers diff does not take")
            raise ConfigFileError(f"{path}: unknown key {shown} (expected one of: {', '.join(CONFIG_KEYS)})")
        dest, read = CONFIG_KEYS[key]
        options[dest] = read(value, f"{path}: {key}")
        if key in PATH_KEYS:
            options[dest] = str(path.parent / options[dest])
    return options
