"""Target profiles: where a target is, who may call it, and which fixtures it has.

One format for every target: the vendor's sandbox, any emulator over HTTP, the embedded one.
:func:`profile_template` writes a commented one for the sandbox to fill in (``u4b-vouchers
init-profile``); a value still :data:`PLACEHOLDER` is refused, naming its key.
A profile is TOML; secrets are best given through environment variables (``*_env`` keys), which
win over literal values. :func:`profile_from_options` builds one in memory from ``check --url``'s
options, through the same reader. Nothing else may be assumed of a target: an identity or fixture the
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

    [limits]                    # every key optional; check's flags win over them
    request_budget = 2000
    requests_per_second = 5
    deadline_seconds = 1800     # the whole run (default 3600)
    request_timeout_seconds = 30
    max_response_bytes = 10485760
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class IdentityKind:
    """What an identity of a profile is: its grant, the caller it plays in the ``identity`` words
    of ``x-u4b-rules`` (where the scope it asks for is read), and how to get one."""

    grant: str
    plays: str
    about: str


#: Identities a profile may name (issue: contract suites, "Targets and profiles"), with what each is.
IDENTITY_KINDS = {
    "first_party": IdentityKind(
        "client_credentials",
        "client-credentials",
        "your organization's own application (client credentials): its client id and secret",
    ),
    "delegated": IdentityKind(
        "authorization_code",
        "authorization-code",
        "a token a user of the organization granted through the authorization-code flow, obtained "
        "beforehand (check does not run the browser flow)",
    ),
    "no_voucher_scope": IdentityKind(
        "client_credentials",
        "no-voucher-scope",
        "an application of the organization with none of the voucher scopes: every operation must refuse it",
    ),
    "third_party_authorized": IdentityKind(
        "client_credentials",
        "third-party-authorized",
        "a third-party (aggregator) application the organization has authorized",
    ),
    "third_party_unauthorized": IdentityKind(
        "client_credentials",
        "third-party-unauthorized",
        "a third-party (aggregator) application the organization has not authorized",
    ),
}
IDENTITIES = tuple(IDENTITY_KINDS)

#: Fixture kinds a profile may name: ids of things that exist before the run, with what each is
#: (the suites never assume others; a kind the profile leaves out makes its checks "not covered").
FIXTURE_KINDS = {
    "program_not_started_single_code": "a SINGLE_CODE_MULTI_REDEEM program whose starts_at is still ahead, "
    "with every optional value field set (deductible, percentage, max trips, max credit)",
    "program_started_single_code": "a SINGLE_CODE_MULTI_REDEEM program whose starts_at has passed and ends_at not, "
    "with every optional value field set",
    "program_not_started_multi_code": "a MULTI_CODE_SINGLE_REDEEM program whose starts_at is still ahead, "
    "with every optional value field set",
    "program_started_multi_code": "a MULTI_CODE_SINGLE_REDEEM program whose starts_at has passed and ends_at not, "
    "with every optional value field set",
    "program_canceled": "a canceled program",
    "program_without_optional_values": "a started program with none of the optional value fields "
    "(deductible, percentage, max trips, max credit)",
    "program_with_many_guests": "a program with more guests than one page of Get Voucher Program Guest Info",
    "program_completed": "optional: a program whose ends_at has passed",
    "foreign_program": "optional: a program of the foreign organization (foreign_organization_id)",
    "template_active": "the template_uuid of an active program template of the organization "
    "(Create Individual Voucher Program is based on it)",
    "template_active_program_uuid": "the program_uuid stored with that active template",
    "template_active_owner_uuid": "the owner_uuid a program of that template is created for "
    "(your organization's UUID for owner_type ORGANIZATION)",
    "template_active_name": "that active template's name, exactly",
    "template_inactive": "the template_uuid of an inactive program template (Create must answer 402)",
    "template_inactive_program_uuid": "optional: the program_uuid stored with that inactive template",
    "template_inactive_name": "optional: that inactive template's name (with the program_uuid, "
    "it makes the 402 check exact)",
}
FIXTURES = tuple(FIXTURE_KINDS)

#: The value ``u4b-vouchers init-profile`` writes where only the user knows the answer; a profile
#: still holding it is refused, naming the key to fill in.
PLACEHOLDER = "REPLACE-ME"

GRANTS = ("client_credentials", "authorization_code")
SECRET_FIELDS = ("client_id", "client_secret", "access_token")
#: The top-level keys a profile may have (anything else is refused, as in its tables).
TOP_KEYS = (
    "name",
    "base_url",
    "token_url",
    "organization_id",
    "foreign_organization_id",
    "emulator",
    "control_token_env",
    "identities",
    "fixtures",
    "limits",
)
#: The largest profile file read (bytes).
MAX_PROFILE_BYTES = 1_048_576
#: The longest string value a profile may hold.
MAX_STRING = 4096


class ProfileError(Exception):
    """The profile cannot be used; the message is one line."""


@dataclass(frozen=True)
class Limit:
    """A ``[limits]`` key: an integer or a number in ``[lowest, highest]``; ``zero`` is allowed
    as well when it means "no cap"."""

    key: str
    integer: bool
    lowest: float
    highest: float
    zero: bool = False

    def check(self, value: Any, where: str) -> int | float:
        kind = "an integer" if self.integer else "a number"
        allowed = (int,) if self.integer else (int, float)
        shown = f"{self.lowest:g} to {self.highest:g}" + (" (or 0 for no cap)" if self.zero else "")
        if isinstance(value, bool) or not isinstance(value, allowed):
            raise ProfileError(f"{where}: limits.{self.key} must be {kind} from {shown}, got {_shown(value)}")
        if value == 0 and self.zero:
            return value
        if not self.lowest <= value <= self.highest:  # nan fails every comparison
            raise ProfileError(f"{where}: limits.{self.key} must be {kind} from {shown}, got {value!r}")
        return value


#: The ``[limits]`` table: what a run may spend and how long it may wait.
LIMITS = {
    limit.key: limit
    for limit in (
        Limit("request_budget", integer=True, lowest=1, highest=10_000_000),
        Limit("requests_per_second", integer=False, lowest=0.01, highest=10_000, zero=True),
        Limit("deadline_seconds", integer=False, lowest=1, highest=86_400),
        Limit("request_timeout_seconds", integer=False, lowest=0.1, highest=600),
        Limit("max_response_bytes", integer=True, lowest=1024, highest=1_073_741_824),
    )
}


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

    @property
    def unavailable_reason(self) -> str:
        """Why the identity cannot be used (empty when it can)."""
        if self.missing:
            return f"the {self.name} identity needs {', '.join(self.missing)}, which is not set"
        if not self.available:
            return f"the {self.name} identity has neither an access token nor a client id and secret"
        return ""


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
    deadline_seconds: float | None = None
    request_timeout_seconds: float | None = None
    max_response_bytes: int | None = None
    #: The environment variable holding the control plane's token (a profile never holds it).
    control_token_env: str | None = None
    #: The control plane's token, read from ``control_token_env``.
    control_token: str | None = None
    #: ``control_token_env`` when that variable is not set (the control plane is then unusable).
    control_token_missing: str | None = None

    def identity(self, name: str) -> Identity | None:
        found = self.identities.get(name)
        return found if found is not None and found.available else None

    def unavailable(self, name: str) -> str:
        """Why identity ``name`` cannot be used, naming any unset variable (empty when it can)."""
        found = self.identities.get(name)
        if found is None:
            return f"the profile has no {name} identity"
        return found.unavailable_reason

    def fixture(self, kind: str) -> str | None:
        return self.fixtures.get(kind)


def _shown(value: Any) -> str:
    """A value's TOML type, for messages (never the value itself: it may be a secret)."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return {int: "an integer", float: "a float", str: "a string"}.get(type(value), "a date or time")


