"""--state FILE: everything survives a restart, and a kill -9 of a served emulator."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.emulator.conftest import DEMO, FIXTURES, ORG, SECRETS, Api, create_body
from u4b_vouchers.emulator import Emulator
from u4b_vouchers.profile import load_profile
from u4b_vouchers.spec import Spec

PROGRAM = FIXTURES["program_started_multi_code"]


def test_restart_keeps_programs_codes_guests_and_tokens(shared_spec: Spec, tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite"
    first = Emulator(spec=shared_spec, seed=DEMO, state=state)
    api = Api(first)
    many = FIXTURES["program_with_many_guests"]
    with api.http:
        token = api.token("first_party")
        created = api.create(create_body(api)).json()["campaign_uuid"]
        assert api.generate(PROGRAM, {"number_of_codes": 25}).status_code == 200
        assert api.update(PROGRAM, {"name": "Renamed before restart"}).status_code == 204
        codes_before = api.http.get(f"/__emulator/programs/{PROGRAM}/codes", params={"limit": 1000}).json()
        page_token = api.guests(many, limit=10).json()["next_token"]
        second_page = api.guests(many, limit=10, page_token=page_token).json()
    first.close()

    second = Emulator(spec=shared_spec, seed=DEMO, state=state)  # not re-seeded: the file has data
    api = Api(second)
    with api.http:
        api._tokens["first_party"] = token  # the old token still works
        assert api.program(PROGRAM)["name"] == "Renamed before restart"
        assert api.http.get(f"/__emulator/programs/{PROGRAM}/codes", params={"limit": 1000}).json() == codes_before
        assert [g["email"] for g in api.guests(created).json()["guests"]] == ["jane@example.com"]
        # A page token issued before the restart still continues the listing.
        assert api.guests(many, limit=10, page_token=page_token).json() == second_page
    second.close()


@contextmanager
def served(state: Path, profile: Path) -> Iterator[subprocess.Popen[bytes]]:
    profile.unlink(missing_ok=True)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "u4b_vouchers.cli.main",
            "serve",
            "--port",
            "0",
            "--state",
            str(state),
            "--write-profile",
            str(profile),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if profile.exists():
                base = load_profile(profile).base_url
                try:
                    if httpx.get(f"{base}/__emulator/health", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
            time.sleep(0.05)
        else:
            raise AssertionError("the emulator did not start within 30 s")
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)
        if process.stderr:
            process.stderr.close()


def first_party_token(base: str) -> str:
    """A client-credentials token of the demo seed's first-party client, over HTTP."""
    answer = httpx.post(
        f"{base}/oauth/v2/token",
        data={
            "client_id": "demo-first-party",
            "client_secret": SECRETS["demo-first-party"],
            "grant_type": "client_credentials",
        },
    )
    token: str = answer.json()["access_token"]
    return token


def test_a_killed_server_loses_nothing(tmp_path: Path) -> None:
    state, profile = tmp_path / "state.sqlite", tmp_path / "profile.toml"
    with served(state, profile) as process:
        base = load_profile(profile).base_url
        token = first_party_token(base)
        headers = {"Authorization": f"Bearer {token}"}
        url = f"{base}/v1/organizations/{ORG}/voucher-programs/{PROGRAM}"
        assert httpx.patch(url, json={"expense_memo": "survives"}, headers=headers).status_code == 204
        assert httpx.post(f"{url}/codes/generate", json={"number_of_codes": 40}, headers=headers).status_code == 200
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    with served(state, profile):
        base = load_profile(profile).base_url
        view = httpx.get(f"{base}/__emulator/programs/{PROGRAM}").json()
        assert (view["expense_memo"], view["code_count"]) == ("survives", 90)
        headers = {"Authorization": f"Bearer {token}"}
        guests = httpx.get(f"{base}/v1/organizations/{ORG}/voucher-programs/{PROGRAM}/guests", headers=headers)
        assert guests.status_code == 200
        assert len(guests.json()["guests"]) == 6
