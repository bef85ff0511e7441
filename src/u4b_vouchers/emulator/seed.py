"""Seed files: the organizations, clients, templates, programs and guests an emulator starts with.

A seed is YAML (see ``seeds/demo.yaml``). Timestamps may be epoch milliseconds or relative to
the moment the seed is loaded: ``now``, ``now+P30D``, ``now-PT2H`` (ISO 8601 durations). Its
shape and bounds are the control description's ``Seed`` schema; a seed is checked whole before
anything is written, and YAML aliases are refused (no alias bombs).
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import yaml

from ..spec import shift
from . import programs
from . import repository as repo
from .controlspec import problem, schema_of, schema_pointer
from .db import DATA_TABLES, Database

SEEDS = Path(__file__).resolve().parent / "seeds"
RELATIVE = re.compile(r"^now(?:(?P<sign>[+-])(?P<duration>P\S+))?$")
#: The voucher statuses a seeded guest may have, in the order generated guests cycle through.
STATUSES = tuple(s for s in schema_of("SeedGuest")["properties"]["voucher_status"]["enum"] if s is not None)
#: Seed files and control-plane seeds above this size are refused unread.
MAX_SEED_BYTES = 64 * 1024 * 1024
EPOCH_MS = schema_of("EpochMs")
#: Codes and guests a whole seed may make (the ``Seed`` schema's description states it; JSON
#: Schema has no keyword for a sum).
MAX_GENERATED = 5_000_000


class SeedError(Exception):
    """The seed cannot be used; the message is one line."""


def builtin_seed_path(name: str) -> Path | None:
    path = SEEDS / f"{name}.yaml"
    return path if path.is_file() else None


def builtin_seeds() -> list[str]:
    return sorted(p.stem for p in SEEDS.glob("*.yaml"))


class _SeedLoader(yaml.SafeLoader):
    """Safe YAML without aliases: a seed never needs one, and aliases make bombs."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(None, None, "aliases are not allowed in seeds", event.start_mark)
        return super().compose_node(parent, index)


def parse_seed(text: bytes | str, where: str) -> dict[str, Any]:
    """A seed from YAML (or JSON) text, checked against the ``Seed`` schema."""
    try:
        data = yaml.load(text.decode("utf-8") if isinstance(text, bytes) else text, Loader=_SeedLoader)
    except UnicodeDecodeError:
        raise SeedError(f"{where}: not UTF-8 text") from None
    except RecursionError:
        raise SeedError(f"{where}: nested too deeply to read") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        reason = getattr(exc, "problem", None)
        raise SeedError(f"{where}{line}: invalid YAML" + (f" ({reason})" if reason else "")) from None
    if not isinstance(data, dict):
        raise SeedError(f"{where}: a seed is a mapping with organizations, clients, templates and programs")
    check_seed(data, where)
    return data


def read_seed(source: str | Path) -> dict[str, Any]:
    """``source`` is a built-in seed name (``demo``) or a YAML file."""
    path = builtin_seed_path(str(source)) if isinstance(source, str) else None
    path = path or Path(source)
    try:
        if not path.is_file():
            if path.exists():
                raise SeedError(f"{path}: not a regular file")
            raise FileNotFoundError(path)
        if path.stat().st_size > MAX_SEED_BYTES:
            raise SeedError(f"{path}: larger than {MAX_SEED_BYTES} bytes")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SeedError(f"{path}: no such seed file (built-in seeds: {', '.join(builtin_seeds())})") from None
    except OSError as exc:
        raise SeedError(f"{path}: cannot read: {exc.strerror}") from None
    return parse_seed(raw, str(path))


def check_seed(seed: Any, where: str = "seed") -> None:
    """Refuse a seed that breaks the ``Seed`` schema or would generate too many codes and guests."""
    why = problem(schema_pointer("Seed"), seed)
    if why is not None:
        raise SeedError(f"{where}: {why}")
    total = sum(_generated(program) for program in seed.get("programs") or [])
    if total > MAX_GENERATED:
        raise SeedError(f"{where}: makes {total} codes and guests, more than {MAX_GENERATED}")


def _generated(program: dict[str, Any]) -> int:
    """The rows a program adds: its codes (at least one per guest) and its guests."""
    guests = len(program.get("guests") or []) + int(program.get("generated_guests", 0))
    return max(int(program.get("codes", 0)), guests) + guests


