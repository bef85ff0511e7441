"""``u4b-vouchers serve`` from the command line: it serves, writes a usable profile, and bad
options are one-line errors."""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from contract_tests.target import ControlPlane, Target

from tests.contract.serving import serving
from tests.emulator.test_persistence import served
from u4b_vouchers.cli.errors import CliError
from u4b_vouchers.cli.listening import is_loopback
from u4b_vouchers.cli.serve import control_token, register
from u4b_vouchers.emulator import FAULT_FLAGS
from u4b_vouchers.profile import IDENTITIES, load_profile


def serve(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "u4b_vouchers.cli.main", "serve", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_serve_demo_writes_a_profile_that_works(tmp_path: Path) -> None:
    profile_path = tmp_path / "profile.toml"
    with served(tmp_path / "state.sqlite", profile_path):
        profile = load_profile(profile_path)
        assert profile.emulator is True
        assert set(profile.identities) == set(IDENTITIES)
        assert all(profile.identity(name) for name in IDENTITIES)
        first = profile.identity("first_party")
        assert first is not None
        token = httpx.post(
            profile.token_url,
            data={
                "client_id": first.client_id,
                "client_secret": first.client_secret,
                "grant_type": first.grant,
                "scope": first.scope,
            },
        ).json()["access_token"]
        program = profile.fixture("program_with_many_guests")
        page = httpx.get(
            f"{profile.base_url}/v1/organizations/{profile.organization_id}/voucher-programs/{program}/guests",
            params={"limit": 7},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert page.status_code == 200
        assert len(page.json()["guests"]) == 7


@pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="needs POSIX job-control signals")
def test_the_profile_appears_only_once_the_emulator_takes_connections(tmp_path: Path) -> None:
    # What a CI script does: start serve in the background, wait for the profile file, go.
    profile_path = tmp_path / "profile.toml"
    process = subprocess.Popen(
        [sys.executable, "-m", "u4b_vouchers.cli.main", "serve", "--port", "0", "--write-profile", str(profile_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not profile_path.exists():
            assert time.monotonic() < deadline
            assert process.poll() is None
            time.sleep(0.0005)
        # Freeze the server the moment the file appears: whatever it had not done yet (listen,
        # start the event loop) it cannot do now. A listening socket still takes the
        # connection (the kernel queues it); one that is only bound refuses it.
        os.kill(process.pid, signal.SIGSTOP)
        try:
            base_url = load_profile(profile_path).base_url  # complete, not half-written
            port = int(base_url.rsplit(":", 1)[1])
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
        finally:
            os.kill(process.pid, signal.SIGCONT)
        assert httpx.get(f"{base_url}/__emulator/health", timeout=10).status_code == 200  # no retry
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_unknown_seed(tmp_path: Path) -> None:
    result = serve("--seed-data", str(tmp_path / "nope.yaml"), "--port", "0")
    assert result.returncode == 2
    assert result.stderr.startswith("u4b-vouchers: error: ")
    assert "no such seed file" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_invalid_seed(tmp_path: Path) -> None:
    seed = tmp_path / "seed.yaml"
    seed.write_text("programs:\n  - {id: p, org_id: o, code_scheme: FREE, starts_at: now, ends_at: now+P1D}\n")
    result = serve("--seed-data", str(seed), "--port", "0")
    assert result.returncode == 2
    assert "programs[0].code_scheme: unknown code_scheme 'FREE'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_a_state_file_that_is_not_a_database_is_refused_untouched(tmp_path: Path) -> None:
    state = tmp_path / "notes.txt"
    state.write_text("my notes, not a database\n")
    result = serve("--state", str(state), "--port", "0")
    assert result.returncode == 2
    assert "not an emulator state file" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert state.read_text() == "my notes, not a database\n"  # nothing lost


def test_a_state_file_in_a_missing_folder(tmp_path: Path) -> None:
    result = serve("--state", str(tmp_path / "missing" / "state.sqlite"), "--port", "0")
    assert result.returncode == 2
    assert "cannot open the state file" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_port_in_use() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = serve("--port", str(taken.getsockname()[1]))
    assert result.returncode == 2
    assert "cannot listen on 127.0.0.1:" in result.stderr


def test_bad_port() -> None:
    result = serve("--port", "70000")
    assert result.returncode == 2
    assert "--port must be between 0 and 65535" in result.stderr


def test_fault_flags_are_in_force_from_the_start_without_a_control_plane(tmp_path: Path) -> None:
    profile_path = tmp_path / "profile.toml"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "u4b_vouchers.cli.main",
            "serve",
            "--port",
            "0",
            "--no-control",
            "--fault-flag",
            "edge-radius-min",
            "--fault-flag",
            "update-200-with-body",
            "--write-profile",
            str(profile_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while not profile_path.exists():
            assert time.monotonic() < deadline
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
            time.sleep(0.05)
        profile = load_profile(profile_path)
        first = profile.identity("first_party")
        assert first is not None
        token = httpx.post(
            profile.token_url,
            data={
                "client_id": first.client_id,
                "client_secret": first.client_secret,
                "grant_type": first.grant,
                "scope": first.scope,
            },
            timeout=10,
        ).json()["access_token"]
        program = profile.fixture("program_not_started_multi_code")
        url = f"{profile.base_url}/v1/organizations/{profile.organization_id}/voucher-programs/{program}"

        def update(radius: int) -> httpx.Response:
            location = {"address": "1 Main St", "radius": radius}
            body = {"trip_restriction_type": "PICKUP_ONLY", "pickup_locations": [location]}
            return httpx.patch(url, json=body, headers={"Authorization": f"Bearer {token}"}, timeout=10)

        accepted = update(19)  # one under the documented minimum (edge-radius-min)
        assert accepted.status_code == 200, accepted.text  # and not 204 (update-200-with-body)
        assert accepted.json()
        refused = update(18)
        assert refused.status_code == 400
        assert refused.headers["x-u4b-rule"] == "UPD-LOCATION-RADIUS-MIN"
        assert httpx.get(f"{profile.base_url}/__emulator/flags", timeout=10).status_code == 404  # no control
    finally:
        process.terminate()
        process.wait(timeout=30)
        if process.stderr:
            stderr = process.stderr.read().decode()
            process.stderr.close()
            assert "fault flags: edge-radius-min, update-200-with-body" in stderr


def test_list_fault_flags() -> None:
    result = serve("--list-fault-flags")
    assert result.returncode == 0, result.stderr
    for name, flag in FAULT_FLAGS.items():
        assert f"{name}  breaks {flag.expected} ({flag.severity})\n    {flag.description}\n" in result.stdout + "\n"
    assert "update-200-with-body  breaks UPD-SUCCESS-204 (warning)" in result.stdout


def test_unknown_fault_flag() -> None:
    result = serve("--fault-flag", "edge-radius-min", "--fault-flag", "make-it-weird", "--port", "0")
    assert result.returncode == 2
    assert result.stderr.startswith("u4b-vouchers: error: unknown fault flag make-it-weird")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


# ------------------------------------------------------------------ the host guard and control token


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.0.0.1", "192.168.1.20", "example.com", "127.0.0.1.nip.io"])
def test_a_non_loopback_host_with_the_control_plane_is_refused(host: str) -> None:
    result = serve("--host", host, "--port", "0")
    assert result.returncode == 2
    assert result.stderr.startswith(f"u4b-vouchers: error: --host {host} is not loopback")
    assert "--control-token" in result.stderr
    assert "--no-control" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.10", "::1", "[::1]", "localhost", "LOCALHOST"])
def test_loopback_hosts_need_no_token(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize(
    ("options", "allowed"),
    [
        (["--host", "0.0.0.0", "--no-control"], True),
        (["--host", "0.0.0.0", "--control-token", "t0ken"], True),
        (["--host", "0.0.0.0", "--control-token-env", "U4B_TEST_CONTROL_TOKEN"], True),
        (["--host", "0.0.0.0", "--control-token-env", "U4B_TEST_UNSET_VARIABLE"], False),
        (["--host", "0.0.0.0", "--control-token", " "], False),
        (["--host", "0.0.0.0", "--control-token", "a\nb"], False),
        (["--control-token", "a", "--control-token-env", "U4B_TEST_CONTROL_TOKEN"], False),
    ],
)
def test_what_opens_a_non_loopback_host(monkeypatch: pytest.MonkeyPatch, options: list[str], allowed: bool) -> None:
    # Checked without listening: tests reach loopback only.
    monkeypatch.setenv("U4B_TEST_CONTROL_TOKEN", "from-the-environment")
    monkeypatch.delenv("U4B_TEST_UNSET_VARIABLE", raising=False)
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    args = parser.parse_args(["serve", *options])
    if allowed:
        control_token(args)
    else:
        with pytest.raises(CliError):
            control_token(args)


def test_an_unset_control_token_variable_is_one_line() -> None:
    result = serve("--control-token-env", "U4B_TEST_UNSET_VARIABLE", "--port", "0")
    assert result.returncode == 2
    assert result.stderr == (
        "u4b-vouchers: error: --control-token-env U4B_TEST_UNSET_VARIABLE: the variable is not set or empty\n"
    )


def test_with_a_control_token_the_served_control_plane_needs_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("U4B_TEST_CONTROL_TOKEN", "kept-off-the-command-line")
    with serving(tmp_path, ["--control-token-env", "U4B_TEST_CONTROL_TOKEN"], control=True) as profile:
        base = profile.base_url
        refused = httpx.post(f"{base}/__emulator/reset", timeout=10)
        assert refused.status_code == 401
        assert refused.json()["code"] == "unauthorized"
        wrong = httpx.get(f"{base}/__emulator/clock", headers={"Authorization": "Bearer nope"}, timeout=10)
        assert wrong.status_code == 401
        right = {"Authorization": "Bearer kept-off-the-command-line"}
        assert httpx.get(f"{base}/__emulator/clock", headers=right, timeout=10).status_code == 200
        assert httpx.get(f"{base}/v1/nothing-here", timeout=10).status_code == 404  # the vendor's side as before
        # The written profile names the variable, never the token, and check's client sends it.
        assert profile.control_token_env == "U4B_TEST_CONTROL_TOKEN"
        assert "kept-off-the-command-line" not in (tmp_path / "profile.toml").read_text()
        target = Target(profile)
        try:
            assert "now_ms" in ControlPlane(target).clock()
        finally:
            target.close()


def test_a_seed_that_would_generate_too_much_is_refused_at_start(tmp_path: Path) -> None:
    seed = tmp_path / "seed.yaml"
    seed.write_text(
        "programs:\n  - {id: p, org_id: o, code_scheme: MULTI_CODE_SINGLE_REDEEM, starts_at: now,"
        " ends_at: now+P1D, codes: 100000000000}\n"
    )
    result = serve("--seed-data", str(seed), "--port", "0")
    assert result.returncode == 2
    assert "programs[0].codes: 100000000000 is greater than the maximum of 1000000" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("source", ["/dev/zero", "/dev/null", "/etc"])
def test_a_seed_that_is_not_a_regular_file_is_refused_unread(source: str) -> None:
    result = serve("--seed-data", source, "--port", "0")
    assert result.returncode == 2
    assert "not a regular file" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