def _string(table: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str | None:
    value = table.get(key)
    if value is None:
        if required:
            raise ProfileError(f"{where}: missing {key}")
        return None
    if not isinstance(value, str) or not value:
        raise ProfileError(f"{where}: {key} must be a non-empty string, got {_shown(value)}")
    if len(value) > MAX_STRING or not value.isprintable():
        raise ProfileError(f"{where}: {key} must be printable and at most {MAX_STRING} characters")
    _filled(value, key, where, optional=not required)
    return value


def _filled(value: str, key: str, where: str, *, optional: bool) -> None:
    """Refuse the template's placeholder: the user has yet to fill in ``key``."""
    if value.strip() == PLACEHOLDER:
        other = " or delete the line" if optional else ""
        raise ProfileError(f'{where}: {key} is still "{PLACEHOLDER}": fill it in{other}')


def _table(data: Mapping[str, Any], key: str, where: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ProfileError(f"{where}: [{key}] must be a table, got {_shown(value)}")
    return value


def _unknown(table: Mapping[str, Any], known: Any, where: str, what: str = "key(s)") -> None:
    unknown = set(table) - set(known)
    if unknown:
        raise ProfileError(f"{where}: unknown {what} {', '.join(sorted(unknown))} (known: {', '.join(known)})")


def _identity(name: str, table: Any, where: str, environ: Mapping[str, str]) -> Identity:
    if not isinstance(table, dict):
        raise ProfileError(f"{where}: must be a table, got {_shown(table)}")
    _unknown(table, ("grant", "scope", *SECRET_FIELDS, *(f"{k}_env" for k in SECRET_FIELDS)), where)
    grant = _string(table, "grant", where) or ""
    if grant not in GRANTS:
        raise ProfileError(f"{where}: grant must be one of {', '.join(GRANTS)}")
    values: dict[str, str | None] = {}
    missing: list[str] = []
    for key in SECRET_FIELDS:
        variable = _string(table, f"{key}_env", where, required=False)
        literal = _string(table, key, where, required=False)
        if variable is not None:
            if environ.get(variable):
                values[key] = environ[variable]
            else:
                missing.append(variable)
        else:
            values[key] = literal
    return Identity(
        name=name,
        grant=grant,
        client_id=values.get("client_id"),
        client_secret=values.get("client_secret"),
        scope=_string(table, "scope", where, required=False),
        access_token=values.get("access_token"),
        missing=tuple(missing),
    )


def _limits(data: Mapping[str, Any], where: str) -> dict[str, Any]:
    table = _table(data, "limits", where)
    _unknown(table, tuple(LIMITS), f"{where}: [limits]")
    return {key: LIMITS[key].check(value, where) for key, value in table.items()}


def parse_profile(
    data: Mapping[str, Any], *, source: str = "profile", environ: Mapping[str, str] | None = None
) -> Profile:
    env = os.environ if environ is None else environ
    _unknown(data, TOP_KEYS, source)
    identities_table = _table(data, "identities", source)
    _unknown(identities_table, IDENTITIES, source, "identities")
    fixtures = _table(data, "fixtures", source)
    if not all(isinstance(v, str) and 0 < len(v) <= MAX_STRING for v in fixtures.values()):
        raise ProfileError(f"{source}: [fixtures] must map fixture kinds to non-empty strings")
    _unknown(fixtures, FIXTURES, source, "fixture kind(s)")
    for kind, value in fixtures.items():
        _filled(value, f"fixtures.{kind}", source, optional=True)
    limits = _limits(data, source)
    emulator = data.get("emulator", False)
    if not isinstance(emulator, bool):
        raise ProfileError(f"{source}: emulator must be true or false, got {_shown(emulator)}")
    base_url = _string(data, "base_url", source) or ""
    if not base_url.startswith(("http://", "https://")):
        raise ProfileError(f"{source}: base_url must start with http:// or https://")
    token_url = _string(data, "token_url", source) or ""
    if not token_url.startswith(("http://", "https://")):
        raise ProfileError(f"{source}: token_url must start with http:// or https://")
    control_env = _string(data, "control_token_env", source, required=False)
    rate = limits.get("requests_per_second")
    return Profile(
        name=_string(data, "name", source, required=False) or source,
        base_url=base_url.rstrip("/"),
        token_url=token_url,
        organization_id=_string(data, "organization_id", source) or "",
        foreign_organization_id=_string(data, "foreign_organization_id", source, required=False),
        emulator=emulator,
        identities={
            name: _identity(name, table, f"{source}: identities.{name}", env)
            for name, table in identities_table.items()
        },
        fixtures=dict(fixtures),
        request_budget=limits.get("request_budget"),
        requests_per_second=float(rate) if rate else None,
        deadline_seconds=_float(limits.get("deadline_seconds")),
        request_timeout_seconds=_float(limits.get("request_timeout_seconds")),
        max_response_bytes=limits.get("max_response_bytes"),
        control_token_env=control_env,
        control_token=env.get(control_env) or None if control_env else None,
        control_token_missing=control_env if control_env and not env.get(control_env) else None,
    )


def _float(value: int | float | None) -> float | None:
    return float(value) if value is not None else None


def _read(file: Path) -> str:
    """The profile's text: at most :data:`MAX_PROFILE_BYTES`, from a regular file, UTF-8."""
    if file.exists() and not file.is_file():
        raise ProfileError(f"{file}: not a regular file")
    with file.open("rb") as handle:
        raw = handle.read(MAX_PROFILE_BYTES + 1)
    if len(raw) > MAX_PROFILE_BYTES:
        raise ProfileError(f"{file}: larger than {MAX_PROFILE_BYTES} bytes; a profile is a short TOML file")
    return raw.decode("utf-8")


def load_profile(path: str | Path, *, environ: Mapping[str, str] | None = None) -> Profile:
    file = Path(path)
    try:
        data = tomllib.loads(_read(file))
    except FileNotFoundError:
        raise ProfileError(f"{file}: no such profile") from None
    except UnicodeDecodeError as exc:
        raise ProfileError(f"{file}: not UTF-8 (byte {exc.start})") from None
    except OSError as exc:
        raise ProfileError(f"{file}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{file}: invalid TOML: {str(exc).splitlines()[0]}") from None
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
    if profile.control_token_env:
        data["control_token_env"] = profile.control_token_env
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
    for key in ("deadline_seconds", "request_timeout_seconds", "max_response_bytes"):
        if getattr(profile, key) is not None:
            limits[key] = getattr(profile, key)
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
    control_token_env: str | None = None,
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
    if control_token_env:
        data["control_token_env"] = control_token_env
    return parse_profile(data, source=name, environ={})


#: The profile's top-level ids that ``check --url`` takes as ``--fixture KIND=ID`` too, beside the
#: fixture kinds: things that exist before the run, like the fixtures.
ORGANIZATION_KEYS = ("organization_id", "foreign_organization_id")
#: Every ``KIND`` of ``check --url --fixture KIND=ID``.
OPTION_FIXTURE_KINDS = (*ORGANIZATION_KEYS, *FIXTURES)
#: The identity ``check --url`` calls with its ``--token`` or ``--client-id``/``--client-secret``.
OPTION_IDENTITY = "first_party"


def profile_from_options(
    base_url: str,
    *,
    token_url: str,
    fixtures: Mapping[str, str] | None = None,
    access_token: str | None = None,
    client_id: str | None = None,
    client_secret: str | None = None,
    scope: str | None = None,
    limits: Mapping[str, int | float] | None = None,
    name: str = "--url target",
    source: str = "--url",
) -> Profile:
    """The profile a file with these values would be (it is read by :func:`parse_profile`, so the
    two cannot differ): ``fixtures`` maps :data:`OPTION_FIXTURE_KINDS` to ids (the organization
    keys go to the top level); the credentials, a static ``access_token`` (used as given, never
    renewed) or a ``client_id`` and ``client_secret``, are the :data:`OPTION_IDENTITY` identity.
    ``limits`` is the ``[limits]`` table (:data:`LIMITS`). What they leave out, the other
    identities, fixtures and the control plane, makes the checks that need it "not covered", as a
    profile that lacks it does. ``organization_id`` is required."""
    given = dict(fixtures or {})
    unknown = sorted(set(given) - set(OPTION_FIXTURE_KINDS))
    if unknown:
        raise ProfileError(
            f"{source}: unknown --fixture kind(s) {', '.join(unknown)} (known: {', '.join(OPTION_FIXTURE_KINDS)})"
        )
    if "organization_id" not in given:
        raise ProfileError(
            f"{source}: needs --fixture organization_id=ID (the organization_id of the operations' paths)"
        )
    if access_token is not None and (client_id is not None or client_secret is not None):
        raise ProfileError(f"{source}: give a static access token or a client id and secret, not both")
    if (client_id is None) != (client_secret is None):
        raise ProfileError(f"{source}: a client id and a client secret go together; one of them is missing")
    data: dict[str, Any] = {
        "name": name,
        "base_url": base_url,
        "token_url": token_url,
        **{key: given.pop(key) for key in ORGANIZATION_KEYS if key in given},
        "emulator": False,
    }
    identity: dict[str, str] = {}
    if access_token is not None:
        identity = {"grant": IDENTITY_KINDS[OPTION_IDENTITY].grant, "access_token": access_token}
    elif client_id is not None and client_secret is not None:
        identity = {
            "grant": IDENTITY_KINDS[OPTION_IDENTITY].grant,
            "client_id": client_id,
            "client_secret": client_secret,
        }
        if scope:
            identity["scope"] = scope
    if identity:
        data["identities"] = {OPTION_IDENTITY: identity}
    if given:
        data["fixtures"] = given
    if limits:
        data["limits"] = dict(limits)
    return parse_profile(data, source=source, environ={})


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


#: The ``[limits]`` of :func:`profile_template`: gentle on a shared sandbox, each with why.
SANDBOX_LIMITS: dict[str, tuple[int | float, str]] = {
    "request_budget": (2000, "most requests one run sends; the checks it cuts short are not covered"),
    "requests_per_second": (5, "a rate cap (0 for none)"),
    "deadline_seconds": (1800, "the whole run; checks not started by then are not covered"),
    "request_timeout_seconds": (30, "the longest wait for one answer"),
    "max_response_bytes": (10_485_760, "the largest response read"),
}


def template_variable(identity: str, key: str) -> str:
    """The environment variable :func:`profile_template` names for ``key`` (a secret field) of
    ``identity``: ``U4B_FIRST_PARTY_CLIENT_ID``, ``U4B_DELEGATED_ACCESS_TOKEN``, ..."""
    return f"U4B_{identity}_{key}".upper()


def template_secrets(identity: str) -> tuple[str, ...]:
    """The secret fields an identity of :func:`profile_template` takes from the environment."""
    grant = IDENTITY_KINDS[identity].grant
    return ("access_token",) if grant == "authorization_code" else ("client_id", "client_secret")


def template_variables() -> tuple[str, ...]:
    """Every environment variable :func:`profile_template` names, in the order it names them."""
    return tuple(template_variable(name, key) for name in IDENTITIES for key in template_secrets(name))


def _comment(text: str, width: int = 96) -> list[str]:
    """``text`` as ``#`` lines of at most ``width`` characters."""
    lines: list[str] = []
    line = "#"
    for word in text.split():
        if len(line) + 1 + len(word) > width and line != "#":
            lines.append(line)
            line = "#"
        line += " " + word
    return [*lines, line]


def profile_template(base_url: str, token_url: str, scopes: Mapping[str, str]) -> str:
    """A commented profile of the vendor's sandbox at ``base_url`` (tokens from ``token_url``)
    for a user to fill in: every key this format knows, with :data:`PLACEHOLDER` where only the
    user knows the value (the loader refuses the file until it is replaced), every fixture kind
    commented out with what it is, secrets named as environment variables
    (:func:`template_variables`), and :data:`SANDBOX_LIMITS`. ``scopes`` maps an identity to the
    scope it asks for (an identity it leaves out asks for none)."""
    ph = _toml_value(PLACEHOLDER)
    out = [
        "# u4b-vouchers target profile for the vendor's sandbox, written by `u4b-vouchers init-profile`.",
        *_comment(
            f"1. Replace each {ph} that is not commented out; `u4b-vouchers check --profile` refuses the "
            "file, naming the key, until you have."
        ),
        *_comment(
            "2. Uncomment each fixture and optional key you have and fill it in; the checks that need "
            'one you leave out are reported "not covered".'
        ),
        *_comment(
            "3. Set the environment variables the *_env keys name. Secrets are best kept out of this "
            'file; literal values work too (client_id = "...", client_secret = "...", access_token = '
            '"..."), and an *_env key wins over them.'
        ),
        *_comment(
            "check changes the fixture programs (within their kind: a started program stays started), "
            "so use test programs. The format: the README's Profiles section."
        ),
        "",
        'name = "sandbox"',
        "# The description's sandbox server and token URL (openapi/vouchers.yaml: servers, securitySchemes).",
        f"base_url = {_toml_value(base_url)}",
        f"token_url = {_toml_value(token_url)}",
        "# Your test organization's id (the organization_id of the operations' paths).",
        f"organization_id = {ph}",
        *_comment(
            "Optional: the id of another organization, which none of the identities below may read or "
            "change (organization isolation is not covered without it)."
        ),
        f"# foreign_organization_id = {ph}",
        "# Whether the target has the emulator's /__emulator control plane: never the sandbox.",
        "emulator = false",
        "# Only for an emulator whose control plane needs a token: the variable holding it.",
        '# control_token_env = "U4B_CONTROL_TOKEN"',
    ]
    for name, kind in IDENTITY_KINDS.items():
        out += ["", f"[identities.{name}]", *_comment(kind.about[0].upper() + kind.about[1:] + ".")]
        out.append(f"grant = {_toml_value(kind.grant)}")
        out += [f"{key}_env = {_toml_value(template_variable(name, key))}" for key in template_secrets(name)]
        if kind.grant != "client_credentials":
            pass  # the token is obtained beforehand, with its scope
        elif name in scopes:
            out.append(f"scope = {_toml_value(scopes[name])}")
        else:
            out.append("# (no scope: the token carries the application's own, none of which may be a voucher scope)")
    out += [
        "",
        "[fixtures]",
        *_comment(
            "Ids of things that exist in the sandbox before the run, in your test organization unless "
            "said otherwise. A program's id is the voucher_program_id of the operations' paths: the "
            "campaign_uuid the vendor answered when the program was created (in the vendor's "
            "dashboard, or with its Create Voucher Program operation)."
        ),
    ]
    for fixture, about in FIXTURE_KINDS.items():
        out += [*_comment(about[0].upper() + about[1:] + "."), f"# {fixture} = {ph}"]
    out += ["", "[limits]", "# What one run may spend; check's --budget, --rate, --deadline, ... win over them."]
    for key, (value, why) in SANDBOX_LIMITS.items():
        out += [f"# {why[0].upper() + why[1:]}.", f"{key} = {_toml_value(value)}"]
    return "\n".join(out) + "\n"
