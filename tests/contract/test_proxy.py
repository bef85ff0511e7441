"""``u4b-vouchers proxy`` as a user runs it: a subprocess between the typed client and a served
emulator. Traffic passes unchanged; a drifting target is flagged live and in findings.json;
traffic.har is valid HAR that ``replay`` reads; no secret is written; listening beyond loopback
is refused; a target that does not answer is a 502 with a JSON body."""

from __future__ import annotations

import dataclasses
import json
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from tests.contract.proxying import Proxy, proxying
from tests.contract.serving import serving
from tests.contract.test_traffic_har import SPEC, har_errors
from tests.test_sarif import valid
from u4b_vouchers.client import ResponseValidationError, VouchersClient, provider_for
from u4b_vouchers.profile import Profile

STATUS_RULE = "GST-VOUCHER-STATUS-ENUM"


def through(profile: Profile, proxy: Proxy) -> Profile:
    """``profile`` with its base and token URLs at the proxy (token requests pass through it too)."""
    return dataclasses.replace(profile, base_url=proxy.url, token_url=proxy.url + urlsplit(profile.token_url).path)


def token_of(profile: Profile) -> str:
    with httpx.Client() as http:
        return provider_for(profile, "first_party").token(http)


def programs(profile: Profile) -> str:
    return f"/v1/organizations/{profile.organization_id}/voucher-programs"


def requests_of(profile: Profile) -> list[tuple[str, str, dict[str, object]]]:
    """Requests whose answers do not depend on the state (so direct and proxied answers compare
    byte for byte): pages of guests, refusals of several kinds, a path of no operation."""
    many = f"{programs(profile)}/{profile.fixtures['program_with_many_guests']}"
    multi = f"{programs(profile)}/{profile.fixtures['program_not_started_multi_code']}"
    return [
        ("GET", f"{many}/guests", {"params": {"limit": 3}}),
        ("GET", f"{many}/guests", {"params": {"limit": 0}}),
        ("GET", f"{programs(profile)}/a1000000-0000-4000-8000-0000000000ff/guests", {}),
        ("POST", f"{multi}/codes/generate", {"json": {"number_of_codes": "many"}}),
        ("PATCH", multi, {"content": b"{not json", "headers": {"content-type": "application/json"}}),
        ("GET", f"{many}/guests", {"params": {"limit": 2}, "auth": False}),
        ("DELETE", "/no/such/path", {}),
    ]


def compared(response: httpx.Response) -> tuple[int, bytes, list[tuple[str, str]]]:
    """Status, body bytes and headers (each name and value, in order; the date aside)."""
    headers = [(k.lower(), v) for k, v in response.headers.multi_items() if k.lower() != "date"]
    return response.status_code, response.content, headers


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Profile]:
    with serving(tmp_path_factory.mktemp("served")) as profile:
        yield profile


@pytest.fixture(scope="module")
def drifting(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Profile]:
    with serving(tmp_path_factory.mktemp("drifting"), ["--fault-flag", "voucher-status-lowercase"]) as profile:
        yield profile


@pytest.fixture(scope="module")
def clean_run(emulator: Profile, tmp_path_factory: pytest.TempPathFactory) -> tuple[Proxy, Path, list[str]]:
    """The typed client's calls through the proxy, and each state-free request sent both ways
    (direct, proxied) with the differences kept; the proxy, its report folder, the differences."""
    reports = tmp_path_factory.mktemp("proxy-clean")
    token = token_of(emulator)
    differences: list[str] = []
    with proxying(emulator.base_url, ["--report-dir", str(reports)]) as proxy:
        with VouchersClient.from_profile(through(emulator, proxy)) as client:
            org, fx = emulator.organization_id, emulator.fixtures
            guests = list(client.iter_guests(org, fx["program_with_many_guests"], page_size=50))
            assert len(guests) > 50
            assert client.generate_voucher_codes(org, fx["program_not_started_multi_code"], 2).status_code == 200
            update = client.update_voucher_program(org, fx["program_not_started_single_code"], {"expense_memo": "via"})
            assert update.status_code == 204
        for method, path, options in requests_of(emulator):
            headers = dict(options.get("headers") or {})  # type: ignore[call-overload]
            if options.get("auth", True):
                headers["Authorization"] = f"Bearer {token}"
            kwargs = {k: v for k, v in options.items() if k not in ("auth", "headers")}
            direct = httpx.request(method, emulator.base_url + path, headers=headers, **kwargs)  # type: ignore[arg-type]
            proxied = httpx.request(method, proxy.url + path, headers=headers, **kwargs)  # type: ignore[arg-type]
            if compared(direct) != compared(proxied):
                differences.append(f"{method} {path}: {compared(direct)} != {compared(proxied)}")
    return proxy, reports, differences


