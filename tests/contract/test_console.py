"""What ``u4b-vouchers check`` prints on the console: live progress while a check runs (rewritten on
a terminal, sparse in a log), a summary naming every failing check and rule (``--quiet`` too),
lines wrapped at word boundaries and never cut, messages that say whether the status or the code
differed, and which checks sent requests to the control plane."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from contract_tests import Target
from contract_tests.findings import difference
from contract_tests.runner import Running
from contract_tests.target import DeadlineExceeded, Exchange

from tests.contract.serving import serving
from u4b_vouchers.cli.check import INDENT, LiveProgress, wrapped
from u4b_vouchers.cli.main import main
from u4b_vouchers.profile import parse_profile
from u4b_vouchers.spec import Outcome

# ---------------------------------------------------------------------------------------- wrapping

MESSAGE = (
    "[ 6/48] auth/token-required                                  FAIL (8 req, 0.1s) 8 failure(s): a "
    "request breaking AUTH-TOKEN-REQUIRED got status 401 as documented, but code 'token_invalid' where "
    "the documents say 'unauthorized'; see "
    "http://127.0.0.1:8080/v1/organizations/7f0c2d1e-5a4b-4c3d-9e8f-0a1b2c3d4e5f/voucher-programs/"
    "279e4ef6-6caf-4b59-b520-e67be9c821b7/codes/generate and the rest of this long line " * 3
)


@pytest.mark.parametrize("width", [40, 100, 160])
def test_long_lines_are_wrapped_at_word_boundaries_and_keep_every_word(width: int) -> None:
    lines = wrapped(MESSAGE, width).split("\n")
    assert len(lines) > 1
    assert all(line.startswith(INDENT) for line in lines[1:])
    assert all(len(line) <= width for line in lines if " " in line.strip())  # only a lone long word overflows
    assert " ".join(line.strip() for line in lines).split() == MESSAGE.split()  # nothing cut or dropped


def test_a_short_line_is_left_alone() -> None:
    assert wrapped("check: emulator at http://127.0.0.1:8080", 100) == "check: emulator at http://127.0.0.1:8080"


# ---------------------------------------------------------------------------------------- live progress


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def running(check: str = "schemathesis/all-phases", **changes: Any) -> Running:
    values: dict[str, Any] = {
        "check": check,
        "index": 48,
        "total": 48,
        "cases": 120,
        "requests": 260,
        "seconds": 12.0,
        "run_requests": 900,
        "budget": 1000,
        "deadline_left": 3480.0,
    }
    values.update(changes)
    return Running(**values)


def test_in_a_log_progress_is_a_plain_line_at_most_every_five_seconds() -> None:
    stream, clock = io.StringIO(), Clock()
    live = LiveProgress(stream, tty=False, clock=clock)
    live(running(requests=1))  # the check starts: nothing yet
    for _ in range(40):  # twenty seconds of ticks, two a second
        clock.now += 0.5
        live(running())
    lines = stream.getvalue().replace("\n" + INDENT, " ").splitlines()  # a long one is wrapped
    assert len(lines) == 4
    assert "\r" not in stream.getvalue()
    assert "\x1b" not in stream.getvalue()
    assert lines[0] == (
        "[48/48] schemathesis/all-phases running: 120 cases, 260 requests, 12 s; budget 900/1000; "
        "3480 s to the deadline"
    )


def test_a_check_shorter_than_the_interval_shows_no_progress() -> None:
    stream, clock = io.StringIO(), Clock()
    live = LiveProgress(stream, tty=False, clock=clock)
    for check in ("auth/matrix-first-party", "auth/token-required", "rules/generate-count"):
        for _ in range(4):
            clock.now += 1.0
            live(running(check))
    assert stream.getvalue() == ""


def test_on_a_terminal_one_line_is_rewritten_each_second_then_cleared() -> None:
    stream, clock = io.StringIO(), Clock()
    live = LiveProgress(stream, tty=True, clock=clock)
    live(running())
    for _ in range(6):
        clock.now += 0.5
        live(running(budget=None))
    live.clear()
    text = stream.getvalue()
    assert "\n" not in text
    assert text.count("\r[48/48] schemathesis/all-phases running:") == 3
    assert "budget" not in text  # no budget, nothing said of one
    assert text.endswith("\r\x1b[K")


# ---------------------------------------------------------------------------------------- messages


def exchange(status: int, body: str, content_type: str = "application/json") -> Exchange:
    return Exchange(
        method="GET",
        url="http://127.0.0.1:9/v1/organizations/o/voucher-programs/p/guests",
        request_headers={},
        request_body=None,
        status=status,
        response_headers={"content-type": content_type},
        response_body=body,
        identity=None,
        elapsed_ms=1.0,
    )


UNAUTHORIZED = [Outcome(401, "unauthorized")]


def test_a_different_status_is_named_as_the_status() -> None:
    got = difference(UNAUTHORIZED, exchange(403, '{"code": "forbidden"}'))
    assert got == "status 403 (code 'forbidden') where the documents say 401 unauthorized"


def test_the_right_status_with_another_code_names_the_code() -> None:
    got = difference(UNAUTHORIZED, exchange(401, '{"code": "token_invalid", "message": "no"}'))
    assert got == "status 401 as documented, but code 'token_invalid' where the documents say 'unauthorized'"


def test_the_right_status_without_a_code_says_what_the_body_is() -> None:
    html = difference(UNAUTHORIZED, exchange(401, "<html>no</html>", "text/html"))
    assert html == (
        "status 401 as documented, but a body that is not JSON (text/html) where the documents say 'unauthorized'"
    )
    no_code = difference(UNAUTHORIZED, exchange(401, '{"message": "no"}'))
    assert no_code == (
        "status 401 as documented, but a JSON body without a string code where the documents say 'unauthorized'"
    )
    empty = difference(UNAUTHORIZED, exchange(401, ""))
    assert empty == "status 401 as documented, but no body where the documents say 'unauthorized'"


def test_several_outcomes_are_listed_and_a_status_class_counts_as_the_status() -> None:
    allowed = [Outcome(400, "invalid_request"), Outcome(404, "not_found")]
    assert difference(allowed, exchange(200, "{}")) == (
        "status 200 where the documents say 400 invalid_request or 404 not_found"
    )
    assert difference([Outcome("4XX", "invalid_request")], exchange(422, '{"code": "unprocessable"}')) == (
        "status 422 as documented, but code 'unprocessable' where the documents say 'invalid_request'"
    )


# ---------------------------------------------------------------------------------------- a run with drift

FLAGS = ("invalid-request-code-renamed", "missing-token-as-403")


@pytest.fixture(scope="module")
def drifted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """``check --quiet`` of two checks against an emulator served with two fault flags: one that
    changes only the code of 400 answers, one that answers 403 where 401 is due."""
    folder = tmp_path_factory.mktemp("drifted")
    options = [word for flag in FLAGS for word in ("--fault-flag", flag)]
    with serving(folder, options), pytest.MonkeyPatch.context() as patch:
        out, err = io.StringIO(), io.StringIO()
        patch.setattr("sys.stdout", out)
        patch.setattr("sys.stderr", err)
        code = main(
            [
                "check",
                "--profile",
                str(folder / "profile.toml"),
                "--rule",
                "AUTH-TOKEN-REQUIRED",
                "--rule",
                "UPD-PERCENT-RANGE",
                "--report-dir",
                str(folder / "reports"),
                "--quiet",
            ]
        )
    return {
        "code": code,
        "stdout": out.getvalue(),
        "stderr": err.getvalue(),
        "verdict": json.loads((folder / "reports" / "verdict.json").read_text()),
    }


def test_quiet_still_names_every_failing_check_and_rule(drifted: dict[str, Any]) -> None:
    assert drifted["code"] == 1
    assert drifted["stderr"] == ""  # no progress, no per-check lines
    lines = drifted["stdout"].splitlines()
    failing = [line.split() for line in lines if line.startswith("FAIL")]
    assert [(words[1], words[2]) for words in failing] == [
        ("auth/token-required", "AUTH-TOKEN-REQUIRED"),
        ("rules/update-percentage-range", "UPD-PERCENT-RANGE"),
    ]
    assert all(words[-1] in ("finding", "findings") and words[-2].isdigit() for words in failing)
    verdict_line = " ".join(" ".join(lines[len(failing) :]).split())
    assert "not conformant" in verdict_line
    assert "2 failed" in verdict_line


def test_a_drift_of_the_code_alone_is_said_to_be_the_code(drifted: dict[str, Any]) -> None:
    findings = [f for r in drifted["verdict"]["results"] for f in r["findings"]]
    percentage = [f for f in findings if f["rule"] == "UPD-PERCENT-RANGE"]
    assert percentage
    for finding in percentage:
        assert finding["kind"] == "code"
        assert (
            "status 400 as documented, but code 'bad_request' where the documents say 'invalid_request'"
            in (finding["message"])
        )
    token = [f for f in findings if f["rule"] == "AUTH-TOKEN-REQUIRED"]
    assert token
    assert all(f["kind"] == "status" and "status 403" in f["message"] for f in token)
    assert all("where the documents say 401 unauthorized" in f["message"] for f in token)


# ---------------------------------------------------------------------------------------- the control plane


def test_a_control_plane_call_that_was_never_sent_is_not_counted() -> None:
    profile = parse_profile(
        {
            "base_url": "http://127.0.0.1:9",
            "token_url": "http://127.0.0.1:9/oauth/v2/token",
            "organization_id": "org",
            "emulator": True,
        }
    )
    target = Target(profile, deadline=1.0)
    try:
        target.started -= 10  # the deadline passed before the call
        assert target.control is not None
        with pytest.raises(DeadlineExceeded):
            target.control.clock()
        assert target.control.requests == 0
        assert not target.control.used
    finally:
        target.close()


def test_the_summary_names_each_control_plane_user_with_its_requests(tmp_path: Path, capsys: Any) -> None:
    code = main(["check", "--suite", "lifecycle", "--quiet", "--report-dir", str(tmp_path)])
    out = " ".join(capsys.readouterr().out.split())
    assert code == 0
    verdict = json.loads((tmp_path / "verdict.json").read_text())
    users = {r["check"]: r["control_requests"] for r in verdict["results"] if r["used_control_plane"]}
    assert users.keys() == {"lifecycle/start-moves-with-the-clock"}
    assert all(count > 0 for count in users.values())
    assert all(r["control_requests"] == 0 for r in verdict["results"] if not r["used_control_plane"])
    count = users["lifecycle/start-moves-with-the-clock"]
    assert f"control plane was used by: lifecycle/start-moves-with-the-clock ({count} requests)" in out
