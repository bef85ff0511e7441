"""``check --report-dir`` writes the run's traffic as HAR 1.2 (``traffic.har``): every request of
the run, Schemathesis's included, valid HAR, redacted as the cassette is, and read back by
``replay`` (which also reads other tools' HAR, and refuses a broken one in one line)."""

from __future__ import annotations

import base64
import copy
import json
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
from contract_tests import Target
from contract_tests.har import har_text
from contract_tests.redaction import REDACTED

from tests.conftest import ROOT
from tests.contract.serving import serving
from u4b_vouchers.cli import profile_of
from u4b_vouchers.client import SyncASGITransport, provider_for
from u4b_vouchers.emulator import Emulator
from u4b_vouchers.emulator.seed import read_seed
from u4b_vouchers.spec import load_spec

SPEC = ROOT / "openapi" / "vouchers.yaml"
HAR_SCHEMA = json.loads((ROOT / "tests" / "data" / "har-1.2.schema.json").read_text())
SCHEMATHESIS = "schemathesis/all-phases"
GUESTS = "/v1/organizations/{org}/voucher-programs/{program}/guests"


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "u4b_vouchers.cli.main", *args], capture_output=True, text=True, timeout=600, check=False
    )


def har_errors(document: Any) -> list[str]:
    """Where ``document`` breaks the HAR 1.2 structure (tests/data/har-1.2.schema.json)."""
    validator = jsonschema.Draft202012Validator(HAR_SCHEMA)
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(document)]


def demo_secrets() -> list[str]:
    """Every secret of the demo seed: the clients' secrets and the seeded access tokens."""
    seed = read_seed("demo")
    secrets = [c["secret"] for c in seed["clients"]]
    secrets += [i["access_token"] for i in seed["profile"]["identities"].values() if "access_token" in i]
    return secrets


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A whole ``check`` of the embedded emulator, its reports written."""
    out = tmp_path_factory.mktemp("check")
    result = cli("check", "--report-dir", str(out), "--quiet")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return out


def test_check_writes_every_request_of_the_run_as_valid_har(report: Path) -> None:
    har = json.loads((report / "traffic.har").read_text())
    cassette = json.loads((report / "cassette.json").read_text())["interactions"]
    assert har_errors(har) == []
    entries = har["log"]["entries"]
    assert len(entries) == len(cassette) > 100
    assert [(e["request"]["method"], e["request"]["url"], e["response"]["status"]) for e in entries] == [
        (i["method"], i["url"], i["response"]["status"]) for i in cassette
    ]
    assert [e["response"]["content"]["text"] for e in entries] == [i["response"]["body"] for i in cassette]
    assert any(e.get("comment") == SCHEMATHESIS for e in entries)  # Schemathesis's requests too
    # absolute times, in the order sent, within the run
    started = [datetime.fromisoformat(e["startedDateTime"]) for e in entries]
    assert started == sorted(started)
    verdict = json.loads((report / "verdict.json").read_text())
    assert (started[-1] - started[0]).total_seconds() <= verdict["seconds"]
    assert abs((datetime.now(started[0].tzinfo) - started[0]).total_seconds()) < 3600


def test_the_har_carries_no_secret(report: Path) -> None:
    text = (report / "traffic.har").read_text()
    assert REDACTED in text  # the Authorization values, at least
    for secret in demo_secrets():
        assert secret not in text
    for entry in json.loads(text)["log"]["entries"]:
        for header in entry["request"]["headers"]:
            if header["name"].lower() == "authorization" and " " in header["value"]:
                assert header["value"].split(" ", 1)[1] == REDACTED


def test_replay_of_checks_own_har_is_clean(report: Path) -> None:
    result = cli("replay", str(report / "traffic.har"), "--spec", str(SPEC))
    assert result.returncode == 0, result.stdout[-2000:]
    recorded = len(json.loads((report / "cassette.json").read_text())["interactions"])
    assert f"0 of {recorded} recorded exchanges" in result.stderr


def test_a_report_folder_is_replayed_once_not_twice(report: Path) -> None:
    """cassette.json and traffic.har hold the same run: a folder of check's reports counts it once."""
    result = cli("replay", str(report), "--spec", str(SPEC))
    recorded = len(json.loads((report / "cassette.json").read_text())["interactions"])
    assert result.returncode == 0
    assert f"0 of {recorded} recorded exchanges" in result.stderr


