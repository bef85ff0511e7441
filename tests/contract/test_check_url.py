"""``u4b-vouchers check --url``: any target without a profile file, against a served emulator.

The profile is built in memory from the options (``profile_from_options``), so it must be the one
a file with those values gives; the token comes from the served emulator's token endpoint as a
user would get it (an HTTP POST), or check gets its own from a client id and secret in the
environment. What the options leave out is "not covered", with the reason; secrets never reach
the reports; a fault flag is found through this path too.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.contract.serving import serving
from tests.contract.test_check_command import check, flat
from tests.hostile.test_check_targets import SECRET, TOKEN, echo, every_byte_written, hostile
from u4b_vouchers.cli.check import _url_profile
from u4b_vouchers.cli.main import build_parser
from u4b_vouchers.client import SANDBOX_URL, TOKEN_URL
from u4b_vouchers.emulator import FAULT_FLAGS
from u4b_vouchers.profile import (
    OPTION_FIXTURE_KINDS,
    SANDBOX_LIMITS,
    Profile,
    ProfileError,
    load_profile,
    profile_from_options,
)
from u4b_vouchers.spec import load_spec

#: The suites of the quicker runs (schemathesis alone takes half of a whole run).
QUICK = ("--suite", "auth", "--suite", "rules", "--suite", "errors")
#: A --url nothing listens at, and the one fixture every --url run needs.
NOWHERE = ["--url", "http://127.0.0.1:9"]
ORG = ["--fixture", "organization_id=o"]
#: The fixtures every operation of the auth matrix needs (Create needs the active template's).
AUTH_FIXTURES = (
    "organization_id",
    "program_started_multi_code",
    "program_not_started_multi_code",
    *(kind for kind in OPTION_FIXTURE_KINDS if kind.startswith("template_active")),
)


def token_of(profile: Profile) -> str:
    """A first-party token from the served emulator's token endpoint, as a user gets one."""
    identity = profile.identities["first_party"]
    response = httpx.post(
        profile.token_url,
        data={
            "grant_type": "client_credentials",
            "client_id": identity.client_id or "",
            "client_secret": identity.client_secret or "",
        },
    )
    response.raise_for_status()
    token = response.json()["access_token"]
    assert isinstance(token, str)
    return token


def fixtures(profile: Profile, *kinds: str) -> list[str]:
    """``--fixture KIND=ID`` options for ``kinds`` (every kind the served profile names when none)."""
    ids = {"organization_id": profile.organization_id, **profile.fixtures}
    if profile.foreign_organization_id:
        ids["foreign_organization_id"] = profile.foreign_organization_id
    return [option for kind in kinds or tuple(ids) for option in ("--fixture", f"{kind}={ids[kind]}")]


def no_credentials_env(**extra: str) -> dict[str, str]:
    """This process's environment without the ``--url`` credentials, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k not in ("U4B_TOKEN", "U4B_CLIENT_ID", "U4B_CLIENT_SECRET")}
    return {**env, **extra}


def verdict_of(report_dir: Path) -> dict[str, dict[str, str]]:
    """Each check's status and message, by check name."""
    verdict = json.loads((report_dir / "verdict.json").read_text())
    return {r["check"]: {"status": r["status"], "message": r["message"]} for r in verdict["results"]}


def reports_text(report_dir: Path) -> str:
    return "".join(file.read_text(encoding="utf-8") for file in sorted(report_dir.iterdir()))


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Profile]:
    with serving(tmp_path_factory.mktemp("served")) as profile:
        yield profile


# ------------------------------------------------------------------ the profile in memory


