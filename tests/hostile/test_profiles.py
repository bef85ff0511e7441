"""Bad profiles: every key with a wrong type, non-finite and out-of-range limits, a boolean for a
number, wrong table shapes, unknown keys, a huge file, bytes that are not UTF-8, invalid TOML and
special files. Each is one line ``u4b-vouchers: error: ...`` naming the file, and exit 2, before
any request. An identity whose secret variable is unset makes its checks "not covered", naming it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile.test_check_targets import SECRET_ENV, hostile, write_profile
from u4b_vouchers.cli.main import main
from u4b_vouchers.profile import LIMITS, MAX_PROFILE_BYTES, TOP_KEYS

HEAD = {
    "base_url": '"http://127.0.0.1:9"',
    "token_url": '"http://127.0.0.1:9/oauth/v2/token"',
    "organization_id": '"org"',
}
IDENTITY = '[identities.first_party]\ngrant = "client_credentials"\nclient_id = "id"\nclient_secret = "secret"\n'


def text(top: dict[str, str | None] | None = None, tail: str = "") -> str:
    """A profile: the head with ``top`` changed (None removes a key), then ``tail``."""
    values = {**HEAD, **(top or {})}
    return "".join(f"{k} = {v}\n" for k, v in values.items() if v is not None) + tail


WRONG_TYPES = {"an integer": "5", "a boolean": "true", "an array": '["x"]', "a table": "{ a = 1 }", "a float": "1.5"}
STRING_KEYS = ("name", "base_url", "token_url", "organization_id", "foreign_organization_id", "control_token_env")
LIMIT_VALUES = {
    "a string": '"5"',
    "a boolean": "true",
    "an array": "[5]",
    "a table": "{ n = 5 }",
    "nan": "nan",
    "inf": "inf",
    "-inf": "-inf",
    "negative": "-1",
    "tiny": "1e-300",
    "huge": "1e300",
    "too large an integer": "9223372036854775807",
}

CASES: dict[str, tuple[str, str]] = {}
for key in STRING_KEYS:
    for kind, value in WRONG_TYPES.items():
        CASES[f"{key} as {kind}"] = (text({key: value}), key)
    CASES[f"{key} empty"] = (text({key: '""'}), key)
    CASES[f"{key} with a newline"] = (text({key: '"a\\nb"'}), key)
for kind, value in {**WRONG_TYPES, "a string": '"no"', "an integer 0": "0"}.items():
    if kind != "a boolean":
        CASES[f"emulator as {kind}"] = (text({"emulator": value}), "emulator")
for key in LIMITS:
    for kind, value in LIMIT_VALUES.items():
        if kind == "a float" and not LIMITS[key].integer:
            continue
        CASES[f"limits.{key} {kind}"] = (text(tail=f"[limits]\n{key} = {value}\n"), f"limits.{key}")
    if LIMITS[key].integer:
        CASES[f"limits.{key} a float"] = (text(tail=f"[limits]\n{key} = 2.5\n"), f"limits.{key}")
for table in ("identities", "fixtures", "limits"):
    for kind, value in {"an integer": "5", "a string": '"x"', "an array": "[1, 2]"}.items():
        CASES[f"{table} as {kind}"] = (text({table: value}), table)
CASES["an identity as a string"] = (text({"identities": '{ first_party = "x" }'}), "identities.first_party")
CASES["an identity as an array"] = (text({"identities": "{ first_party = [1] }"}), "identities.first_party")
for key, value in {
    "grant": "5",
    "scope": "[1]",
    "client_id": "true",
    "client_secret": "{ a = 1 }",
    "client_secret_env": "5",
    "access_token_env": '""',
}.items():
    grant = "" if key == "grant" else 'grant = "client_credentials"\n'
    CASES[f"identity {key} wrong"] = (text(tail=f"[identities.first_party]\n{grant}{key} = {value}\n"), key)
CASES["a grant nobody knows"] = (text(tail='[identities.first_party]\ngrant = "password"\n'), "grant")
CASES["a fixture as an integer"] = (text(tail="[fixtures]\nprogram_canceled = 5\n"), "[fixtures]")
CASES["an unknown top-level key"] = (text({"requests_per_second": "5"}), "unknown key(s) requests_per_second")
CASES["an unknown limit"] = (text(tail="[limits]\nbudget = 5\n"), "unknown key(s) budget")
CASES["an unknown identity key"] = (text(tail=IDENTITY + 'secret = "x"\n'), "unknown key(s) secret")
CASES["an unknown identity"] = (text(tail='[identities.robot]\ngrant = "client_credentials"\n'), "robot")
CASES["an unknown fixture"] = (text(tail='[fixtures]\nprogram_lost = "x"\n'), "program_lost")
CASES["no base_url"] = (text({"base_url": None}), "missing base_url")
CASES["a token_url that is not http"] = (text({"token_url": '"file:///etc/passwd"'}), "token_url")
CASES["invalid TOML"] = ("base_url = [\n", "invalid TOML")
CASES["a duplicate key"] = (text() + 'base_url = "http://x"\n', "invalid TOML")
CASES["deep nesting"] = ("x = " + "[" * 5000 + "]" * 5000 + "\n", "")


def run_check(profile: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["check", "--profile", str(profile), "--quiet"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_line_error(code: int, out: str, err: str, *words: str) -> None:
    assert code == 2, err
    assert out == ""
    assert err.startswith("u4b-vouchers: error: ")
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
    for word in words:
        assert word in err


@pytest.mark.parametrize("case", CASES)
def test_a_bad_profile_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str) -> None:
    content, words = CASES[case]
    profile = tmp_path / "bad.toml"
    profile.write_text(content)
    one_line_error(*run_check(profile, capsys), str(profile), words)


def test_every_top_level_key_and_limit_has_a_case() -> None:
    named = " ".join(CASES)
    assert all(key in named for key in TOP_KEYS)
    assert all(f"limits.{key}" in named for key in LIMITS)


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("huge", text() + "#" * (MAX_PROFILE_BYTES + 1) + "\n", f"larger than {MAX_PROFILE_BYTES} bytes"),
        ("latin-1", text({"name": '"caf\xe9"'}).encode("latin-1"), "not UTF-8"),
        ("bom-utf16", text().encode("utf-16"), "not UTF-8"),
        ("nul", b'base_url = "http://x\x00"\n', "invalid TOML"),
    ],
)
def test_bad_files(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: object, words: str) -> None:
    profile = tmp_path / f"{name}.toml"
    if isinstance(content, bytes):
        profile.write_bytes(content)
    else:
        profile.write_text(str(content))
    one_line_error(*run_check(profile, capsys), words)


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/stdin", "folder"])
def test_special_files_are_not_read(tmp_path: Path, capsys: pytest.CaptureFixture[str], special: str) -> None:
    path = tmp_path if special == "folder" else Path(special)
    if not path.exists():
        pytest.skip(f"{special} does not exist here")
    one_line_error(*run_check(path, capsys), "not a regular file")


def test_the_command_itself_gives_one_line_and_exit_2(tmp_path: Path) -> None:
    """The same through the installed command, in a process of its own (no traceback escapes)."""
    profile = tmp_path / "bad.toml"
    profile.write_text(text(tail="limits = 5\n"))
    run = subprocess.run(
        [sys.executable, "-m", "u4b_vouchers.cli.main", "check", "--profile", str(profile)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    one_line_error(run.returncode, run.stdout, run.stderr, "[limits] must be a table")


def test_an_unset_secret_makes_its_checks_not_covered_naming_the_variable(tmp_path: Path) -> None:
    def nothing(handler: object, body: bytes) -> None:
        handler.reply(404, b'{"code":"not_found","message":"no"}')  # type: ignore[attr-defined]

    with hostile(nothing) as server:
        profile = write_profile(tmp_path / "p", server.url)
        env = {k: v for k, v in os.environ.items() if k != SECRET_ENV}
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "u4b_vouchers.cli.main",
                "check",
                "--profile",
                str(profile),
                "--report-dir",
                str(tmp_path / "r"),
                "--quiet",
                "--suite",
                "auth",
                "--suite",
                "rules",
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
            env=env,
        )
        assert server.token_requests == 0
    assert "Traceback" not in run.stderr
    results = json.loads((tmp_path / "r" / "verdict.json").read_text())["results"]
    assert not [r for r in results if r["status"] == "error"], run.stdout
    needing = [r for r in results if SECRET_ENV in r["message"]]
    assert needing
    assert all(r["status"] == "not-covered" and "not set" in r["message"] for r in needing)