def test_traffic_passes_unchanged_and_a_conformant_target_shows_no_violation(
    clean_run: tuple[Proxy, Path, list[str]],
) -> None:
    proxy, reports, differences = clean_run
    assert differences == [], "\n".join(differences)
    assert proxy.returncode == 0, proxy.stdout + proxy.stderr
    lines = proxy.stdout.splitlines()
    assert lines[0].startswith(f"u4b-vouchers proxy on {proxy.url} forwarding to http://127.0.0.1:")
    assert lines[-1].startswith("u4b-vouchers proxy stopped (SIGINT): ")
    assert " 0 failure(s), 0 warning(s)" in lines[-1]
    assert len(lines) == 2  # no violation line
    assert "Traceback" not in proxy.stderr
    found = json.loads((reports / "findings.json").read_text())
    assert found["findings"] == []
    assert found["summary"]["exchanges"] == len(json.loads((reports / "traffic.har").read_text())["log"]["entries"])


def test_the_proxys_har_is_valid_and_replays_clean(clean_run: tuple[Proxy, Path, list[str]]) -> None:
    _, reports, _ = clean_run
    har = json.loads((reports / "traffic.har").read_text())
    assert har_errors(har) == []
    entries = har["log"]["entries"]
    paths = [urlsplit(e["request"]["url"]).path for e in entries]
    assert paths[0] == "/oauth/v2/token"  # the client's token request went through the proxy
    assert sum(p.endswith("/guests") for p in paths) >= 3
    result = subprocess.run(
        [sys.executable, "-m", "u4b_vouchers.cli.main", "replay", str(reports), "--spec", str(SPEC)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:]
    assert f"0 of {len(entries)} recorded exchanges" in result.stderr


def test_no_secret_is_written(clean_run: tuple[Proxy, Path, list[str]], emulator: Profile) -> None:
    _, reports, _ = clean_run
    identity = emulator.identity("first_party")
    assert identity is not None
    assert identity.client_secret
    token = token_of(emulator)  # the emulator hands out one token per client until it expires
    written = {path.name: path.read_text() for path in reports.iterdir()}
    assert set(written) == {"findings.json", "findings.sarif", "traffic.har"}
    for name, text in written.items():
        assert identity.client_secret not in text, name
        assert token not in text, name
    token_request = json.loads(written["traffic.har"])["log"]["entries"][0]
    assert "client_secret=%5Bredacted%5D" in token_request["request"]["postData"]["text"] or (
        "client_secret=[redacted]" in token_request["request"]["postData"]["text"]
    )
    assert json.loads(token_request["response"]["content"]["text"])["access_token"] == "[redacted]"


def test_a_drifting_target_is_flagged_live_and_in_findings_json(drifting: Profile, tmp_path: Path) -> None:
    with (
        proxying(
            drifting.base_url, ["--report-dir", str(tmp_path), "--fail-on", "failure"], stop_signal=signal.SIGTERM
        ) as proxy,
        VouchersClient.from_profile(through(drifting, proxy)) as client,
        pytest.raises(ResponseValidationError),
    ):  # the typed client sees it too
        client.get_voucher_program_guest_info(
            drifting.organization_id, drifting.fixtures["program_with_many_guests"], limit=5
        )
    assert proxy.returncode == 1, proxy.stdout + proxy.stderr
    live = [line for line in proxy.stdout.splitlines() if line.startswith(STATUS_RULE)]
    assert len(live) == 1, proxy.stdout
    assert live[0].startswith(f"{STATUS_RULE} [failure] GET /v1/organizations/{{organization_id}}/")
    assert "voucher_status" in live[0]
    found = json.loads((tmp_path / "findings.json").read_text())
    assert [f["rule"] for f in found["findings"]] == [STATUS_RULE]
    assert found["summary"]["findings"] == {"failure": 1, "warning": 0}
    assert proxy.stdout.splitlines()[-1].startswith("u4b-vouchers proxy stopped (SIGTERM): ")
    assert har_errors(json.loads((tmp_path / "traffic.har").read_text())) == []
    sarif = valid(json.loads((tmp_path / "findings.sarif").read_text()))
    assert sarif["runs"][0]["tool"]["driver"]["fullName"] == "u4b-vouchers proxy"
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == [STATUS_RULE]


def test_a_finding_below_fail_on_does_not_fail(drifting: Profile, tmp_path: Path) -> None:
    """--quiet leaves out the live lines, not the finding; a failure is at or above warning too."""
    with proxying(drifting.base_url, ["--quiet", "--fail-on", "warning"]) as proxy:
        token = token_of(drifting)
        path = f"{programs(drifting)}/{drifting.fixtures['program_with_many_guests']}/guests"
        assert httpx.get(proxy.url + path, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert proxy.returncode == 1
    assert STATUS_RULE not in proxy.stdout
    assert "1 failure(s)" in proxy.stdout.splitlines()[-1]


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10"])
def test_listening_beyond_loopback_is_refused(host: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "u4b_vouchers.cli.main", "proxy", "--target", "http://127.0.0.1:9", "--host", host],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr == (
        f"u4b-vouchers: error: --host {host} is not loopback: the proxy would forward anyone's requests to the "
        "target; give --allow-remote-listen if you mean it\n"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_a_target_that_does_not_answer_is_a_502_with_a_json_body(tmp_path: Path) -> None:
    with proxying(f"http://127.0.0.1:{free_port()}", ["--report-dir", str(tmp_path)]) as proxy:
        response = httpx.get(proxy.url + "/v1/organizations/x/voucher-programs/y/guests")
    assert response.status_code == 502
    body = response.json()
    assert body["code"] == "bad_gateway"
    assert "the target did not answer" in body["message"]
    assert proxy.returncode == 1
    (line,) = proxy.stderr.splitlines()
    assert line.startswith("u4b-vouchers proxy: GET /v1/organizations/x/voucher-programs/y/guests: the target did not")
    assert "1 request(s) not answered by the target (502)" in proxy.stdout.splitlines()[-1]
    assert json.loads((tmp_path / "findings.json").read_text())["summary"]["not_answered"] == 1


@pytest.mark.parametrize(
    ("options", "words"),
    [
        (["--target", "ftp://127.0.0.1:9"], "--target must be an http:// or https:// URL"),
        (["--target", "http://127.0.0.1:9", "--spec", "no-such.yaml"], "no-such.yaml"),
        (["--target", "http://127.0.0.1:9", "--port", "70000"], "--port must be between 0 and 65535"),
        (["--target", "http://127.0.0.1:9", "--max-body-bytes", "0"], "--max-body-bytes must be positive"),
    ],
    ids=["scheme", "spec", "port", "cap"],
)
def test_bad_input_is_one_line_and_exit_2(options: list[str], words: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "u4b_vouchers.cli.main", "proxy", *options],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("u4b-vouchers: error: ")
    assert result.stderr.count("\n") == 1, result.stderr
    assert words in result.stderr