def test_the_options_give_the_profile_a_file_with_those_values_gives(tmp_path: Path) -> None:
    file = tmp_path / "profile.toml"
    file.write_text(
        'name = "--url target"\n'
        'base_url = "http://127.0.0.1:8000"\n'
        'token_url = "http://127.0.0.1:8000/oauth/v2/token"\n'
        'organization_id = "org-1"\n'
        'foreign_organization_id = "org-2"\n'
        "emulator = false\n"
        "[identities.first_party]\n"
        'grant = "client_credentials"\n'
        'client_id = "id-1"\n'
        'client_secret = "secret-1"\n'
        'scope = "organizations.voucher_programs"\n'
        "[fixtures]\n"
        'program_started_multi_code = "p-1"\n',
        encoding="utf-8",
    )
    built = profile_from_options(
        "http://127.0.0.1:8000/",
        token_url="http://127.0.0.1:8000/oauth/v2/token",
        fixtures={"organization_id": "org-1", "foreign_organization_id": "org-2", "program_started_multi_code": "p-1"},
        client_id="id-1",
        client_secret="secret-1",
        scope="organizations.voucher_programs",
    )
    assert built == load_profile(file, environ={})
    static = profile_from_options(
        "http://x", token_url="http://x/t", fixtures={"organization_id": "o"}, access_token="t"
    )
    assert static.identities["first_party"].access_token == "t"
    assert static.identity("delegated") is None
    assert static.fixtures == {}
    assert not static.emulator


def url_profile(*words: str) -> Profile:
    """The profile ``check`` builds for ``words`` (its real parser, no run)."""
    args = build_parser(("check",)).parse_args(["check", *words])
    return _url_profile(args, load_spec())


def test_the_sandbox_gets_the_limits_init_profile_writes_for_it_and_any_other_url_none() -> None:
    sandbox = url_profile("--url", SANDBOX_URL, "--token", "t", "--fixture", "organization_id=o")
    assert sandbox.request_budget == SANDBOX_LIMITS["request_budget"][0]
    assert sandbox.requests_per_second == SANDBOX_LIMITS["requests_per_second"][0]
    assert sandbox.token_url == TOKEN_URL
    other = url_profile("--url", "http://127.0.0.1:8000", "--client-id", "i", "--client-secret", "s", *ORG)
    assert other.request_budget is None
    assert other.requests_per_second is None
    assert other.token_url == "http://127.0.0.1:8000" + urlsplit(TOKEN_URL).path
    assert other.identities["first_party"].scope  # the scope the description gives first_party


@pytest.mark.parametrize(
    ("options", "says"),
    [
        ({"fixtures": {}}, "needs --fixture organization_id=ID"),
        ({"fixtures": {"organization_id": "o", "program": "p"}}, "unknown --fixture kind(s) program (known: "),
        ({"fixtures": {"organization_id": "o"}, "access_token": "t", "client_secret": "s"}, "not both"),
        ({"fixtures": {"organization_id": "o"}, "client_id": "i"}, "go together"),
        ({"fixtures": {"organization_id": "o", "program_canceled": ""}}, "non-empty"),
    ],
)
def test_the_builder_refuses_what_a_profile_would_not_be(options: dict[str, Any], says: str) -> None:
    with pytest.raises(ProfileError) as raised:
        profile_from_options("http://x", token_url="http://x/t", **options)
    assert says in str(raised.value)
    assert "\n" not in str(raised.value)


# ------------------------------------------------------------------ against a served emulator