# ------------------------------------------------------- other tools' HAR, and broken HAR


def guests_entry(body: dict[str, Any], **content: Any) -> dict[str, Any]:
    """A HAR entry as a browser writes one: the guests of the demo's program, answered ``body``."""
    fixtures = read_seed("demo")["profile"]
    path = GUESTS.format(org=fixtures["organization_id"], program=fixtures["fixtures"]["program_started_multi_code"])
    text = json.dumps(body)
    return {
        "startedDateTime": "2026-01-02T03:04:05.678Z",
        "time": 12.5,
        "request": {
            "method": "GET",
            "url": f"https://sandbox.example.test{path}?limit=2",
            "httpVersion": "h2",
            "cookies": [],
            "headers": [{"name": "accept", "value": "application/json"}],
            "queryString": [{"name": "limit", "value": "2"}],
            "headersSize": -1,
            "bodySize": 0,
        },
        "response": {
            "status": 200,
            "statusText": "OK",
            "httpVersion": "h2",
            "cookies": [],
            "headers": [{"name": "Content-Type", "value": "application/json"}],
            "content": {"size": len(text), "mimeType": "application/json", "text": text, **content},
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": -1,
        },
        "cache": {},
        "timings": {"blocked": -1, "dns": -1, "connect": -1, "send": 0, "wait": 10, "receive": 2.5, "ssl": -1},
    }


GOOD_GUESTS = {
    "guests": [
        {
            "name": "Ada",
            "email": "ada@example.com",
            "code": {"code_id": "0e0c3a5e-2a43-4b6f-9f0e-3d3f0d7d8a11", "code_text": "ABCD1234"},
            "voucher": {"voucher_id": "7a1c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3", "voucher_status": "VOUCHER_SENT"},
        }
    ]
}


def har_of(*entries: dict[str, Any]) -> dict[str, Any]:
    return {"log": {"version": "1.2", "creator": {"name": "a browser", "version": "1"}, "entries": list(entries)}}


def write_har(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document))
    return path


def test_a_hand_made_har_with_a_broken_response_is_flagged(tmp_path: Path) -> None:
    broken = copy.deepcopy(GOOD_GUESTS)
    broken["guests"][0]["voucher"]["voucher_status"] = "voucher_sent"
    har = har_of(guests_entry(GOOD_GUESTS), guests_entry(broken))
    assert har_errors(har) == []
    result = cli("replay", str(write_har(tmp_path / "browser.json", har)), "--spec", str(SPEC), "--format", "json")
    assert result.returncode == 1, result.stderr
    (rejected,) = json.loads(result.stdout)["rejected"]
    assert rejected["index"] == 1
    assert rejected["side"] == "response"
    assert "voucher_sent" in rejected["reason"]


def test_other_tools_har_is_read_base64_bodies_and_missing_parts_included(tmp_path: Path) -> None:
    """A body in base64 (``content.encoding``), a request without postData, a response without
    ``content.text``, a request that got no answer (status 0): read as the tool meant them. A
    folder's *.har files are found whatever the tool named them."""
    broken = copy.deepcopy(GOOD_GUESTS)
    broken["guests"][0]["voucher"]["voucher_status"] = "sent"
    encoded = guests_entry(broken)
    encoded["response"]["content"]["text"] = base64.b64encode(json.dumps(broken).encode()).decode()
    encoded["response"]["content"]["encoding"] = "base64"
    without_text = guests_entry(GOOD_GUESTS)
    del without_text["response"]["content"]["text"]
    unanswered = guests_entry(GOOD_GUESTS)  # a canceled request, as browsers write one
    unanswered["response"].update(
        status=0, statusText="", httpVersion="", headers=[], content={"size": 0, "mimeType": ""}
    )
    har = har_of(without_text, encoded, unanswered)
    assert har_errors(har) == []
    folder = tmp_path / "devtools"
    folder.mkdir()
    write_har(folder / "session.har", har)
    result = cli("replay", str(folder), "--spec", str(SPEC), "--format", "json")
    assert result.returncode == 1, result.stderr
    (rejected,) = json.loads(result.stdout)["rejected"]
    assert rejected["index"] == 1
    assert "'sent'" in rejected["reason"]  # the decoded body was judged
    assert json.loads(result.stdout)["interactions"] == 3  # the canceled one read, and not judged