def _time(value: Any, now_ms: int, where: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    match = RELATIVE.match(str(value).replace(" ", ""))
    if not match:
        raise SeedError(f"{where}: {value!r} is neither epoch milliseconds nor now[+-]<ISO 8601 duration>")
    if not match.group("duration"):
        return now_ms
    try:
        moment = shift(now_ms, ("-" if match.group("sign") == "-" else "") + match.group("duration"))
    except (ValueError, OverflowError) as exc:
        raise SeedError(f"{where}: {value!r}: {exc}") from None
    if not EPOCH_MS["minimum"] <= moment <= EPOCH_MS["maximum"]:
        raise SeedError(f"{where}: {value!r} falls outside {EPOCH_MS['minimum']}..{EPOCH_MS['maximum']} ms")
    return moment


def _require(record: Any, keys: tuple[str, ...], where: str) -> dict[str, Any]:
    if not isinstance(record, dict):
        raise SeedError(f"{where}: expected a mapping")
    missing = [k for k in keys if k not in record]
    if missing:
        raise SeedError(f"{where}: missing {', '.join(missing)}")
    return record


def apply_seed(db: Database, seed: dict[str, Any], now_ms: int) -> None:
    """Replace everything in ``db`` with ``seed``, atomically, once the whole seed checks out."""
    check_seed(seed)
    with db.transaction() as conn:
        for table in DATA_TABLES:
            conn.execute(f"DELETE FROM {table}")
        for i, org in enumerate(seed.get("organizations") or []):
            repo.put(conn, "organizations", _require(org, ("id",), f"organizations[{i}]"))
        for i, user in enumerate(seed.get("users") or []):
            repo.put(conn, "users", _require(user, ("id", "org_id"), f"users[{i}]"))
        for i, client in enumerate(seed.get("clients") or []):
            repo.put(conn, "clients", _require(client, ("id", "secret", "scopes"), f"clients[{i}]"))
        for i, token in enumerate(seed.get("tokens") or []):
            where = f"tokens[{i}]"
            _require(token, ("token", "client_id", "grant", "scopes"), where)
            client = repo.get(conn, "clients", token["client_id"])
            if client is None:
                raise SeedError(f"{where}: unknown client {token['client_id']!r}")
            repo.put_token(
                conn,
                token["token"],
                "access",
                now_ms,
                {
                    "client_id": client["id"],
                    "grant": token["grant"],
                    "scopes": token["scopes"],
                    "org_id": None if client.get("third_party") else token.get("org_id", client.get("org_id")),
                    "user_id": token.get("user_id"),
                    "third_party": bool(client.get("third_party")),
                    "expires_at": _time(token["expires_at"], now_ms, where) if token.get("expires_at") else None,
                },
            )
        for i, template in enumerate(seed.get("templates") or []):
            repo.put(
                conn,
                "templates",
                _require(template, ("id", "org_id", "name", "program_uuid"), f"templates[{i}]"),
            )
        for i, raw in enumerate(seed.get("programs") or []):
            _apply_program(conn, raw, now_ms, f"programs[{i}]")


def _apply_program(conn: Any, raw: Any, now_ms: int, where: str) -> None:
    _require(raw, ("id", "org_id", "code_scheme", "starts_at", "ends_at"), where)
    if raw["code_scheme"] not in programs.CODE_SCHEMES:
        raise SeedError(f"{where}: code_scheme must be one of {', '.join(programs.CODE_SCHEMES)}")
    program = {k: v for k, v in raw.items() if k not in ("codes", "guests", "generated_guests")}
    program["starts_at"] = _time(raw["starts_at"], now_ms, f"{where}.starts_at")
    program["ends_at"] = _time(raw["ends_at"], now_ms, f"{where}.ends_at")
    program.setdefault("status", "active")
    program.setdefault("name", raw["id"])
    pk = repo.put_program(conn, program)
    codes_wanted = int(raw.get("codes", 0))
    guests = list(raw.get("guests") or [])
    generated = int(raw.get("generated_guests", 0))
    # A single-code program has one code, redeemed many times; every guest holds it.
    single = raw["code_scheme"] == programs.SINGLE_CODE
    wanted = 1 if single else max(codes_wanted, len(guests) + generated)
    codes = repo.add_codes(conn, pk, wanted)
    rows = []
    for j, guest in enumerate(guests):
        _require(guest, (), f"{where}.guests[{j}]")
        status = guest.get("voucher_status")
        if status is not None and status not in STATUSES:
            raise SeedError(f"{where}.guests[{j}]: unknown voucher_status {status!r}")
        rows.append(_guest_row(guest, codes[j % len(codes)], now_ms, f"{where}.guests[{j}]"))
    for j in range(generated):
        number = len(guests) + j + 1
        row = {
            "name": f"Guest {number:07d}",
            "email": f"guest{number:07d}@example.com",
            "voucher_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{raw['id']}/{number}")),
            "voucher_status": STATUSES[number % 3],
        }
        rows.append(_guest_row(row, codes[(len(guests) + j) % len(codes)], now_ms, where))
    repo.add_guests(conn, pk, rows)


def _guest_row(guest: dict[str, Any], code: tuple[str, str], now_ms: int, where: str) -> dict[str, Any]:
    row = {
        k: guest.get(k)
        for k in (
            "name",
            "email",
            "phone",
            "voucher_id",
            "voucher_status",
            "usage_count",
            "usage_amount",
        )
    }
    row["code_id"], row["code_text"] = code
    if guest.get("canceled_at") is not None:
        row["canceled_at"] = _time(guest["canceled_at"], now_ms, f"{where}.canceled_at")
    return row
