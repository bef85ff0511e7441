"""The emulator's storage: one SQLite database, in memory by default or in a file (``--state``).

Everything lives here (organizations, clients, tokens, templates, programs, codes, guests), so a
file-backed emulator survives a restart or a kill. Rows that the rules read as a whole are JSON
documents; guests and codes are narrow rows, because there can be millions of them and paging
must not scan.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS organizations (id TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS clients (id TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (
    token TEXT PRIMARY KEY, client_id TEXT NOT NULL, kind TEXT NOT NULL,
    issued_at INTEGER NOT NULL, data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS tokens_by_client ON tokens (client_id, kind, issued_at);
CREATE TABLE IF NOT EXISTS templates (
    id TEXT PRIMARY KEY, org_id TEXT NOT NULL, data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS programs (
    pk INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, org_id TEXT NOT NULL, data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS codes (
    program_pk INTEGER NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, text TEXT NOT NULL UNIQUE,
    PRIMARY KEY (program_pk, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS guests (
    program_pk INTEGER NOT NULL, seq INTEGER NOT NULL,
    name TEXT, email TEXT, phone TEXT, code_id TEXT, code_text TEXT,
    voucher_id TEXT, voucher_status TEXT, usage_count INTEGER, usage_amount REAL,
    canceled_at INTEGER,
    PRIMARY KEY (program_pk, seq)
) WITHOUT ROWID;
"""

#: Tables a seed replaces; ``meta`` (the page-token secret) outlives seeds and resets.
DATA_TABLES = (
    "organizations",
    "users",
    "clients",
    "tokens",
    "templates",
    "programs",
    "codes",
    "guests",
)


class StateError(Exception):
    """The state file cannot be opened as the emulator's database (one line)."""


class Database:
    """A SQLite connection shared by all requests, serialised by one re-entrant lock.

    ``transaction()`` is the only way in: it holds the lock, begins a transaction, commits on
    success and rolls back on any exception, so a request's changes land whole or not at all.
    """

    def __init__(self, path: str | Path | None = None):
        self.path = str(path) if path is not None else ":memory:"
        self._lock = threading.RLock()
        try:
            self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        except sqlite3.Error as exc:
            raise StateError(f"{self.path}: cannot open the state file ({exc})") from None
        self._conn.row_factory = sqlite3.Row
        try:
            if self.path != ":memory:":
                self._conn.execute("PRAGMA journal_mode=WAL")
                self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.executescript(SCHEMA)
        except sqlite3.Error as exc:
            self._conn.close()
            raise StateError(f"{self.path}: not an emulator state file ({exc})") from None
        self._depth = 0

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            outer = self._depth == 0
            if outer:
                self._conn.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield self._conn
            except BaseException:
                self._depth -= 1
                if outer:
                    self._conn.execute("ROLLBACK")
                raise
            else:
                self._depth -= 1
                if outer:
                    self._conn.execute("COMMIT")

    def is_empty(self) -> bool:
        with self.transaction() as conn:
            return int(conn.execute("SELECT COUNT(*) FROM organizations").fetchone()[0]) == 0

    def close(self) -> None:
        with self._lock:
            self._conn.close()