def bad_entry(change: str) -> dict[str, Any]:
    entry = guests_entry(GOOD_GUESTS)
    if change == "no response":
        del entry["response"]
    elif change == "status as text":
        entry["response"]["status"] = "200"
    elif change == "bad base64":
        entry["response"]["content"].update(text="not base64!", encoding="base64")
    elif change == "headers not a list":
        entry["request"]["headers"] = {"accept": "application/json"}
    return entry


@pytest.mark.parametrize("change", ["no response", "status as text", "bad base64", "headers not a list"])
def test_a_bad_har_entry_is_one_line_naming_the_file_and_the_entry(tmp_path: Path, change: str) -> None:
    har = write_har(tmp_path / "bad.har", har_of(guests_entry(GOOD_GUESTS), bad_entry(change)))
    result = cli("replay", str(har), "--spec", str(SPEC))
    assert result.returncode == 2, result.stdout
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("u4b-vouchers: error: ")
    assert f"{har}: not a valid HAR: entry 1: " in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "document", [{"log": {"version": "1.2"}}, {"log": {"entries": {}}}, {"log": []}], ids=["no entries", "dict", "list"]
)
def test_a_document_that_is_not_har_is_one_line(tmp_path: Path, document: Any) -> None:
    result = cli("replay", str(write_har(tmp_path / "x.har", document)), "--spec", str(SPEC))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert "x.har" in result.stderr


def test_schemathesis_own_har_is_read(tmp_path: Path) -> None:
    """``st run --report har --report-preserve-bytes`` against a served emulator: bodies in
    base64 (responses marked so), HAR valid; replay reads every entry and judges the decoded bodies."""
    har = tmp_path / "schemathesis.har"
    with serving(tmp_path / "served") as profile:
        with httpx.Client() as http:
            token = provider_for(profile, "first_party").token(http)
        run = subprocess.run(
            [
                str(Path(sys.executable).parent / "st"),
                "run",
                str(SPEC),
                "--url",
                profile.base_url,
                "-H",
                f"Authorization: Bearer {token}",
                "--max-examples",
                "3",
                "--phases",
                "examples,fuzzing",
                "--checks",
                "not_a_server_error",
                "--report",
                "har",
                "--report-preserve-bytes",
                "--report-har-path",
                str(har),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
            cwd=tmp_path,  # st keeps a folder of its own where it runs
        )
    assert run.returncode == 0, run.stdout[-2000:]
    document = json.loads(har.read_text())
    assert har_errors(document) == []
    entries = document["log"]["entries"]
    assert any(e["response"]["content"].get("encoding") == "base64" for e in entries)
    result = cli("replay", str(har), "--spec", str(SPEC), "--format", "json")
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    assert report["interactions"] == len(entries) > 0
    assert not [r for r in report["rejected"] if "not JSON" in r["reason"]]  # the base64 bodies were decoded


def test_a_token_exchange_the_target_records_is_redacted_in_the_har() -> None:
    """check's runs record no token request today (tokens are fetched apart); one recorded through
    the Target (as Schemathesis's requests are) has its client secret and its token taken out."""
    emulator = Emulator(spec=load_spec(), seed="demo")
    target = Target(profile_of(emulator, "http://emulator.embedded"), transport=SyncASGITransport(emulator.app))
    try:
        identity = target.profile.identity("first_party")
        assert identity is not None
        assert identity.client_secret
        token = target.token("first_party")
        form = f"grant_type=client_credentials&client_id={identity.client_id}&client_secret={identity.client_secret}"
        exchange = target.record(
            method="POST",
            url=target.profile.token_url,
            request_headers=[("Content-Type", "application/x-www-form-urlencoded")],
            request_body=form,
            status=200,
            response_headers=[("Content-Type", "application/json")],
            response_body=json.dumps({"access_token": token, "token_type": "Bearer", "expires_in": 3600}),
            identity=None,
            elapsed_ms=1.0,
            seconds=0.5,
            count=True,
        )
        text = har_text([exchange], time.time())
    finally:
        target.close()
        emulator.close()
    assert har_errors(json.loads(text)) == []
    assert identity.client_secret not in text
    assert token not in text
    (entry,) = json.loads(text)["log"]["entries"]
    assert entry["request"]["postData"]["text"].endswith(f"client_secret={REDACTED}")
    assert json.loads(entry["response"]["content"]["text"])["access_token"] == REDACTED
