"""Guest paging: limit honoured, no overlap, every guest exactly once, last page without token,
foreign and forged tokens refused."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.emulator.conftest import FIXTURES, Api, assert_error

MANY = FIXTURES["program_with_many_guests"]
SMALL = FIXTURES["program_started_multi_code"]


def all_pages(api: Api, program: str, limit: int | None) -> list[list[dict[str, object]]]:
    pages, token = [], None
    while True:
        params = {k: v for k, v in {"limit": limit, "page_token": token}.items() if v is not None}
        response = api.guests(program, **params)
        assert response.status_code == 200, response.text
        body = response.json()
        pages.append(body.get("guests", []))
        token = body.get("next_token")
        if token is None:
            return pages
        assert len(pages) < 1000


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(limit=st.integers(min_value=1, max_value=300))
def test_pages_cover_every_guest_exactly_once(api: Api, limit: int) -> None:
    expected = api.program(MANY)["guest_count"]
    pages = all_pages(api, MANY, limit)
    assert all(len(page) <= limit for page in pages)
    assert all(len(page) == limit for page in pages[:-1])  # only the last page may be short
    emails = [guest["email"] for page in pages for guest in page]
    assert len(emails) == len(set(emails)) == expected == 250


def test_default_limit_and_a_single_page(api: Api) -> None:
    pages = all_pages(api, SMALL, None)
    assert len(pages) == 1
    assert len(pages[0]) == api.program(SMALL)["guest_count"]


def test_the_last_page_has_no_token_even_when_exactly_full(api: Api) -> None:
    count = api.program(SMALL)["guest_count"]
    body = api.guests(SMALL, limit=count).json()
    assert len(body["guests"]) == count
    assert "next_token" not in body


def test_tokens_are_bound_to_their_program(api: Api) -> None:
    token = api.guests(MANY, limit=5).json()["next_token"]
    assert_error(api.guests(SMALL, page_token=token), 400, "invalid_request", "GST-PAGE-TOKEN-VALID")


@given(st.text(max_size=40))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_garbled_tokens_are_refused(api: Api, garbage: str) -> None:
    assert_error(api.guests(MANY, page_token=garbage), 400, "invalid_request", "GST-PAGE-TOKEN-VALID")


def test_a_tampered_token_is_refused(api: Api) -> None:
    token = api.guests(MANY, limit=5).json()["next_token"]
    payload, signature = token.split(".")
    tampered = payload[:-1] + ("A" if payload[-1] != "A" else "B") + "." + signature
    assert_error(api.guests(MANY, page_token=tampered), 400, "invalid_request", "GST-PAGE-TOKEN-VALID")


def test_limits_above_the_maximum_are_capped(api: Api) -> None:
    body = api.guests(MANY, limit=10**6).json()
    assert len(body["guests"]) == 250
