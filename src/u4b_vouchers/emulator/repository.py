"""Reading and writing the emulator's records. SQL lives here and nowhere else.

Every function takes an open connection from ``Database.transaction()``, so callers decide what
one atomic change is.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import uuid
from collections.abc import Iterator
from typing import Any

Record = dict[str, Any]

# Code texts: no 0/O or 1/I, so they can be read aloud and typed.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def _load(row: sqlite3.Row | None, column: str = "data") -> Record | None:
    return json.loads(row[column]) if row is not None else None


def _dump(record: Record) -> str:
    return json.dumps(record, separators=(",", ":"), sort_keys=True)


# ------------------------------------------------------------------ documents by id


def get(conn: sqlite3.Connection, table: str, key: str) -> Record | None:
    return _load(conn.execute(f"SELECT data FROM {table} WHERE id = ?", (key,)).fetchone())


def put(conn: sqlite3.Connection, table: str, record: Record) -> None:
    if table in ("templates",):
        conn.execute(
            "INSERT OR REPLACE INTO templates (id, org_id, data) VALUES (?, ?, ?)",
            (record["id"], record["org_id"], _dump(record)),
        )
    else:
        conn.execute(
            f"INSERT OR REPLACE INTO {table} (id, data) VALUES (?, ?)",
            (record["id"], _dump(record)),
        )


def all_of(conn: sqlite3.Connection, table: str) -> list[Record]:
    return [json.loads(row["data"]) for row in conn.execute(f"SELECT data FROM {table} ORDER BY id")]


# ------------------------------------------------------------------ meta


def get_meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return str(row["value"]) if row is not None else None


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))


# ------------------------------------------------------------------ programs


def get_program(conn: sqlite3.Connection, program_id: str) -> tuple[int, Record] | None:
    row = conn.execute("SELECT pk, data FROM programs WHERE id = ?", (program_id,)).fetchone()
    if row is None:
        return None
    return int(row["pk"]), json.loads(row["data"])


def put_program(conn: sqlite3.Connection, program: Record) -> int:
    """Insert or update; returns the program's internal key."""
    existing = conn.execute("SELECT pk FROM programs WHERE id = ?", (program["id"],)).fetchone()
    if existing is not None:
        conn.execute(
            "UPDATE programs SET data = ?, org_id = ? WHERE pk = ?",
            (_dump(program), program["org_id"], existing["pk"]),
        )
        return int(existing["pk"])
    cursor = conn.execute(
        "INSERT INTO programs (id, org_id, data) VALUES (?, ?, ?)",
        (program["id"], program["org_id"], _dump(program)),
    )
    return int(cursor.lastrowid or 0)


# ------------------------------------------------------------------ codes


def count_codes(conn: sqlite3.Connection, program_pk: int) -> int:
    """How many codes the program has: codes are numbered 1, 2, ... and never deleted, so the
    highest number is the count, found in the index instead of by counting rows."""
    return _next_seq(conn, "codes", program_pk) - 1


def _next_seq(conn: sqlite3.Connection, table: str, program_pk: int) -> int:
    row = conn.execute(f"SELECT MAX(seq) FROM {table} WHERE program_pk = ?", (program_pk,)).fetchone()
    return int(row[0] or 0) + 1


def add_codes(conn: sqlite3.Connection, program_pk: int, count: int) -> list[tuple[str, str]]:
    """Create ``count`` codes, unique across the whole emulator; returns (id, text) pairs."""
    seq = _next_seq(conn, "codes", program_pk)
    created: list[tuple[str, str]] = []
    while len(created) < count:
        code_id = str(uuid.uuid4())
        text = "".join(CODE_ALPHABET[b & 31] for b in secrets.token_bytes(CODE_LENGTH))
        try:
            conn.execute(
                "INSERT INTO codes (program_pk, seq, id, text) VALUES (?, ?, ?, ?)",
                (program_pk, seq, code_id, text),
            )
        except sqlite3.IntegrityError:  # the text exists already: draw again
            continue
        created.append((code_id, text))
        seq += 1
    return created


def list_codes(conn: sqlite3.Connection, program_pk: int, limit: int, after: int = 0) -> list[Record]:
    rows = conn.execute(
        "SELECT seq, id, text FROM codes WHERE program_pk = ? AND seq > ? ORDER BY seq LIMIT ?",
        (program_pk, after, limit),
    )
    return [{"seq": r["seq"], "code_id": r["id"], "code_text": r["text"]} for r in rows]


# ------------------------------------------------------------------ guests

GUEST_COLUMNS = (
    "name",
    "email",
    "phone",
    "code_id",
    "code_text",
    "voucher_id",
    "voucher_status",
    "usage_count",
    "usage_amount",
    "canceled_at",
)


_PAGE_COLUMNS = ("seq", *GUEST_COLUMNS)
_PAGE_GUESTS = f"SELECT {', '.join(_PAGE_COLUMNS)} FROM guests WHERE program_pk = ? AND seq > ? ORDER BY seq LIMIT ?"


def add_guests(conn: sqlite3.Connection, program_pk: int, guests: list[Record]) -> None:
    seq = _next_seq(conn, "guests", program_pk)
    placeholders = ", ".join("?" for _ in range(len(GUEST_COLUMNS) + 2))
    conn.executemany(
        f"INSERT INTO guests (program_pk, seq, {', '.join(GUEST_COLUMNS)}) VALUES ({placeholders})",
        [(program_pk, seq + i, *(g.get(c) for c in GUEST_COLUMNS)) for i, g in enumerate(guests)],
    )


def page_guests(conn: sqlite3.Connection, program_pk: int, after_seq: int, limit: int) -> list[Record]:
    """Up to ``limit`` guests after ``after_seq``, in order: an index range, never a scan."""
    cursor = conn.execute(_PAGE_GUESTS, (program_pk, after_seq, limit))
    cursor.row_factory = None  # plain tuples: far cheaper than sqlite3.Row for a whole page
    return [dict(zip(_PAGE_COLUMNS, row, strict=True)) for row in cursor]


def count_guests(conn: sqlite3.Connection, program_pk: int) -> int:
    return int(conn.execute("SELECT COUNT(*) FROM guests WHERE program_pk = ?", (program_pk,)).fetchone()[0])


# ------------------------------------------------------------------ tokens


def put_token(conn: sqlite3.Connection, token: str, kind: str, issued_at: int, data: Record) -> None:
    """Store an access token, refresh token or authorization code of ``data["client_id"]``."""
    conn.execute(
        "INSERT OR REPLACE INTO tokens (token, client_id, kind, issued_at, data) VALUES (?, ?, ?, ?, ?)",
        (token, data["client_id"], kind, issued_at, _dump(data)),
    )


def get_token(conn: sqlite3.Connection, token: str) -> Record | None:
    row = conn.execute("SELECT kind, data FROM tokens WHERE token = ?", (token,)).fetchone()
    if row is None:
        return None
    record = json.loads(row["data"])
    record["kind"] = row["kind"]
    return dict(record)


def delete_token(conn: sqlite3.Connection, token: str) -> None:
    conn.execute("DELETE FROM tokens WHERE token = ?", (token,))


def client_tokens_since(conn: sqlite3.Connection, client_id: str, kind: str, since_ms: int) -> Iterator[str]:
    rows = conn.execute(
        "SELECT token FROM tokens WHERE client_id = ? AND kind = ? AND issued_at >= ? ORDER BY issued_at, rowid",
        (client_id, kind, since_ms),
    )
    for row in rows.fetchall():
        yield str(row["token"])
