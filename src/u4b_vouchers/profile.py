"""Target profiles: where a target is, who may call it, and which fixtures it has.

One format for every target: the vendor's sandbox, any emulator over HTTP, the embedded one.
A profile is TOML; secrets are best given through environment variables (``*_env`` keys), which
win over literal values. Nothing else may be assumed of a target: an identity or fixture the
profile does not name makes the checks that need it "not covered".

Example::

    name = "sandbox"
    base_url = "https://sandbox-api.uber.com"
    token_url = "https://auth.uber.com/oauth/v2/token"
    organization_id = "..."
    foreign_organization_id = "..."
    emulator = false            # true only for a target with the /__emulator control plane

    [identities.first_party]
    grant = "client_credentials"
    client_id_env = "U4B_CLIENT_ID"
    client_secret_env = "U4B_CLIENT_SECRET"
    scope = "organizations.voucher_programs"

    [identities.delegated]      # an authorization-code token obtained beforehand
    grant = "authorization_code"
    access_token_env = "U4B_DELEGATED_TOKEN"

    [fixtures]
    program_started_multi_code = "..."

    [limits]
    request_budget = 2000
    requests_per_second = 5
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Identities a profile may name (issue: contract suites, "Targets and profiles").
IDENTITIES = (
    "first_party",
    "delegated",
    "no_voucher_scope",
    "third_party_authorized",
    "third_party_unauthorized",
)

#: Fixture kinds a profile may name.
FIXTURES = (
    "program_not_started_single_code",
    "program_started_single_code",
    "program_not_started_multi_code",
    "program_started_multi_code",
    "program_canceled",
    "program_without_optional_values",
    "program_with_many_guests",
    "program_completed",
    "foreign_program",
    "template_active",
    "template_active_program_uuid",
    "template_active_owner_uuid",
    "template_active_name",
    "template_inactive",
    "template_inactive_program_uuid",
    "template_inactive_name",
)

GRANTS = ("client_credentials", "authorization_code")
SECRET_FIELDS = ("client_id", "client_secret", "access_token")


class ProfileError(Exception):
    """The profile cannot be used; the message is one line."""


@dataclass(frozen=True)
class Identity:
    """A way to call the target. ``missing`` lists environment variables that were not set."""

    name: str
    grant: str
    client_id: str | None = None
    client_secret: str | None = None
    scope: str | None = None
    access_token: str | None = None
    missing: tuple[str, ...] = ()

    @property
    def available(self) -> bool:
        if self.missing:
            return False
        if self.access_token:
            return True
        return bool(self.client_id and self.client_secret)


@dataclass(frozen=True)
class Profile:
    name: str
    base_url: str
    token_url: str
    organization_id: str
    foreign_organization_id: str | None = None
    emulator: bool = False
    identities: dict[str, Identity] = field(default_factory=dict)
    fixtures: dict[str, str] = field(default_factory=dict)
    request_budget: int | None = None
    requests_per_second: float | None = None

    def identity(self, name: str) -> Identity | None:
        found = self.identities.get(name)
        return found if found is not None and found.available else None

    def fixture(self, kind: str) -> str | None:
        return self.fixtures.get(kind)


def _string(table: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str | None:
    value = table.get(key)
    if value is None:
        if required:
            raise ProfileError(f"{where}: missing {key}")
        return None
    if not isinstance(value, str) or not value:
        raise ProfileError(f"{where}: {key} must be a non-empty string")
    return value


def _identity(name: str, table: Any, where: str, environ: Mapping[str, str]) -> Identity:
    if not isinstance(table, dict):
        raise ProfileError(f"{where}: must be a table")
    grant = _string(table, "grant", where) or ""
    if grant not in GRANTS:
        raise ProfileError(f"{where}: grant must be one of {', '.join(GRANTS)}")
    values: dict[str, str | None] = {}
    missing: list[str] = []
    for key in SECRET_FIELDS:
        variable = _string(table, f"{key}_env", where, required=False)
        if variable is not None:
            if environ.get(variable):
                values[key] = environ[variable]
            else:
                missing.append(variable)
        else:
            values[key] = _string(table, key, where, required=False)
    unknown = set(table) - {"grant", "scope", *SECRET_FIELDS, *(f"{k}_env" for k in SECRET_FIELDS)}
    if unknown:
        raise ProfileError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    return Identity(
        name=name,
        grant=grant,
        client_id=values.get("client_id"),
        client_secret=values.get("client_secret"),
        scope=_string(table, "scope", where, required=False),
        access_token=values.get("access_token"),
        missing=tuple(missing),
    )


def parse_profile(
    data: Mapping[str, Any], *, source: str = "profile", environ: Mapping[str, str] | None = None
) -> Profile:
    env = os.environ if environ is None else environ
    identities_table = data.get("identities") or {}
    if not isinstance(identities_table, dict):
        raise ProfileError(f"{source}: [identities] must be a table")
    unknown = set(identities_table) - set(IDENTITIES)
    if unknown:
        raise ProfileError(
            f"{source}: unknown identities {', '.join(sorted(unknown))} (known: {', '.join(IDENTITIES)})"
        )
    fixtures = data.get("fixtures") or {}
    if not isinstance(fixtures, dict) or not all(isinstance(v, str) for v in fixtures.values()):
        raise ProfileError(f"{source}: [fixtures] must map fixture kinds to strings")
    unknown = set(fixtures) - set(FIXTURES)
    if unknown:
        raise ProfileError(f"{source}: unknown fixture kind(s) {', '.join(sorted(unknown))}")
    limits = data.get("limits") or {}
    budget, rate = limits.get("request_budget"), limits.get("requests_per_second")
    if budget is not None and (not isinstance(budget, int) or budget < 1):
        raise ProfileError(f"{source}: limits.request_budget must be a positive integer")
    if rate is not None and (not isinstance(rate, int | float) or rate < 0):
        raise ProfileError(f"{source}: limits.requests_per_second must be a number >= 0")
    base_url = _string(data, "base_url", source) or ""
    if not base_url.startswith(("http://", "https://")):
        raise ProfileError(f"{source}: base_url must start with http:// or https://")
    return Profile(
        name=_string(data, "name", source, required=False) or source,
        base_url=base_url.rstrip("/"),
        token_url=_string(data, "token_url", source) or "",
        organization_id=_string(data, "organization_id", source) or "",
        foreign_organization_id=_string(data, "foreign_organization_id", source, required=False),
        emulator=bool(data.get("emulator", False)),
        identities={
            name: _identity(name, table, f"{source}: identities.{name}", env)
            for name, table in identities_table.items()
        },
        fixtures=dict(fixtures),
        request_budget=budget,
        requests_per_second=float(rate) if rate else None,
    )


def load_profile(path: str | Path, *, environ: Mapping[str, str] | None = None) -> Profile:
    file = Path(path)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProfileError(f"{file}: no such profile") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"{file}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{file}: invalid TOML: {exc}") from None
    except RecursionError:
        raise ProfileError(f"{file}: nested too deeply to read") from None
    return parse_profile(data, source=str(file), environ=environ)


def profile_data(profile: Profile) -> dict[str, Any]:
    """The mapping :func:`parse_profile` reads back as ``profile`` (secrets as literal values;
    an identity's unset environment variables are not written)."""
    data: dict[str, Any] = {
        "name": profile.name,
        "base_url": profile.base_url,
        "token_url": profile.token_url,
        "organization_id": profile.organization_id,
    }
    if profile.foreign_organization_id:
        data["foreign_organization_id"] = profile.foreign_organization_id
    data["emulator"] = profile.emulator
    identities: dict[str, dict[str, str]] = {}
    for name, identity in profile.identities.items():
        entry = {"grant": identity.grant}
        for key in ("client_id", "client_secret", "scope", "access_token"):
            value = getattr(identity, key)
            if value:
                entry[key] = value
        identities[name] = entry
    if identities:
        data["identities"] = identities
    if profile.fixtures:
        data["fixtures"] = dict(profile.fixtures)
    limits: dict[str, Any] = {}
    if profile.request_budget is not None:
        limits["request_budget"] = profile.request_budget
    if profile.requests_per_second is not None:
        limits["requests_per_second"] = profile.requests_per_second
    if limits:
        data["limits"] = limits
    return data


def emulator_profile(
    described: Mapping[str, Any],
    secrets: Mapping[str, str],
    base_url: str,
    *,
    token_path: str,
    name: str = "emulator",
    control_plane: bool = True,
) -> Profile:
    """The profile of an emulator at ``base_url`` whose seed describes itself as ``described``
    (the seed's ``profile`` table: organization ids, identities without secrets, fixtures);
    ``secrets`` maps client ids to their secrets."""
    identities = {}
    for identity, table in (described.get("identities") or {}).items():
        entry = dict(table)
        if "client_id" in entry:
            entry["client_secret"] = secrets.get(str(entry["client_id"]), "")
        identities[identity] = entry
    base = base_url.rstrip("/")
    data = {
        "name": name,
        "base_url": base,
        "token_url": base + token_path,
        "organization_id": described.get("organization_id", ""),
        "emulator": control_plane,
        "identities": identities,
        "fixtures": dict(described.get("fixtures") or {}),
    }
    if described.get("foreign_organization_id"):
        data["foreign_organization_id"] = described["foreign_organization_id"]
    return parse_profile(data, source=name, environ={})


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(str(value))  # a JSON string is a valid TOML basic string


def dump_profile(profile: Profile) -> str:
    """TOML text that :func:`load_profile` reads back as ``profile``."""
    data = profile_data(profile)
    lines = ["# u4b-vouchers target profile"]
    tables = {k: v for k, v in data.items() if isinstance(v, dict)}
    for key, value in data.items():
        if not isinstance(value, dict):
            lines.append(f"{key} = {_toml_value(value)}")
    for key, table in tables.items():
        nested = {k: v for k, v in table.items() if isinstance(v, dict)}
        flat = {k: v for k, v in table.items() if not isinstance(v, dict)}
        if flat:
            lines += ["", f"[{key}]", *(f"{k} = {_toml_value(v)}" for k, v in flat.items())]
        for name, sub in nested.items():
            lines += ["", f"[{key}.{name}]", *(f"{k} = {_toml_value(v)}" for k, v in sub.items())]
    return "\n".join(lines) + "\n"
