"""Target profiles: TOML in, identities resolved from the environment, one-line errors."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from u4b_vouchers.profile import ProfileError, dump_profile, load_profile, parse_profile

BASE = {
    "base_url": "https://sandbox-api.uber.com/",
    "token_url": "https://auth.uber.com/oauth/v2/token",
    "organization_id": "org",
}


def test_secrets_come_from_the_environment() -> None:
    data = {
        **BASE,
        "identities": {
            "first_party": {
                "grant": "client_credentials",
                "client_id_env": "ID",
                "client_secret_env": "SECRET",
                "scope": "organizations.voucher_programs",
            }
        },
    }
    profile = parse_profile(data, environ={"ID": "abc", "SECRET": "s3cret"})
    identity = profile.identity("first_party")
    assert identity is not None
    assert (identity.client_id, identity.client_secret) == (
        "abc",
        "s3cret",
    )
    assert profile.base_url == "https://sandbox-api.uber.com"


def test_an_identity_whose_variables_are_unset_is_not_available() -> None:
    data = {
        **BASE,
        "identities": {"delegated": {"grant": "authorization_code", "access_token_env": "U4B_DELEGATED"}},
    }
    profile = parse_profile(data, environ={})
    assert profile.identity("delegated") is None
    assert profile.identities["delegated"].missing == ("U4B_DELEGATED",)
    assert profile.identity("first_party") is None
    assert profile.fixture("program_canceled") is None


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"base_url": None}, "missing base_url"),
        ({"base_url": "ftp://x"}, "must start with http"),
        ({"identities": {"robot": {"grant": "client_credentials"}}}, "unknown identities robot"),
        ({"identities": {"first_party": {"grant": "password"}}}, "grant must be one of"),
        (
            {"identities": {"first_party": {"grant": "client_credentials", "client_sercet": "x"}}},
            "unknown key(s) client_sercet",
        ),
        ({"fixtures": {"program_lost": "x"}}, "unknown fixture kind(s) program_lost"),
        ({"limits": {"request_budget": 0}}, "limits.request_budget must be an integer from 1 to"),
    ],
)
def test_errors_name_the_problem(change: dict[str, object], words: str) -> None:
    data = {**BASE, **change}
    data = {k: v for k, v in data.items() if v is not None}
    with pytest.raises(ProfileError) as caught:
        parse_profile(data, source="p.toml")
    assert words in str(caught.value)
    assert "\n" not in str(caught.value)


def test_files(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="no such profile"):
        load_profile(tmp_path / "absent.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("base_url = \n")
    with pytest.raises(ProfileError, match="invalid TOML"):
        load_profile(bad)


def test_dump_round_trips() -> None:
    data = {
        **BASE,
        "name": 'quote " and \\ backslash',
        "emulator": True,
        "identities": {"first_party": {"grant": "client_credentials", "client_id": "a", "client_secret": "b"}},
        "fixtures": {"template_active_name": "Voucher Template"},
        "limits": {"request_budget": 10, "requests_per_second": 2.5},
    }
    profile = parse_profile(data)
    text = dump_profile(profile)
    assert tomllib.loads(text) == {**data, "base_url": BASE["base_url"].rstrip("/")}
    assert parse_profile(tomllib.loads(text)) == profile
    assert profile.requests_per_second == 2.5
    assert profile.request_budget == 10
