"""scripts/generate-clients: every other-language client is generated and builds, and each
example (scripts/clients/*/usage.*) runs against a served emulator."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from benchmarks.serving import served

from tests.conftest import ROOT
from u4b_vouchers.profile import Profile

pytestmark = pytest.mark.node

#: The examples in the build folder of generate-clients, and how each runs.
EXAMPLES = {
    "openapi-typescript": ("typescript/dist/usage.js",),
    "typescript-fetch": ("typescript-fetch/dist/usage.js",),
    "python": ("python/usage.py",),
    "go": ("go/bin/usage",),
}


def need_go_unless_skipped(example: str = "go") -> None:
    """Skip a Go test when Go is not installed, unless in CI (``CI`` set), where that fails."""
    if example != "go" or shutil.which("go") is not None:
        return
    if os.environ.get("CI"):
        pytest.fail("go is not on PATH, and in CI the Go client may not be skipped: run ./scripts/install")
    pytest.skip("go is not on PATH (./scripts/install installs it where apt-get works)")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """One run of scripts/generate-clients for the module: its output folder and the run."""
    out = tmp_path_factory.mktemp("generated") / "clients"
    result = subprocess.run(
        [str(ROOT / "scripts" / "generate-clients"), str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return out, result


@pytest.fixture(scope="module")
def clients(generated: tuple[Path, subprocess.CompletedProcess[str]]) -> Path:
    out, result = generated
    assert result.returncode == 0, result.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Profile]:
    with served(tmp_path_factory.mktemp("served")) as profile:
        yield profile


def test_clients_in_other_languages_generate_and_build(
    generated: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    out, result = generated
    assert result.returncode == 0, result.stderr[-3000:]
    assert "generated and built in" in result.stderr  # "all clients but go" when Go is missing
    assert "python client: imported and checked" in result.stdout
    assert "examples: load without a target" in result.stderr
    types = (out / "typescript" / "vouchers.ts").read_text()
    # The adjustment keeps the contact rule as a type: object & (email | mobile).
    assert "} & ({\n            /** @description The guest's email address" in types or "} & ({" in types
    assert (out / "typescript-fetch" / "apis" / "GuestsApi.ts").is_file()
    assert (out / "python" / "u4b_vouchers_openapi_client" / "api" / "guests_api.py").is_file()
    for name, example in EXAMPLES.items():
        if name != "go":
            assert (out / example[0]).is_file(), example


def test_the_go_client_generates_and_builds(generated: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    need_go_unless_skipped()
    out, result = generated
    assert result.returncode == 0, result.stderr[-3000:]
    assert "go: skipped" not in result.stderr
    assert "all clients generated and built" in result.stderr
    assert "build in GOPATH mode" in result.stderr
    assert (out / "go" / "src" / "u4bvouchers" / "api_guests.go").is_file()
    assert not (out / "go" / "src" / "u4bvouchers" / "go.mod").exists()  # built without modules
    assert os.access(out / "go" / "bin" / "usage", os.X_OK)
    assert "go client: built and checked" in result.stdout


def run_example(clients: Path, example: str, environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run one example with only these U4B_* variables set."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("U4B_")} | environment
    program = clients / EXAMPLES[example][0]
    if program.suffix == ".py":  # beside the generated package, which it imports
        command = [sys.executable, str(program)]
    elif example == "go":  # a program of its own
        command = [str(program)]
    else:
        node = shutil.which("node")
        assert node is not None, "node is not on PATH"
        command = [node, str(program)]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False, env=env)


def first_party(profile: Profile, program: str) -> dict[str, str]:
    """The variables of the examples for the first-party identity and a fixture program."""
    identity = profile.identities["first_party"]
    assert identity.client_id is not None
    assert identity.client_secret is not None
    return {
        "U4B_BASE_URL": profile.base_url,
        "U4B_CLIENT_ID": identity.client_id,
        "U4B_CLIENT_SECRET": identity.client_secret,
        "U4B_ORGANIZATION_ID": profile.organization_id,
        "U4B_PROGRAM_ID": profile.fixtures[program],
    }


@pytest.mark.parametrize("example", list(EXAMPLES))
def test_each_example_calls_the_served_emulator(clients: Path, target: Profile, example: str) -> None:
    need_go_unless_skipped(example)
    result = run_example(clients, example, first_party(target, "program_started_multi_code"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"token: 200 from {target.token_url} (Bearer)" in result.stdout
    # The demo seed's live multi-code program: its first two guests, and a page after them.
    assert "guests: 200, 2 on the page: john.doe@example.com, jane.doe@example.com; next page: yes" in result.stdout
    assert "update: 204" in result.stdout
    assert "generate codes: 200" in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize("example", list(EXAMPLES))
def test_each_example_fails_on_an_unexpected_status(clients: Path, target: Profile, example: str) -> None:
    need_go_unless_skipped(example)
    # A single-code program: the guests and the update answer, generating codes is refused.
    result = run_example(clients, example, first_party(target, "program_started_single_code"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "update: 204" in result.stdout
    assert "example: error: generate codes: 400 (expected 200)" in result.stderr
    assert "GEN-MULTI-CODE-ONLY" in result.stderr


def test_the_go_example_pages_through_every_guest_and_changes_the_program(clients: Path, tmp_path: Path) -> None:
    need_go_unless_skipped()
    # An emulator of its own, with the control plane, which shows the program's stored state.
    with served(tmp_path / "served", control=True) as profile:
        program = profile.fixtures["program_started_multi_code"]
        state = f"{profile.base_url}/__emulator/programs/{program}"
        before = httpx.get(state).json()
        result = run_example(clients, "go", first_party(profile, "program_started_multi_code"))
        after = httpx.get(state).json()
    assert result.returncode == 0, result.stdout + result.stderr
    pages = re.findall(r"^guests: 200, (\d+) on the page: (.*); next page: (yes|no)$", result.stdout, re.MULTILINE)
    assert len(pages) > 1, result.stdout  # the example's page size is below the seed's guest count
    assert [more for _, _, more in pages] == ["yes"] * (len(pages) - 1) + ["no"]
    listed = [shown.split(", ") if shown else [] for _, shown, _ in pages]
    assert [int(count) for count, _, _ in pages] == [len(page) for page in listed]
    contacts = [contact for page in listed for contact in page]
    assert len(contacts) == len(set(contacts)) == before["guest_count"]
    assert f"guests: {before['guest_count']} in {len(pages)} pages" in result.stdout
    generated = re.search(r"^generate codes: 200 \((\d+) codes\)$", result.stdout, re.MULTILINE)
    assert generated is not None, result.stdout
    assert after["code_count"] == before["code_count"] + int(generated[1])
    assert before.get("trip_restriction_type") != "PICKUP_ONLY"
    assert after["trip_restriction_type"] == "PICKUP_ONLY"
    assert [location["address"] for location in after["pickup_locations"]] == ["1455 Market St"]


def _adjust_module() -> ModuleType:
    location = ROOT / "scripts" / "clients" / "adjust_for_openapi_typescript.py"
    spec = importlib.util.spec_from_file_location("adjust_for_openapi_typescript", location)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_adjustment_leaves_other_schemas_alone() -> None:
    adjust = _adjust_module().adjust
    untouched = {
        "type": "object",
        "properties": {"a": {"type": "string"}},
        "anyOf": [{"properties": {"a": {"minLength": 1}}}],
    }
    assert adjust(untouched) == untouched
    rule = {
        "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
        "anyOf": [{"required": ["a"]}, {"required": ["b"]}],
    }
    adjusted = adjust(rule)
    assert adjusted["allOf"][1]["anyOf"][0] == {
        "required": ["a"],
        "properties": {"a": {"type": "string"}},
    }
    assert "anyOf" not in adjusted["allOf"][0]
