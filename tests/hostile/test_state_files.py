"""``serve --state FILE`` against files that are not an intact emulator state file: each is
refused at start with one line and exit 2, and left byte-identical with nothing added beside
it. And what a state file keeps: the emulated clock and the settings survive a restart and a
``kill -9``."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.emulator.conftest import DEMO, Api
from tests.emulator.test_persistence import first_party_token, served
from u4b_vouchers.emulator import Emulator, StateError
from u4b_vouchers.profile import load_profile

PAGE = 4096
MONTH_MS = 31 * 24 * 3600 * 1000


def serve_refusing(state: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "u4b_vouchers.cli.main", "serve", "--port", "0", "--state", str(state)],
        capture_output=True,
        text=True,
        timeout=60,  # a hang guard: a refused file never gets as far as serving
        check=False,
    )


def a_state_file(path: Path) -> Path:
    Emulator(seed=DEMO, state=path).close()
    return path


def damaged(path: Path) -> None:
    a_state_file(path)
    with path.open("r+b") as handle:
        handle.seek(29 * PAGE)  # pages 30 to 35
        handle.write(bytes(range(256)) * (6 * PAGE // 256))


def truncated(path: Path) -> None:
    a_state_file(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def header_only(path: Path) -> None:
    a_state_file(path)
    path.write_bytes(path.read_bytes()[:100])


def other_version(path: Path) -> None:
    a_state_file(path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE u4b_emulator_schema SET version = 99")
    conn.close()


def without_marker(path: Path) -> None:
    a_state_file(path)
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE u4b_emulator_schema")
    conn.close()


def with_a_foreign_table(path: Path) -> None:
    a_state_file(path)
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.close()


def another_apps_database(path: Path) -> None:
    # Another application's SQLite file that happens to have a ``programs`` table.
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE programs (id INTEGER PRIMARY KEY, title TEXT, channel TEXT)")
        conn.execute("INSERT INTO programs (title, channel) VALUES ('News at ten', 'BBC One')")
    conn.close()


def unrelated_database(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.execute("INSERT INTO notes VALUES ('keep me')")
    conn.close()


def empty_database(path: Path) -> None:
    # A valid SQLite file with no tables at all (someone's fresh database).
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.execute("DROP TABLE t")
    conn.close()


def not_sqlite(path: Path) -> None:
    path.write_bytes(b"PK\x03\x04 a zip file, or anything else\x00\xff" * 100)


def sqlite_magic_then_garbage(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)


FILES: dict[str, tuple[Callable[[Path], None], str]] = {
    "damaged-pages-30-35": (damaged, "damaged"),
    "truncated": (truncated, "not an emulator state file"),
    "header-only": (header_only, "not an emulator state file"),
    "other-version": (other_version, "schema version 99, this emulator uses 1"),
    "without-marker": (without_marker, "no u4b_emulator_schema table"),
    "foreign-table": (with_a_foreign_table, "tables the emulator does not make: invoices"),
    "another-apps-programs": (another_apps_database, "no u4b_emulator_schema table"),
    "unrelated-sqlite": (unrelated_database, "no u4b_emulator_schema table"),
    "empty-sqlite": (empty_database, "no u4b_emulator_schema table"),
    "not-sqlite": (not_sqlite, "not an SQLite database"),
    "sqlite-magic-then-garbage": (sqlite_magic_then_garbage, "not an emulator state file"),
}


@pytest.mark.parametrize("name", list(FILES))
def test_a_bad_state_file_is_refused_and_left_as_it_was(tmp_path: Path, name: str) -> None:
    make, words = FILES[name]
    state = tmp_path / "state.sqlite"
    make(state)
    for leftover in tmp_path.glob("state.sqlite-*"):
        leftover.unlink()  # only the file itself, as a user would hand it over
    before = state.read_bytes()
    result = serve_refusing(state)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("u4b-vouchers: error: "), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert words in result.stderr
    assert "Traceback" not in result.stderr
    assert state.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.sqlite"]


def test_a_special_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    fifo = tmp_path / "state.fifo"
    os.mkfifo(fifo)  # reading it would block for ever
    result = serve_refusing(fifo)
    assert result.returncode == 2
    assert "not a regular file" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_empty_or_missing_file_starts_fresh(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    for path in (empty, tmp_path / "missing.sqlite"):
        emulator = Emulator(seed=DEMO, state=path)
        assert emulator.program_view(DEMO["profile"]["fixtures"]["program_started_multi_code"]) is not None
        emulator.close()
        with sqlite3.connect(path) as conn:
            assert conn.execute("SELECT version FROM u4b_emulator_schema").fetchall() == [(1,)]
        conn.close()
        Emulator(seed=DEMO, state=path).close()  # and it opens again


def test_the_library_refuses_with_a_state_error(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite"
    another_apps_database(state)
    before = state.read_bytes()
    with pytest.raises(StateError, match="no u4b_emulator_schema table"):
        Emulator(seed=DEMO, state=state)
    assert state.read_bytes() == before


# ------------------------------------------------------------------ what a state file keeps


def token_of(api: Api) -> str:
    return api.token("first_party")


def guests_status(api: Api, token: str) -> int:
    program = DEMO["profile"]["fixtures"]["program_started_multi_code"]
    organization = DEMO["profile"]["organization_id"]
    url = f"/v1/organizations/{organization}/voucher-programs/{program}/guests"
    return api.http.get(url, headers={"Authorization": f"Bearer {token}"}).status_code


def test_an_expired_token_stays_expired_after_a_restart(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite"
    first = Emulator(seed=DEMO, state=state)
    api = Api(first)
    with api.http:
        token = token_of(api)
        assert guests_status(api, token) == 200
        moved = api.http.post("/__emulator/clock/advance", json={"by_ms": MONTH_MS})
        assert moved.status_code == 200
        assert guests_status(api, token) == 401  # 30 days passed: expired
        now = api.now()
    first.close()
    second = Emulator(seed=DEMO, state=state)
    api = Api(second)
    with api.http:
        assert api.now() >= now  # the clock went on from where it was
        assert guests_status(api, token) == 401
    second.close()


def test_a_frozen_clock_stays_frozen_after_a_restart(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite"
    first = Emulator(seed=DEMO, state=state)
    with Api(first).http as http:
        http.post("/__emulator/clock/freeze", json={"at_ms": 1_900_000_000_000})
    first.close()
    second = Emulator(seed=DEMO, state=state)
    with Api(second).http as http:
        assert http.get("/__emulator/clock").json()["now_ms"] == 1_900_000_000_000
        assert http.get("/__emulator/clock").json()["frozen"] is True
    second.close()


def test_settings_survive_a_restart_and_reset_restores_them(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite"
    first = Emulator(seed=DEMO, state=state)
    with Api(first).http as http:
        changed = http.patch("/__emulator/settings", json={"token_ttl_seconds": 60, "max_body_bytes": 4096})
        assert changed.status_code == 200
    first.close()
    second = Emulator(seed=DEMO, state=state)
    with Api(second).http as http:
        settings = http.get("/__emulator/settings").json()
        assert (settings["token_ttl_seconds"], settings["max_body_bytes"]) == (60, 4096)
        assert http.post("/__emulator/reset").status_code == 204
    second.close()
    third = Emulator(seed=DEMO, state=state)
    with Api(third).http as http:
        assert http.get("/__emulator/settings").json()["token_ttl_seconds"] == 2_592_000
    third.close()


def test_unusable_saved_settings_are_refused(tmp_path: Path) -> None:
    state = a_state_file(tmp_path / "state.sqlite")
    with sqlite3.connect(state) as conn:
        conn.execute("UPDATE meta SET value = '{\"max_body_bytes\": \"x\"}' WHERE key = 'settings'")
    conn.close()
    with pytest.raises(StateError, match="saved clock or settings are unusable"):
        Emulator(seed=DEMO, state=state)


def test_the_clock_survives_a_kill(tmp_path: Path) -> None:
    state, profile = tmp_path / "state.sqlite", tmp_path / "profile.toml"
    with served(state, profile) as process:
        base = load_profile(profile).base_url
        token = first_party_token(base)
        assert httpx.post(f"{base}/__emulator/clock/advance", json={"by_ms": MONTH_MS}).status_code == 200
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    with served(state, profile):
        base = load_profile(profile).base_url
        program = DEMO["profile"]["fixtures"]["program_started_multi_code"]
        url = f"{base}/v1/organizations/{DEMO['profile']['organization_id']}/voucher-programs/{program}/guests"
        assert httpx.get(url, headers={"Authorization": f"Bearer {token}"}).status_code == 401
