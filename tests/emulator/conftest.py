"""An in-process emulator per test, and a small API client that speaks as any seed identity."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from u4b_vouchers.client import SyncASGITransport
from u4b_vouchers.emulator import Emulator, read_seed
from u4b_vouchers.spec import Spec, load_spec

DEMO = read_seed("demo")
ORG = DEMO["profile"]["organization_id"]
OTHER_ORG = DEMO["profile"]["foreign_organization_id"]
FIXTURES: dict[str, str] = DEMO["profile"]["fixtures"]
SECRETS = {c["id"]: c["secret"] for c in DEMO["clients"]}

#: identity -> (client id, scope) for client-credentials identities, or a ready token.
IDENTITIES: dict[str, dict[str, str]] = {
    "first_party": {"client_id": "demo-first-party", "scope": "organizations.voucher_programs"},
    "delegated": {"access_token": "demo-delegated-access-token"},
    "no_voucher_scope": {"client_id": "demo-no-voucher-scope", "scope": "profile"},
    "third_party_authorized": {
        "client_id": "demo-aggregator",
        "scope": "organizations.voucher_programs.aggregator",
    },
    "third_party_unauthorized": {
        "client_id": "demo-aggregator-unapproved",
        "scope": "organizations.voucher_programs.aggregator",
    },
    "other_org": {"client_id": "other-first-party", "scope": "organizations.voucher_programs"},
}


def program_path(program: str, org: str = ORG) -> str:
    return f"/v1/organizations/{org}/voucher-programs/{program}"


def create_path(org: str = ORG) -> str:
    return f"/v1/organizations/{org}/individual_voucher_program/create"


def request_token(http: httpx.Client, identity: str = "first_party") -> str:
    """A client-credentials token for one of the demo identities, from the target ``http`` reaches."""
    spec = IDENTITIES[identity]
    response = http.post(
        "/oauth/v2/token",
        data={
            "client_id": spec["client_id"],
            "client_secret": SECRETS[spec["client_id"]],
            "grant_type": "client_credentials",
            "scope": spec["scope"],
        },
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


class Api:
    """The emulator over in-process HTTP, with one cached token per identity."""

    def __init__(self, emulator: Emulator):
        self.emulator = emulator
        self.http = httpx.Client(transport=SyncASGITransport(emulator.app), base_url="http://emulator.test")
        self._tokens: dict[str, str] = {}

    def token(self, identity: str) -> str:
        if identity not in self._tokens:
            spec = IDENTITIES[identity]
            if "access_token" in spec:
                self._tokens[identity] = spec["access_token"]
            else:
                self._tokens[identity] = request_token(self.http, identity)
        return self._tokens[identity]

    def forget_tokens(self) -> None:
        """After a reset, the seed's tokens are all that is left."""
        self._tokens.clear()

    def headers(self, identity: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(identity)}"} if identity else {}

    def generate(self, program: str, body: Any, identity: str | None = "first_party", org: str = ORG) -> httpx.Response:
        return self.http.post(
            f"{program_path(program, org)}/codes/generate",
            json=body,
            headers=self.headers(identity),
        )

    def create(self, body: Any, identity: str | None = "first_party", org: str = ORG) -> httpx.Response:
        return self.http.post(create_path(org), json=body, headers=self.headers(identity))

    def guests(
        self, program: str, identity: str | None = "first_party", org: str = ORG, **params: Any
    ) -> httpx.Response:
        return self.http.get(f"{program_path(program, org)}/guests", params=params, headers=self.headers(identity))

    def update(self, program: str, body: Any, identity: str | None = "first_party", org: str = ORG) -> httpx.Response:
        return self.http.patch(program_path(program, org), json=body, headers=self.headers(identity))

    def program(self, program: str) -> dict[str, Any]:
        response = self.http.get(f"/__emulator/programs/{program}")
        assert response.status_code == 200
        return dict(response.json())

    def now(self) -> int:
        return int(self.http.get("/__emulator/clock").json()["now_ms"])


def create_body_at(now: int, **changes: Any) -> dict[str, Any]:
    """A valid Create Individual Voucher Program request (demo template) at time ``now``."""
    body: dict[str, Any] = {
        "template_uuid": FIXTURES["template_active"],
        "program_uuid": FIXTURES["template_active_program_uuid"],
        "owner_uuid": FIXTURES["template_active_owner_uuid"],
        "owner_type": "ORGANIZATION",
        "name": FIXTURES["template_active_name"],
        "display_name": "Jane Doe",
        "email_address": "jane@example.com",
        "starts_at": now + 3_600_000,
        "ends_at": now + 30 * 86_400_000,
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def create_body(api: Api, **changes: Any) -> dict[str, Any]:
    return create_body_at(api.now(), **changes)


def assert_error(response: httpx.Response, status: int, code: str, rule: str | None = None) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["code"] == code, body
    assert isinstance(body["message"], str)
    assert body["message"]
    if rule is not None:
        assert response.headers.get("x-u4b-rule") == rule, (
            response.headers.get("x-u4b-rule"),
            body,
        )


@pytest.fixture(scope="session")
def shared_spec() -> Spec:
    return load_spec()


@pytest.fixture
def emulator(shared_spec: Spec) -> Iterator[Emulator]:
    instance = Emulator(spec=shared_spec, seed=DEMO)
    yield instance
    instance.close()


@pytest.fixture
def api(emulator: Emulator) -> Iterator[Api]:
    client = Api(emulator)
    with client.http:
        yield client
