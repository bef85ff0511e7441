"""``serve`` stops cleanly on SIGINT and SIGTERM: exit 0, one line saying so, and a ``--state``
file that is whole on its own (no ``-wal`` or ``-shm`` beside it) and serves its data again."""

from __future__ import annotations

import signal
from pathlib import Path

import httpx
import pytest

from tests.emulator.conftest import ORG
from tests.emulator.test_persistence import PROGRAM, first_party_token, served
from u4b_vouchers.profile import load_profile

PATH = f"/v1/organizations/{ORG}/voucher-programs/{PROGRAM}"


def leftovers(state: Path) -> list[str]:
    """SQLite's companion files of ``state`` that are still there."""
    return [p.name for p in state.parent.iterdir() if p.name.startswith(state.name) and p != state]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_stops_serve_cleanly_and_the_state_serves_again(tmp_path: Path, sig: signal.Signals) -> None:
    state, profile = tmp_path / "state.sqlite", tmp_path / "profile.toml"
    with served(state, profile) as process:
        base = load_profile(profile).base_url
        token = first_party_token(base)
        headers = {"Authorization": f"Bearer {token}"}
        assert (
            httpx.patch(f"{base}{PATH}", json={"expense_memo": f"kept over {sig.name}"}, headers=headers).status_code
            == 204
        )
        assert leftovers(state)  # while it serves, SQLite keeps its log beside the file
        process.send_signal(sig)
        assert process.wait(timeout=30) == 0
        assert process.stderr is not None
        stderr = process.stderr.read().decode()
        assert stderr.splitlines()[-1] == f"u4b-vouchers emulator stopped ({sig.name})", stderr
        assert "Traceback" not in stderr
    assert leftovers(state) == []
    with served(state, profile):  # the same file, reopened: its data, not the seed's
        base = load_profile(profile).base_url
        assert httpx.get(f"{base}/__emulator/programs/{PROGRAM}").json()["expense_memo"] == f"kept over {sig.name}"
        guests = httpx.get(f"{base}{PATH}/guests", headers=headers, params={"limit": 2})
        assert guests.status_code == 200  # the token of the first run still works
        assert len(guests.json()["guests"]) == 2
