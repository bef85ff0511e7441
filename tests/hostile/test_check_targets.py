"""``check`` against hostile targets on loopback: one that stalls after the reachability probe, one
that answers 60 MB, one that echoes every secret it is sent, and token endpoints that fail. Each
run ends (a generous subprocess timeout is the hang guard), writes its reports, and leaks nothing."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from contract_tests.target import MAX_RECORDED_BODY, MAX_TOKEN_FAILURES

from u4b_vouchers.profile import FIXTURES

TOKEN_PATH = "/oauth/v2/token"
TOKEN = "tok-Hostile-7f3a9c1e5b2d"
SECRET = "sec-Hostile-0e8d6b4a2c9f"
SECRET_ENV = "U4B_HOSTILE_SECRET"
HANG_GUARD = 300  # seconds: far above any run here; only a hang reaches it

Behaviour = Callable[["Handler", bytes], None]


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, behave: Behaviour):
        super().__init__(("127.0.0.1", 0), Handler)
        self.behave = behave
        self.token_requests = 0
        self.release = threading.Event()  # set at the end: stalled handlers return

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _any(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        if self.path.startswith(TOKEN_PATH):
            self.server.token_requests += 1
        with suppress(BrokenPipeError, ConnectionResetError):  # the client stopped reading, as it should
            self.server.behave(self, body)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _any

    def reply(self, status: int, body: bytes, content_type: str = "application/json", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)


def good_token(handler: Handler) -> None:
    handler.reply(200, json.dumps({"access_token": TOKEN, "token_type": "Bearer", "expires_in": 3600}).encode())


@contextmanager
def hostile(behave: Behaviour) -> Iterator[Server]:
    server = Server(behave)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()


def write_profile(folder: Path, url: str, *, extra: str = "", identities: tuple[str, ...] = ("first_party",)) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        'name = "hostile"',
        f'base_url = "{url}"',
        f'token_url = "{url}{TOKEN_PATH}"',
        'organization_id = "9a7c1e2b-0000-4000-8000-000000000001"',
        'foreign_organization_id = "9a7c1e2b-0000-4000-8000-000000000002"',
        extra,
    ]
    for name in identities:
        lines += [
            f"[identities.{name}]",
            'grant = "client_credentials"',
            f'client_id = "client-{name}"',
            f'client_secret_env = "{SECRET_ENV}"',
        ]
    lines.append("[fixtures]")
    lines += [f'{kind} = "9a7c1e2b-0000-4000-8000-{n:012d}"' for n, kind in enumerate(FIXTURES, 10)]
    path = folder / "profile.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def check(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "u4b_vouchers.cli.main", "check", *args],
        capture_output=True,
        timeout=HANG_GUARD,
        check=False,
        env={**os.environ, SECRET_ENV: SECRET, **(env or {})},
    )


def verdict(folder: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((folder / "verdict.json").read_text())
    return data


def results(folder: Path) -> list[dict[str, object]]:
    found = verdict(folder)["results"]
    assert isinstance(found, list)
    return found


REPORTS = ("verdict.json", "junit.xml", "report.md", "report.html", "cassette.json")


# ---------------------------------------------------------------- a target that stalls


def stall(handler: Handler, body: bytes) -> None:
    if handler.path.startswith(TOKEN_PATH):
        good_token(handler)
    elif handler.path == "/":
        handler.reply(404, b'{"code":"not_found","message":"nothing here"}')
    else:
        handler.server.release.wait(HANG_GUARD)


def trickle(handler: Handler, body: bytes, *, probe_too: bool = False) -> None:
    """Headers at once, then a byte every 0.2 s: no single read ever times out."""
    if handler.path.startswith(TOKEN_PATH) or (handler.path == "/" and not probe_too):
        stall(handler, body)
        return
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", "1000000")
    handler.end_headers()
    while not handler.server.release.wait(0.2):
        handler.wfile.write(b" ")
        handler.wfile.flush()


def trickle_everywhere(handler: Handler, body: bytes) -> None:
    trickle(handler, body, probe_too=True)


@pytest.mark.parametrize("behave", [stall, trickle, trickle_everywhere], ids=["stall", "trickle", "trickle-probe"])
def test_a_target_that_stalls_is_cut_by_the_deadline_and_the_reports_are_written(
    tmp_path: Path, behave: Behaviour
) -> None:
    with hostile(behave) as server:
        profile = write_profile(tmp_path, server.url)
        started = time.monotonic()
        run = check(
            "--profile", str(profile), "--report-dir", str(tmp_path / "r"),
            "--deadline", "6", "--request-timeout", "0.5", "--max-examples", "1", "--quiet",
        )  # fmt: skip
        took = time.monotonic() - started
    assert run.returncode == 1, run.stderr.decode()[-2000:]
    assert b"Traceback" not in run.stderr + run.stdout
    assert all((tmp_path / "r" / name).is_file() for name in REPORTS)
    found = verdict(tmp_path / "r")
    assert found["deadline_passed"] is True
    assert found["conformant"] is False
    cut = [r for r in results(tmp_path / "r") if r["over_deadline"]]
    assert cut
    assert all(r["status"] == "not-covered" and "deadline of 6 s" in str(r["message"]) for r in cut)
    timed_out = [r for r in results(tmp_path / "r") if r["status"] == "error"]
    assert timed_out
    assert all(" within " in str(r["message"]) for r in timed_out)
    assert all("(--request-timeout)" in str(r["message"]) or "--deadline)" in str(r["message"]) for r in timed_out)
    assert b"the deadline of 6 s passed" in run.stdout
    print(f"stalled target: check ended after {took:.1f} s with --deadline 6")  # a figure for the notes


# ---------------------------------------------------------------- a target that answers 60 MB

HUGE = 60 * 1024 * 1024
CHUNK = b"[" + b'"x",' * 16383 + b'"x"]'


def huge(handler: Handler, body: bytes) -> None:
    if handler.path.startswith(TOKEN_PATH):
        good_token(handler)
        return
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    if "length" in handler.path:  # announced: refused before reading
        handler.send_header("Content-Length", str(HUGE))
    else:
        handler.send_header("Connection", "close")
    handler.end_headers()
    sent = 0
    while sent < HUGE:
        handler.wfile.write(CHUNK)
        sent += len(CHUNK)
    handler.close_connection = True


@pytest.mark.parametrize("announced", [False, True], ids=["streamed", "content-length"])
def test_a_60_mb_response_is_read_only_up_to_the_cap(tmp_path: Path, announced: bool) -> None:
    with hostile(huge) as server:
        url = server.url + ("/length" if announced else "")
        profile = write_profile(tmp_path, url)
        run = check(
            "--profile", str(profile), "--report-dir", str(tmp_path / "r"), "--suite", "auth",
            "--max-response-bytes", "1048576", "--max-examples", "1", "--quiet",
        )  # fmt: skip
    assert run.returncode == 1, run.stderr.decode()[-2000:]
    assert b"Traceback" not in run.stderr
    assert b"MemoryError" not in run.stdout + run.stderr
    errors = [r for r in results(tmp_path / "r") if r["status"] == "error"]
    assert errors
    assert all("larger than" in str(r["message"]) and "1048576" in str(r["message"]) for r in errors)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert peak_mb < 1024, f"a child used {peak_mb:.0f} MB"  # 60 MB read in full many times would show


# ---------------------------------------------------------------- a target that echoes secrets


def echo(handler: Handler, body: bytes) -> None:
    authorization = handler.headers.get("authorization", "")
    if handler.path.startswith(TOKEN_PATH):
        good_token(handler)
        return
    token = authorization.removeprefix("Bearer ")
    sent = body.decode("utf-8", "replace")
    document = {
        "code": f"\x1b[2J\x1b[31mecho\n{authorization}",  # terminal escapes and a newline, too
        "message": f"you sent token={token}; secret={SECRET}!",
        "nested": {"deeper": [{"again": {"authorization": authorization, "list": [token, SECRET, sent]}}]},
        "access_token": token,
        "client_secret": SECRET,
        token: SECRET,
    }
    status = 400 if handler.command != "GET" else 200
    handler.reply(
        status,
        json.dumps(document).encode(),
        Location=f"/next?token={token}&secret={SECRET}",
        X_Echo=authorization,
        Retry_After="0",
        Set_Cookie=f"session={token}",
    )


def every_byte_written(folder: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file())


def test_secrets_echoed_by_a_target_appear_in_no_file_and_no_output(tmp_path: Path) -> None:
    with hostile(echo) as server:
        profile = write_profile(tmp_path / "p", server.url, identities=("first_party", "third_party_authorized"))
        run = check(
            "--profile", str(profile), "--report-dir", str(tmp_path / "r"), "--max-examples", "2",
            "--write-baseline", str(tmp_path / "r" / "baseline.json"),
        )  # fmt: skip
    assert run.returncode == 1, run.stderr.decode()[-2000:]
    assert b"Traceback" not in run.stderr
    written = every_byte_written(tmp_path / "r")
    assert json.loads((tmp_path / "r" / "cassette.json").read_text())["interactions"]
    assert b"[redacted]" in written
    assert b"\x1b" not in run.stdout + run.stderr  # a target's text cannot drive the terminal
    for secret in (TOKEN, SECRET):
        for form in (secret, json.dumps(secret)[1:-1]):
            assert form.encode() not in written
            assert form.encode() not in run.stdout + run.stderr


# ---------------------------------------------------------------- token endpoints that fail


def slow_token(handler: Handler) -> None:
    handler.server.release.wait(3)
    good_token(handler)


TOKEN_FAILURES: dict[str, Callable[[Handler], None]] = {
    "garbage": lambda h: h.reply(200, b"\x00\xff garbage \xfe", "application/octet-stream"),
    "500": lambda h: h.reply(500, b'{"error":"server_error","error_description":"' + SECRET.encode() + b'"}'),
    "html": lambda h: h.reply(200, b"<html><body>Sign in " + SECRET.encode() + b"</body></html>", "text/html"),
    "no-access-token": lambda h: h.reply(200, b'{"token_type":"Bearer","expires_in":3600}'),
    "not-a-token": lambda h: h.reply(200, b'{"access_token":{"nested":"x"},"expires_in":3600}'),
    "expires-at-once": lambda h: h.reply(200, json.dumps({"access_token": TOKEN, "expires_in": 0}).encode()),
    "slow": slow_token,
}


@pytest.mark.parametrize("failure", TOKEN_FAILURES)
def test_a_failing_token_endpoint_is_asked_a_bounded_number_of_times(tmp_path: Path, failure: str) -> None:
    def behave(handler: Handler, body: bytes) -> None:
        if handler.path.startswith(TOKEN_PATH):
            TOKEN_FAILURES[failure](handler)
        else:
            handler.reply(404, b'{"code":"not_found","message":"no"}')

    identities = ("first_party", "third_party_authorized")
    with hostile(behave) as server:
        profile = write_profile(tmp_path / "p", server.url, identities=identities)
        run = check(
            "--profile", str(profile), "--report-dir", str(tmp_path / "r"), "--max-examples", "1",
            "--request-timeout", "1", "--quiet",
        )  # fmt: skip
        asked = server.token_requests
    assert run.returncode == 1, run.stderr.decode()[-2000:]
    assert b"Traceback" not in run.stderr
    bound = 10 if failure == "expires-at-once" else MAX_TOKEN_FAILURES  # MAX_TOKEN_REQUESTS for tokens that expire
    assert 1 <= asked <= bound * len(identities)
    found = verdict(tmp_path / "r")
    assert found["token_requests"] == asked
    messages = [str(r["message"]) for r in results(tmp_path / "r") if r["status"] == "error"]
    assert messages
    assert all("token" in m for m in messages)
    written = every_byte_written(tmp_path / "r")
    assert SECRET.encode() not in written
    assert SECRET.encode() not in run.stdout + run.stderr


def large(handler: Handler, body: bytes) -> None:
    if handler.path.startswith(TOKEN_PATH):
        good_token(handler)
    else:
        handler.reply(200, json.dumps({"filler": "y" * (MAX_RECORDED_BODY * 2)}).encode())


def test_large_answers_under_the_cap_are_cut_in_the_cassette(tmp_path: Path) -> None:
    with hostile(large) as server:
        profile = write_profile(tmp_path, server.url)
        run = check(
            "--profile", str(profile), "--report-dir", str(tmp_path / "r"), "--suite", "auth",
            "--max-examples", "1", "--quiet",
        )  # fmt: skip
    assert run.returncode == 1, run.stderr.decode()[-2000:]
    interactions = json.loads((tmp_path / "r" / "cassette.json").read_text())["interactions"]
    assert interactions
    bodies = [i["response"]["body"] for i in interactions]
    assert all(len(b) < MAX_RECORDED_BODY + 100 and b.endswith("characters in all]") for b in bodies)


def deep(handler: Handler, body: bytes) -> None:
    if handler.path.startswith(TOKEN_PATH):
        good_token(handler)
    else:
        handler.reply(400, b"[" * 200_000 + b"]" * 200_000)


def test_an_answer_nested_too_deeply_is_judged_not_crashed_on(tmp_path: Path) -> None:
    with hostile(deep) as server:
        profile = write_profile(tmp_path, server.url)
        run = check(
            "--profile", str(profile), "--report-dir", str(tmp_path / "r"), "--suite", "auth", "--suite", "rules",
            "--max-examples", "1", "--quiet",
        )  # fmt: skip
    assert run.returncode == 1, run.stderr.decode()[-2000:]
    assert b"Traceback" not in run.stderr
    assert not [r for r in results(tmp_path / "r") if "RecursionError" in str(r["message"])]
    assert verdict(tmp_path / "r")["failures"]