def test_a_static_token_and_every_fixture_make_a_conformant_run_with_the_rest_not_covered(
    served: Profile, tmp_path: Path
) -> None:
    token = token_of(served)
    reports = tmp_path / "reports"
    result = check(
        "--url", served.base_url, f"--token={token}", *fixtures(served), "--report-dir", str(reports),
        env=no_credentials_env(),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "--url target (" in result.stdout
    assert ": conformant:" in flat(result.stdout)
    verdict = json.loads((reports / "verdict.json").read_text())
    assert verdict["conformant"] is True
    assert verdict["token_requests"] == 0  # the token is used as given
    assert verdict["checks"]["failed"] == verdict["checks"]["error"] == 0
    checks = verdict_of(reports)
    assert checks["auth/matrix-first-party"]["status"] == "passed"
    assert checks["schemathesis/all-phases"]["status"] == "passed"
    # what the options cannot give: the other identities, and the control plane
    assert checks["auth/matrix-delegated"] == {
        "status": "not-covered",
        "message": "the profile has no delegated identity",
    }
    assert checks["errors/server-errors"]["status"] == "not-covered"
    assert "control plane" in checks["errors/server-errors"]["message"]
    assert token not in reports_text(reports)
    assert token not in result.stdout + result.stderr


def test_a_client_id_and_secret_from_the_environment_get_a_token_of_their_own(served: Profile, tmp_path: Path) -> None:
    identity = served.identities["first_party"]
    reports = tmp_path / "reports"
    env = no_credentials_env(U4B_CLIENT_ID=identity.client_id or "", U4B_CLIENT_SECRET=identity.client_secret or "")
    result = check(
        "--url", served.base_url, *fixtures(served, "organization_id", "program_started_multi_code"),
        *QUICK, "--report-dir", str(reports), env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    verdict = json.loads((reports / "verdict.json").read_text())
    assert verdict["token_requests"] == 1
    checks = verdict_of(reports)
    assert checks["auth/matrix-first-party"]["status"] == "not-covered"  # it updates a program not given
    assert checks["auth/matrix-first-party"]["message"].startswith("the profile names no ")
    assert checks["auth/token-required"]["status"] == "not-covered"
    assert checks["errors/error-bodies"]["status"] == "passed"
    assert "--fixture KIND=ID" in flat(result.stdout)
    assert identity.client_secret is not None
    assert identity.client_secret not in reports_text(reports)


def test_each_fixture_given_covers_more(served: Profile, tmp_path: Path) -> None:
    token = token_of(served)
    few = check(
        "--url", served.base_url, f"--token={token}", *fixtures(served, "organization_id"), *QUICK,
        "--report-dir", str(tmp_path / "few"), env=no_credentials_env(),
    )  # fmt: skip
    more = check(
        "--url", served.base_url, f"--token={token}", *QUICK, "--report-dir", str(tmp_path / "more"),
        *fixtures(served, *AUTH_FIXTURES),
        env=no_credentials_env(),
    )  # fmt: skip
    assert few.returncode == more.returncode == 0, few.stdout[-2000:] + more.stdout[-2000:]
    before, after = verdict_of(tmp_path / "few"), verdict_of(tmp_path / "more")
    newly = sorted(c for c in after if before[c]["status"] == "not-covered" and after[c]["status"] == "passed")
    assert {"auth/matrix-first-party", "auth/token-required", "errors/error-bodies"} <= set(newly), newly
    assert before["auth/matrix-first-party"]["message"].startswith("the profile names no ")


def test_without_credentials_only_the_checks_that_need_no_token_run(served: Profile, tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    result = check(
        "--url", served.base_url, "--suite", "auth", "--report-dir", str(reports),
        *fixtures(served, *AUTH_FIXTURES),
        env=no_credentials_env(),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "no credentials" in flat(result.stderr)
    checks = verdict_of(reports)
    assert checks["auth/token-required"]["status"] == "passed"
    assert checks["auth/matrix-first-party"] == {
        "status": "not-covered",
        "message": "the profile has no first_party identity",
    }


def test_a_static_token_the_target_refuses_is_said_to_be_wrong_or_expired(served: Profile) -> None:
    result = check(
        "--url", served.base_url, "--token", "not-a-token-it-issued", "--suite", "auth",
        *fixtures(served, *AUTH_FIXTURES),
        env=no_credentials_env(),
    )  # fmt: skip
    assert result.returncode == 1
    assert "answered 401: the token is wrong or has expired" in flat(result.stdout)
    assert "not-a-token-it-issued" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("args", "env", "says"),
    [
        ([*NOWHERE, "--profile", "p.toml"], {}, "give --url or --profile, not both"),
        (["--token", "t"], {}, "--token: only with --url"),
        (ORG, {}, "--fixture: only with --url"),
        ([*NOWHERE, "--token", "t", "--client-secret", "s"], {}, "not both"),
        ([*NOWHERE, "--fixture", "organization_id"], {}, "expected KIND=ID"),
        ([*NOWHERE, "--fixture", "=o"], {}, "expected KIND=ID"),
        ([*NOWHERE, *ORG, "--fixture", "organization_id=p"], {}, "organization_id: given twice with different ids"),
        ([*NOWHERE, "--fixture", "programme=p", *ORG], {}, "unknown --fixture kind(s) programme"),
        (NOWHERE, {}, "needs --fixture organization_id=ID"),
        (["--url", "ftp://127.0.0.1", *ORG], {}, "must start with http:// or https://"),
        ([*NOWHERE, *ORG, "--client-id", "i"], {}, "needs --client-secret"),
        ([*NOWHERE, *ORG], {"U4B_CLIENT_SECRET": "s"}, "needs --client-id"),
        (
            [*NOWHERE, *ORG],
            {"U4B_TOKEN": "t", "U4B_CLIENT_SECRET": "s"},
            "both U4B_TOKEN and U4B_CLIENT_SECRET are set",
        ),
        ([*NOWHERE, *ORG, "--token", "t", "--token-url", "http://x"], {}, "--token-url goes with --client-id"),
        ([*NOWHERE, "--token", ""], {}, "--token is empty"),
        (["--url", "https://api.uber.com", *ORG], {}, "points at production"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str], env: dict[str, str], says: str) -> None:
    result = check(*args, env=no_credentials_env(**env))
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("u4b-vouchers: error: "), result.stderr
    assert says in lines[0]


def test_an_unknown_fixture_kind_lists_the_known_ones() -> None:
    result = check("--url", "http://127.0.0.1:9", "--fixture", "organization_id=o", "--fixture", "x=1")
    assert result.returncode == 2
    assert all(kind in result.stderr for kind in OPTION_FIXTURE_KINDS)


def test_the_help_names_the_environment_variables() -> None:
    result = check("--help")
    text = flat(result.stdout)
    for variable in ("U4B_TOKEN", "U4B_CLIENT_ID", "U4B_CLIENT_SECRET"):
        assert variable in text
    assert "keeps them out of process lists" in text


@pytest.mark.parametrize("credentials", ["token", "client"])
def test_secrets_a_target_echoes_appear_in_no_report_and_no_output(credentials: str, tmp_path: Path) -> None:
    """A target that echoes what it is sent (the token in every body and header) against a
    static --token from the command line, or a client secret from the environment."""
    if credentials == "token":  # the target echoes the token it is sent
        env, token, secrets = no_credentials_env(), [f"--token={TOKEN}"], (TOKEN,)
    else:  # and the token its token endpoint gives, and the secret (which it knows)
        env, token, secrets = (
            no_credentials_env(U4B_CLIENT_ID="client-1", U4B_CLIENT_SECRET=SECRET),
            [],
            (TOKEN, SECRET),
        )
    with hostile(echo) as server:
        result = check(
            "--url", server.url, *token, "--fixture", "organization_id=o", "--fixture", "program_started_multi_code=p",
            "--max-examples", "2", "--report-dir", str(tmp_path / "r"), env=env,
        )  # fmt: skip
    assert result.returncode == 1, result.stderr[-2000:]
    written = every_byte_written(tmp_path / "r")
    assert b"[redacted]" in written
    for secret in secrets:
        assert secret.encode() not in written
        assert secret not in result.stdout + result.stderr


# ------------------------------------------------------------------ a drifting target

#: Fault flags whose drift the suites see without the control plane, in the checks QUICK runs.
FLAGS = ("accept-percentage-out-of-range", "accept-create-without-contact")


@pytest.mark.parametrize("name", FLAGS)
def test_a_fault_flag_is_found_through_url_and_nothing_else_fails(name: str, tmp_path: Path) -> None:
    flag = FAULT_FLAGS[name]
    with serving(tmp_path / "served", ["--fault-flag", name]) as drifting:
        reports = tmp_path / "reports"
        result = check(
            "--url", drifting.base_url, f"--token={token_of(drifting)}", *fixtures(drifting), *QUICK,
            "--report-dir", str(reports), env=no_credentials_env(),
        )  # fmt: skip
    assert result.returncode == 1, result.stdout[-3000:]
    verdict = json.loads((reports / "verdict.json").read_text())
    found = {(f["rule"], f["severity"]) for f in verdict["findings"]}
    assert (flag.expected, flag.severity) in found  # recall
    assert {rule for rule, _ in found} == {flag.expected}, found  # precision: no other rule is blamed
