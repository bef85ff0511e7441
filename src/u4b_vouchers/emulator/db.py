"""The emulator's storage: one SQLite database, in memory by default or in a file (``--state``).

Everything lives here (organizations, clients, tokens, templates, programs, codes, guests), so a
file-backed emulator survives a restart or a kill. Rows that the rules read as a whole are JSON
documents; guests and codes are narrow rows, because there can be millions of them and paging
must not scan.
"""

from __future__ import annotations

import contextlib
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

#: The version of the tables above; a state file records it in its marker table, and a file of
#: another version is refused rather than changed.
SCHEMA_VERSION = 1
MARKER = "u4b_emulator_schema"
MARKER_SCHEMA = f"""
CREATE TABLE {MARKER} (version INTEGER NOT NULL);
INSERT INTO {MARKER} (version) VALUES ({SCHEMA_VERSION});
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


#: Every table an emulator state file holds (SQLite's own ``sqlite_*`` tables aside).
TABLES = frozenset({"meta", MARKER, *DATA_TABLES})


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
        fresh = self.path == ":memory:" or not _has_content(Path(self.path))
        if not fresh:
            check_state_file(Path(self.path))  # before anything may write to it
        try:
            self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        except sqlite3.Error as exc:
            raise StateError(f"{self.path}: cannot open the state file ({exc})") from None
        self._conn.row_factory = sqlite3.Row
        try:
            if self.path != ":memory:":
                self._conn.execute("PRAGMA journal_mode=WAL")
                self._conn.execute("PRAGMA synchronous=NORMAL")
            if fresh:
                self._conn.executescript(f"BEGIN; {SCHEMA} {MARKER_SCHEMA} COMMIT;")
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
        """Close the connection. A file's write-ahead log is checkpointed into it and truncated
        first, so that the state is one file again: SQLite removes the ``-wal`` and ``-shm``
        files when the last connection closes, and after this checkpoint it has nothing left to
        write back that could fail."""
        with self._lock:
            if self.path != ":memory:":
                with contextlib.suppress(sqlite3.Error):  # closed already, or busy: close does what it can
                    self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._conn.close()


SQLITE_MAGIC = b"SQLite format 3\x00"


def _has_content(path: Path) -> bool:
    """Whether ``path`` exists with something in it (an absent or empty file starts fresh)."""
    try:
        return path.stat().st_size > 0 or not path.is_file()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise StateError(f"{path}: cannot open the state file ({exc.strerror})") from None


def check_state_file(path: Path) -> None:
    """Refuse, without writing to it, a file that is not an intact state file of this version."""
    if not path.is_file():
        raise StateError(f"{path}: not an emulator state file (not a regular file)")
    try:
        with path.open("rb") as handle:
            magic = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise StateError(f"{path}: cannot open the state file ({exc.strerror})") from None
    if magic != SQLITE_MAGIC:
        raise StateError(f"{path}: not an emulator state file (not an SQLite database)")
    # Without a write-ahead log beside it, the file is all there is: opened immutable, SQLite
    # creates no -wal or -shm file next to it. With one (after a kill), read it as well.
    wal = Path(f"{path}-wal").exists()
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro{'' if wal else '&immutable=1'}", uri=True)
    except sqlite3.Error as exc:
        raise StateError(f"{path}: cannot open the state file ({exc})") from None
    try:
        problem = _state_problem(conn)
    except sqlite3.Error as exc:
        problem = f"damaged: {' '.join(str(exc).split())[:200]}"
    finally:
        conn.close()
    if problem is not None:
        raise StateError(f"{path}: not an emulator state file ({problem}); it was left as it is")


def _state_problem(conn: sqlite3.Connection) -> str | None:
    verdict = [str(row[0]) for row in conn.execute("PRAGMA quick_check(1)")]
    if verdict != ["ok"]:
        first = " ".join(verdict[0].split()) if verdict else "quick_check gave no answer"
        return f"damaged: {first[:200]}"
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    tables = {str(name) for (name,) in rows if not str(name).startswith("sqlite_")}
    if MARKER not in tables:
        return f"no {MARKER} table: another application's database, or one made before schema versions"
    foreign = sorted(tables - TABLES)
    if foreign:
        return f"tables the emulator does not make: {', '.join(foreign[:5])}"
    versions = [row[0] for row in conn.execute(f"SELECT version FROM {MARKER}")]
    if versions != [SCHEMA_VERSION]:
        return (
            f"schema version {versions[0] if len(versions) == 1 else versions!r}, this emulator uses {SCHEMA_VERSION}"
        )
    missing = sorted(TABLES - tables)
    if missing:
        return f"missing tables: {', '.join(missing)}"
    return None
