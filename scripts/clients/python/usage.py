"""The openapi-generator `python` client against a target, named by the environment:

  U4B_BASE_URL         the API, e.g. the address `u4b-vouchers serve` prints
  U4B_TOKEN_URL        the token endpoint (default: U4B_BASE_URL + /oauth/v2/token, as served)
  U4B_ACCESS_TOKEN     a token to use as it is; otherwise a client-credentials token is fetched
  U4B_CLIENT_ID, U4B_CLIENT_SECRET, U4B_SCOPE (default organizations.voucher_programs)
  U4B_ORGANIZATION_ID  the organization
  U4B_PROGRAM_ID       a multi-code program of it (the example updates it and adds codes)

scripts/generate-clients copies it beside the generated package, so it runs from there with the
project's Python: `.venv/bin/python build/clients/python/usage.py`.
Exit 0 when every call answered as documented, 1 on any other answer, 2 when a variable is unset.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

import urllib3
from u4b_vouchers_openapi_client import ApiClient, Configuration, GuestsApi, VoucherCodesApi, VoucherProgramsApi
from u4b_vouchers_openapi_client.exceptions import ApiException
from u4b_vouchers_openapi_client.models.generate_voucher_codes_request import GenerateVoucherCodesRequest
from u4b_vouchers_openapi_client.models.update_voucher_program_request import UpdateVoucherProgramRequest


class ExampleError(Exception):
    """A problem reported in one line before the example exits with ``exit_code``."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def setting(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise ExampleError(f"{name} is not set", 2)
    return value


def access_token(base_url: str) -> str:
    """U4B_ACCESS_TOKEN, or a client-credentials token from the target's token endpoint."""
    given = os.environ.get("U4B_ACCESS_TOKEN")
    if given:
        print("token: U4B_ACCESS_TOKEN")
        return given
    token_url = os.environ.get("U4B_TOKEN_URL") or f"{base_url}/oauth/v2/token"
    form = urllib.parse.urlencode(
        {
            "grant_type": "client_credentials",
            "client_id": setting("U4B_CLIENT_ID"),
            "client_secret": setting("U4B_CLIENT_SECRET"),
            "scope": os.environ.get("U4B_SCOPE") or "organizations.voucher_programs",
        }
    ).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(token_url, data=form), timeout=30) as answer:
            body = json.load(answer)
    except urllib.error.HTTPError as error:
        raise ExampleError(f"token: {error.code} from {token_url}: {error.read().decode(errors='replace')}") from None
    token = body.get("access_token") if isinstance(body, dict) else None
    if not isinstance(token, str):
        raise ExampleError(f"token: no access_token in the answer of {token_url}")
    print(f"token: 200 from {token_url} ({body.get('token_type')})")
    return token


def expect(what: str, expected: int, call: Callable[[], Any]) -> Any:
    """The answer of ``call``, whose status must be ``expected``."""
    try:
        answer = call()
    except ApiException as error:
        raise ExampleError(f"{what}: {error.status} (expected {expected}): {error.body}") from None
    if answer.status_code != expected:
        raise ExampleError(f"{what}: {answer.status_code} (expected {expected})")
    return answer


def main() -> None:
    base_url = setting("U4B_BASE_URL").rstrip("/")
    ids = {"organization_id": setting("U4B_ORGANIZATION_ID"), "voucher_program_id": setting("U4B_PROGRAM_ID")}
    # The client adds the "Bearer " prefix to access_token itself.
    client = ApiClient(Configuration(host=base_url, access_token=access_token(base_url)))

    guests = GuestsApi(client)
    page = expect("guests", 200, lambda: guests.get_voucher_program_guest_info_with_http_info(**ids, limit=2))
    contacts = [guest.email or guest.phone or "(no contact)" for guest in page.data.guests or []]
    more = "yes" if page.data.next_token else "no"
    print(f"guests: 200, {len(contacts)} on the page: {', '.join(contacts)}; next page: {more}")

    change = UpdateVoucherProgramRequest.from_dict(
        {"trip_restriction_type": "PICKUP_ONLY", "pickup_locations": [{"address": "1455 Market St", "radius": 25}]}
    )
    assert change is not None
    programs = VoucherProgramsApi(client)
    expect(
        "update",
        204,
        lambda: programs.update_voucher_program_with_http_info(**ids, update_voucher_program_request=change),
    )
    print("update: 204 (pickup only, 1455 Market St)")

    request = GenerateVoucherCodesRequest(number_of_codes=5)
    codes = VoucherCodesApi(client)
    expect(
        "generate codes",
        200,
        lambda: codes.generate_voucher_codes_with_http_info(**ids, generate_voucher_codes_request=request),
    )
    print("generate codes: 200 (5 codes)")


if __name__ == "__main__":
    try:
        main()
    except ExampleError as problem:
        print(f"example: error: {problem}", file=sys.stderr)
        sys.exit(problem.exit_code)
    except (OSError, urllib3.exceptions.HTTPError) as problem:  # the target cannot be reached
        print(f"example: error: {problem}", file=sys.stderr)
        sys.exit(1)
