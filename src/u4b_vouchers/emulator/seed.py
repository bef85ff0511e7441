"""Seed files: the organizations, clients, templates, programs and guests an emulator starts with.

A seed is YAML (see ``seeds/demo.yaml``). Timestamps may be epoch milliseconds or relative to
the moment the seed is loaded: ``now``, ``now+P30D``, ``now-PT2H`` (ISO 8601 durations).
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
from .db import DATA_TABLES, Database

SEEDS = Path(__file__).resolve().parent / "seeds"
RELATIVE = re.compile(r"^now(?:(?P<sign>[+-])(?P<duration>P\S+))?$")
STATUSES = (
    "VOUCHER_SENT",
    "VOUCHER_CLAIMED",
    "VOUCHER_COMPLETED",
    "VOUCHER_CANCELED",
    "VOUCHER_SCHEDULED",
    "VOUCHER_PENDING",
)


class SeedError(Exception):
    """The seed cannot be used; the message is one line."""


def builtin_seed_path(name: str) -> Path | None:
    path = SEEDS / f"{name}.yaml"
    return path if path.is_file() else None


def builtin_seeds() -> list[str]:
    return sorted(p.stem for p in SEEDS.glob("*.yaml"))


def read_seed(source: str | Path) -> dict[str, Any]:
    """``source`` is a built-in seed name (``demo``) or a YAML file."""
    path = builtin_seed_path(str(source)) if isinstance(source, str) else None
    path = path or Path(source)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SeedError(f"{path}: no such seed file (built-in seeds: {', '.join(builtin_seeds())})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SeedError(f"{path}: cannot read: {exc}") from None
    except RecursionError:
        raise SeedError(f"{path}: nested too deeply to read") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise SeedError(f"{path}{where}: invalid YAML") from None
    if not isinstance(data, dict):
        raise SeedError(f"{path}: a seed is a mapping with organizations, clients, templates and programs")
    return data


def _time(value: Any, now_ms: int, where: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    match = RELATIVE.match(str(value).replace(" ", ""))
    if not match:
        raise SeedError(f"{where}: {value!r} is neither epoch milliseconds nor now[+-]<ISO 8601 duration>")
    if not match.group("duration"):
        return now_ms
    try:
        return shift(now_ms, ("-" if match.group("sign") == "-" else "") + match.group("duration"))
    except ValueError as exc:
        raise SeedError(f"{where}: {exc}") from None


def _require(record: Any, keys: tuple[str, ...], where: str) -> dict[str, Any]:
    if not isinstance(record, dict):
        raise SeedError(f"{where}: expected a mapping")
    missing = [k for k in keys if k not in record]
    if missing:
        raise SeedError(f"{where}: missing {', '.join(missing)}")
    return record


def apply_seed(db: Database, seed: dict[str, Any], now_ms: int) -> None:
    """Replace everything in ``db`` with ``seed``, atomically."""
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
