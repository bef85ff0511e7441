"""``u4b-vouchers init-profile FILE``: a commented sandbox profile with every key of the format,
which ``check`` refuses, naming the key, until its placeholders are filled in."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from u4b_vouchers.cli import main as cli_main
from u4b_vouchers.cli.init_profile import sandbox_scopes
from u4b_vouchers.client import SANDBOX_URL, TOKEN_URL
from u4b_vouchers.profile import (
    FIXTURES,
    IDENTITIES,
    IDENTITY_KINDS,
    LIMITS,
    PLACEHOLDER,
    SANDBOX_LIMITS,
    SECRET_FIELDS,
    TOP_KEYS,
    ProfileError,
    load_profile,
    profile_template,
    template_variables,
)
from u4b_vouchers.spec import Spec


def init_profile(file: Path, *options: str) -> int:
    return cli_main.main(["init-profile", str(file), *options])


def filled(text: str) -> str:
    """``text`` with every placeholder replaced and every commented-out key of the format put in
    (what a user does with the template)."""
    count = iter(range(1, 1000))
    text = re.sub(r"^# (\w+) = ", r"\1 = ", text, flags=re.MULTILINE)  # uncomment the keys
    return re.sub(re.escape(f'"{PLACEHOLDER}"'), lambda _: f'"00000000-0000-4000-8000-{next(count):012d}"', text)


def environment() -> dict[str, str]:
    return {variable: f"value-of-{variable.lower()}" for variable in template_variables()}


def test_init_profile_writes_the_template_and_says_what_to_set(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "conf" / "sandbox.toml"
    assert init_profile(file) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"wrote {file}: ")
    assert out[1:-1] == [f"export {variable}=..." for variable in template_variables()]
    assert "export U4B_FIRST_PARTY_CLIENT_ID=..." in out
    assert out[-1] == f"then: u4b-vouchers check --profile {file}"
    text = file.read_text(encoding="utf-8")
    assert f'base_url = "{SANDBOX_URL}"' in text  # from the description's servers
    assert f'token_url = "{TOKEN_URL}"' in text  # and its securitySchemes
    for variable in template_variables():
        assert f'_env = "{variable}"' in text


def test_an_existing_file_is_kept_without_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "sandbox.toml"
    file.write_text("# mine\n")
    assert init_profile(file) == 2
    captured = capsys.readouterr()
    assert captured.err == f"u4b-vouchers: error: {file}: exists; give --force to overwrite it\n"
    assert captured.out == ""
    assert file.read_text() == "# mine\n"
    assert init_profile(file, "--force") == 0
    assert f'organization_id = "{PLACEHOLDER}"' in file.read_text()


def test_a_folder_is_not_a_profile_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert init_profile(tmp_path, "--force") == 2
    assert capsys.readouterr().err == f"u4b-vouchers: error: {tmp_path}: is a folder; give the profile's file name\n"


def test_the_filled_template_loads_with_every_identity_fixture_and_limit(tmp_path: Path) -> None:
    file = tmp_path / "sandbox.toml"
    assert init_profile(file) == 0
    file.write_text(filled(file.read_text()))
    profile = load_profile(file, environ=environment())
    assert (profile.base_url, profile.token_url) == (SANDBOX_URL, TOKEN_URL)
    assert profile.emulator is False
    assert profile.foreign_organization_id
    assert set(profile.identities) == set(IDENTITIES)
    for name in IDENTITIES:
        identity = profile.identity(name)
        assert identity is not None, profile.unavailable(name)
        assert identity.grant == IDENTITY_KINDS[name].grant
    first = profile.identities["first_party"]
    assert (first.client_id, first.client_secret) == (
        "value-of-u4b_first_party_client_id",
        "value-of-u4b_first_party_client_secret",
    )
    assert set(profile.fixtures) == set(FIXTURES)
    for key, (value, _) in SANDBOX_LIMITS.items():
        assert getattr(profile, key) == value


def test_without_the_variables_each_identity_names_the_one_to_set(tmp_path: Path) -> None:
    file = tmp_path / "sandbox.toml"
    file.write_text(filled(profile_template(SANDBOX_URL, TOKEN_URL, {})))
    profile = load_profile(file, environ={})
    assert "U4B_DELEGATED_ACCESS_TOKEN" in profile.unavailable("delegated")
    assert "U4B_THIRD_PARTY_AUTHORIZED_CLIENT_ID" in profile.unavailable("third_party_authorized")


def test_the_template_names_every_key_the_loader_knows() -> None:
    text = profile_template(SANDBOX_URL, TOKEN_URL, {"first_party": "a-scope"})
    identity_keys = ("grant", "scope", *SECRET_FIELDS, *(f"{key}_env" for key in SECRET_FIELDS))
    for key in (*TOP_KEYS, *identity_keys, *FIXTURES, *LIMITS):
        if key in ("identities", "fixtures", "limits"):
            assert re.search(rf"^\[{key}[.\]]", text, re.MULTILINE), key
        else:
            assert re.search(rf"(?<![\w.]){key} = ", text), f"the template does not name {key}"
    assert set(SANDBOX_LIMITS) == set(LIMITS)
    for key, (value, _) in SANDBOX_LIMITS.items():
        assert LIMITS[key].check(value, "template") == value  # within the loader's range


def test_the_scopes_are_the_description_s(spec: Spec) -> None:
    scopes = sandbox_scopes(spec)
    schemes = spec.data["components"]["securitySchemes"]
    declared = {scope for scheme in schemes.values() for flow in scheme["flows"].values() for scope in flow["scopes"]}
    assert scopes["first_party"] == "organizations.voucher_programs"
    assert scopes["third_party_authorized"] == scopes["third_party_unauthorized"]
    assert "no_voucher_scope" not in scopes  # it asks for none of them
    assert set(scopes.values()) <= declared


def test_check_refuses_the_unfilled_template_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "sandbox.toml"
    assert init_profile(file) == 0
    capsys.readouterr()
    assert cli_main.main(["check", "--profile", str(file)]) == 2
    err = capsys.readouterr().err
    assert err == f'u4b-vouchers: error: {file}: organization_id is still "{PLACEHOLDER}": fill it in\n'


@pytest.mark.parametrize(
    ("line", "named"),
    [
        ("foreign_organization_id", "foreign_organization_id"),
        ("program_canceled", "fixtures.program_canceled"),
    ],
)
def test_an_uncommented_placeholder_is_refused_too(tmp_path: Path, line: str, named: str) -> None:
    text = profile_template(SANDBOX_URL, TOKEN_URL, {}).replace(
        f'organization_id = "{PLACEHOLDER}"', 'organization_id = "o"', 1
    )
    file = tmp_path / "sandbox.toml"
    file.write_text(text.replace(f"# {line} = ", f"{line} = "))
    with pytest.raises(ProfileError) as refused:
        load_profile(file, environ={})
    assert str(refused.value) == f'{file}: {named} is still "{PLACEHOLDER}": fill it in or delete the line'
