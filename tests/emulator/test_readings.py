"""Readings: every choice the documents leave open is a switch, and each value does what it says.

The meta-tests keep the list complete: a rule with several documented outcomes, or a decision
of the log, without a reading (or a reason it leaves no choice) fails here.
"""

from __future__ import annotations

import base64
import copy
import re
from collections.abc import Callable, Iterator
from email.utils import parsedate_to_datetime

import pytest

from tests.conftest import ROOT
from tests.emulator.conftest import DEMO, FIXTURES, ORG, Api, assert_error, create_body
from u4b_vouchers.emulator import SETTLED, Emulator, Fault, ReadingError, known_readings, parse_assignments
from u4b_vouchers.spec import Spec, load_spec, parse_rules

SPEC = load_spec()
KNOWN = known_readings(SPEC)
STARTED = FIXTURES["program_started_multi_code"]
NOT_STARTED = FIXTURES["program_not_started_multi_code"]
MANY = FIXTURES["program_with_many_guests"]
UNKNOWN_PROGRAM = "00000000-0000-4000-8000-000000000000"
DAY = 86_400_000


def decisions_in_log() -> set[str]:
    text = (ROOT / "openapi" / "DECISIONS.md").read_text(encoding="utf-8")
    return set(re.findall(r"^## (D-\d{3})", text, flags=re.MULTILINE))


def test_every_rule_with_several_outcomes_has_a_reading_that_takes_each() -> None:
    for rule in parse_rules(SPEC.data):
        if len({(o.status, o.code) for o in rule.violation}) > 1:
            reading = KNOWN.get(rule.id)
            assert reading is not None, rule.id
            assert len(reading.values) >= len({(o.status, o.code) for o in rule.violation}), rule.id


def test_every_decision_has_a_reading_or_a_reason_it_leaves_no_choice() -> None:
    logged = decisions_in_log()
    read = {decision for reading in KNOWN.values() for decision in reading.decisions}
    assert logged - read - set(SETTLED) == set()
    assert (read | set(SETTLED)) - logged == set()  # nothing cites a decision that is not there
    assert read & set(SETTLED) == set()  # a decision is either a choice or settled, not both


def test_assignments_are_checked() -> None:
    assert parse_assignments(["page-tokens"], KNOWN) == {"page-tokens": "plain"}
    assert parse_assignments(["page-size-cap=50"], KNOWN) == {"page-size-cap": "50"}
    for bad in ("nope", "page-tokens=rot13", "page-size-default", "page-size-cap=-1"):
        with pytest.raises(ReadingError):
            parse_assignments([bad], KNOWN)
    with pytest.raises(ReadingError):
        Emulator(readings={"page-tokens": "rot13"})


# ------------------------------------------------------------------ each value's behaviour


def reading_api(shared_spec: Spec, **readings: str) -> Iterator[Api]:
    emulator = Emulator(spec=shared_spec, readings=readings)
    api = Api(emulator)
    with api.http:
        yield api
    emulator.close()


def guests(api: Api, program: str = STARTED, **params: object) -> list[dict[str, object]]:
    response = api.guests(program, **params)
    assert response.status_code == 200, response.text
    return list(response.json().get("guests", []))


def voucher_of(api: Api, status: str) -> dict[str, object] | None:
    for guest in guests(api):
        voucher = guest.get("voucher")
        if isinstance(voucher, dict) and voucher.get("voucher_status") == status:
            return voucher
    return None


def _page_default(api: Api) -> None:
    assert len(guests(api, MANY)) == 7


def _page_cap(api: Api) -> None:
    assert len(guests(api, MANY, limit=200)) == 5


def _page_uncapped(api: Api) -> None:
    seed = copy.deepcopy(DEMO)
    next(p for p in seed["programs"] if p["id"] == MANY)["generated_guests"] = 1100
    api.emulator.load_seed(seed)
    assert len(guests(api, MANY, limit=1200)) == 1100


def _page_refused(api: Api) -> None:
    assert api.guests(MANY, limit=1001).status_code == 400
    assert len(guests(api, MANY, limit=1000)) == 250


def _plain_tokens(api: Api) -> None:
    first = api.guests(MANY, limit=10).json()
    token = first["next_token"]
    assert "." not in token
    made = base64.urlsafe_b64encode(f"{MANY}|20".encode()).decode().rstrip("=")
    page = api.guests(MANY, limit=10, page_token=made).json()
    assert page["guests"][0] != first["guests"][0]
    assert api.guests(MANY, limit=10, page_token="not a token").status_code == 400


def _token_on_full_last_page(api: Api) -> None:
    page = api.guests(MANY, limit=250).json()
    assert len(page["guests"]) == 250
    assert "next_token" in page
    rest = api.guests(MANY, limit=250, page_token=page["next_token"]).json()
    assert rest.get("guests", []) == []
    assert "next_token" not in rest


def _token_in_guests(api: Api) -> None:
    page = api.guests(MANY, limit=3).json()
    assert all(g["next_token"] == page["next_token"] for g in page["guests"])


def _empty_list_omitted(api: Api) -> None:
    empty = api.guests(FIXTURES["program_completed"])
    assert empty.status_code == 200
    assert empty.json() == {}
    assert len(guests(api, MANY, limit=3)) == 3


def _unclaimed_empty(api: Api) -> None:
    assert voucher_of(api, "VOUCHER_SENT") is None
    assert {} in [g.get("voucher") for g in guests(api)]


def _unclaimed_omitted(api: Api) -> None:
    statuses = [g.get("voucher", {}).get("voucher_status") for g in guests(api)]  # type: ignore[union-attr]
    assert "VOUCHER_SENT" not in statuses
    assert "VOUCHER_CLAIMED" in statuses


def _canceled_at_zero(api: Api) -> None:
    claimed = voucher_of(api, "VOUCHER_CLAIMED")
    assert claimed is not None
    assert claimed["canceled_at"] == 0
    canceled = voucher_of(api, "VOUCHER_CANCELED")
    assert canceled is not None
    assert isinstance(canceled["canceled_at"], int)
    assert canceled["canceled_at"] > 0


def _usage_amount_string(api: Api) -> None:
    claimed = voucher_of(api, "VOUCHER_CLAIMED")
    assert claimed is not None
    assert claimed["usage_amount"] == "200"


def _opaque_ids(api: Api) -> None:
    codes = [g["code"]["code_id"] for g in guests(api) if "code" in g]  # type: ignore[index]
    assert codes
    assert all("-" not in str(c) for c in codes)


def _no_message(api: Api) -> None:
    response = api.update(UNKNOWN_PROGRAM, {"name": "x"})
    assert response.status_code == 404
    assert response.json() == {"code": "resource_not_found"}


def _retry_after(check: Callable[[str | None], None]) -> Callable[[Api], None]:
    def case(api: Api) -> None:
        api.emulator.faults.add(Fault(operation="*", kind="rate-limit", remaining=1, retry_after=30))
        response = api.guests(STARTED)
        assert response.status_code == 429
        check(response.headers.get("retry-after"))

    return case


def _http_date(value: str | None) -> None:
    assert value is not None
    assert parsedate_to_datetime(value).tzinfo is not None


def _omitted(value: str | None) -> None:
    assert value is None


def _generate_json(api: Api) -> None:
    response = api.generate(STARTED, {"number_of_codes": 1})
    assert response.status_code == 200
    assert response.json() == {}


def _owner_words(api: Api) -> None:
    assert api.create(create_body(api)).json()["owner_type"] == "Organization"


def _memo_omitted(api: Api) -> None:
    created = api.create(create_body(api, memo="for lunch")).json()
    assert "memo" not in created


def _times_as_strings(api: Api) -> None:
    created = api.create(create_body(api, display_timezone="America/Los_Angeles")).json()
    assert isinstance(created["starts_at"], str)
    assert created["starts_at"].endswith(("-08:00", "-07:00"))


def _extras(api: Api) -> None:
    page = api.guests(STARTED).json()
    assert page["x_emulator_reading"] == "response-extras"
    assert all("x_emulator_reading" in g for g in page["guests"])
    assert "x_emulator_reading" in api.update(UNKNOWN_PROGRAM, {"name": "x"}).json()


def _empty_update_is_nothing(api: Api) -> None:
    path = f"/v1/organizations/{ORG}/voucher-programs/{NOT_STARTED}"
    headers = api.headers("first_party")
    for content, media_type in ((b"", "application/json"), (b"null", "application/json"), (b"{}", "text/plain")):
        response = api.http.patch(path, content=content, headers={**headers, "Content-Type": media_type})
        assert response.status_code == 204, (content, response.text)
    assert (
        api.http.patch(path, content=b"[]", headers={**headers, "Content-Type": "application/json"}).status_code == 400
    )
    assert api.generate(STARTED, None).status_code == 400  # other operations still need their fields


def _null_absent(api: Api) -> None:
    before = api.program(NOT_STARTED)
    assert api.update(NOT_STARTED, {"pickup_locations": None, "name": "Kept"}).status_code == 204
    after = api.program(NOT_STARTED)
    assert after["name"] == "Kept"
    assert after.get("pickup_locations") == before.get("pickup_locations")


def _any_mobile(api: Api) -> None:
    assert api.create(create_body(api, mobile_number="555-0100")).status_code == 200


def _any_timezone(api: Api) -> None:
    assert api.create(create_body(api, display_timezone="Pacific Time")).status_code == 200
    assert api.update(NOT_STARTED, {"timezone": "Pacific Time"}).status_code == 400  # 003 names the tz list


def _equal_refused(api: Api) -> None:
    current = api.program(STARTED)["value_per_trip_percentage"]
    assert_error(
        api.update(STARTED, {"value_per_trip_percentage": current}), 400, "invalid_request", "UPD-PERCENT-INCREASE-ONLY"
    )


def _windows(delta: int, status: int) -> Callable[[Api], None]:
    """A start 24 h plus ``delta`` ms ago: inside the widened window, or outside the narrowed one."""

    def case(api: Api) -> None:
        now = api.now()
        starts = now - DAY - delta
        response = api.create(create_body(api, starts_at=starts, ends_at=now + 30 * DAY))
        assert response.status_code == status, response.text

    return case


def _existence_first(api: Api) -> None:
    assert_error(api.update(UNKNOWN_PROGRAM, {"value_per_trip_percentage": 1}), 404, "resource_not_found")


def _outcome(call: Callable[[Api], object], status: int, code: str | None, rule: str) -> Callable[[Api], None]:
    def case(api: Api) -> None:
        response = call(api)
        assert hasattr(response, "status_code")
        if code is None:
            assert 200 <= response.status_code < 300, response.text  # type: ignore[attr-defined]
        else:
            assert_error(response, status, code, rule)  # type: ignore[arg-type]

    return case


def _delegated_create(api: Api) -> object:
    return api.create(create_body(api), identity="delegated")


def _no_scope(api: Api) -> object:
    return api.guests(STARTED, identity="no_voucher_scope")


def _foreign_create(api: Api) -> object:
    return api.create(create_body(api), identity="other_org")


def _foreign_guests(api: Api) -> object:
    return api.guests(STARTED, identity="other_org")


def _unknown_template(api: Api) -> object:
    return api.create(create_body(api, template_uuid=UNKNOWN_PROGRAM))


def _zero_codes(api: Api) -> object:
    return api.generate(STARTED, {"number_of_codes": 0})


def _over_quota(api: Api) -> object:
    assert api.generate(STARTED, {"number_of_codes": 30000}).status_code in (200, 400)
    return api.generate(STARTED, {"number_of_codes": 30000})


def _limit_zero(api: Api) -> object:
    return api.guests(MANY, limit=0)


def _ends_before_starts(api: Api) -> object:
    starts = api.program(NOT_STARTED)["starts_at"]
    return api.update(NOT_STARTED, {"ends_at": starts - 1})


CASES: dict[str, Callable[[Api], None]] = {
    "page-size-default=7": _page_default,
    "page-size-cap=5": _page_cap,
    "page-size-cap=none": _page_uncapped,
    "page-size-above-cap=refuse": _page_refused,
    "page-tokens=plain": _plain_tokens,
    "next-token-on-full-last-page=yes": _token_on_full_last_page,
    "next-token-in-guests=yes": _token_in_guests,
    "empty-guest-list=omitted": _empty_list_omitted,
    "unclaimed-voucher=empty": _unclaimed_empty,
    "unclaimed-voucher=omitted": _unclaimed_omitted,
    "canceled-at-when-live=zero": _canceled_at_zero,
    "usage-amount=string": _usage_amount_string,
    "code-ids=opaque": _opaque_ids,
    "error-message=omitted": _no_message,
    "retry-after=http-date": _retry_after(_http_date),
    "retry-after=omitted": _retry_after(_omitted),
    "generate-response=json": _generate_json,
    "created-owner-type=words": _owner_words,
    "created-memo=omitted": _memo_omitted,
    "created-times=string": _times_as_strings,
    "response-extras=added": _extras,
    "empty-update-body=nothing": _empty_update_is_nothing,
    "null-fields=absent": _null_absent,
    "mobile-number=any": _any_mobile,
    "display-timezone=any": _any_timezone,
    "increase-only-equal=refused": _equal_refused,
    "time-windows=lenient": _windows(30 * 60_000, 200),
    "time-windows=strict": _windows(-30 * 60_000, 400),
    "error-precedence=existence-first": _existence_first,
    "AUTH-CREATE-CLIENT-CREDENTIALS-ONLY=401:unauthorized": _outcome(
        _delegated_create, 401, "unauthorized", "AUTH-CREATE-CLIENT-CREDENTIALS-ONLY"
    ),
    "AUTH-CREATE-CLIENT-CREDENTIALS-ONLY=403:unauthorized": _outcome(
        _delegated_create, 403, "unauthorized", "AUTH-CREATE-CLIENT-CREDENTIALS-ONLY"
    ),
    "AUTH-NO-API-ACCESS=403:unauthorized": _outcome(_no_scope, 403, "unauthorized", "AUTH-NO-API-ACCESS"),
    "AUTH-NO-API-ACCESS=401:unauthorized": _outcome(_no_scope, 401, "unauthorized", "AUTH-NO-API-ACCESS"),
    "AUTH-ORGANIZATION-ISOLATION=400:invalid_request": _outcome(
        _foreign_guests, 400, "invalid_request", "AUTH-ORGANIZATION-ISOLATION"
    ),
    "AUTH-ORGANIZATION-ISOLATION=403:user_not_allowed": _outcome(
        _foreign_guests, 403, "user_not_allowed", "AUTH-ORGANIZATION-ISOLATION"
    ),
    "AUTH-ORGANIZATION-ISOLATION=403:unauthorized": _outcome(
        _foreign_guests, 403, "unauthorized", "AUTH-ORGANIZATION-ISOLATION"
    ),
    # Create documents no 404 (D-035): there the reading gives way to Create's first documented
    # refusal among the rule's outcomes (the 404 elsewhere is also the default's).
    "AUTH-ORGANIZATION-ISOLATION=404:resource_not_found": _outcome(
        _foreign_create, 400, "invalid_request", "AUTH-ORGANIZATION-ISOLATION"
    ),
    "CRT-TEMPLATE-EXISTS=403:user_not_allowed": _outcome(
        _unknown_template, 403, "user_not_allowed", "CRT-TEMPLATE-EXISTS"
    ),
    "CRT-TEMPLATE-EXISTS=403:unauthorized": _outcome(_unknown_template, 403, "unauthorized", "CRT-TEMPLATE-EXISTS"),
    "GEN-COUNT-POSITIVE=accept": _outcome(_zero_codes, 200, None, "GEN-COUNT-POSITIVE"),
    "GEN-TOTAL-CODES-MAX=accept": _outcome(_over_quota, 200, None, "GEN-TOTAL-CODES-MAX"),
    "GST-LIMIT-POSITIVE=accept": _outcome(_limit_zero, 200, None, "GST-LIMIT-POSITIVE"),
    "UPD-ENDS-AFTER-STARTS=accept": _outcome(_ends_before_starts, 204, None, "UPD-ENDS-AFTER-STARTS"),
}


def other_values() -> list[str]:
    found = []
    for reading in KNOWN.values():
        found += [f"{reading.name}={value}" for value in reading.values if value != reading.default]
        if reading.numeric:
            found.append(f"{reading.name}=N")
    return found


def test_every_value_other_than_the_default_has_a_case() -> None:
    covered = {case if not case.split("=", 1)[1].isdigit() else case.split("=", 1)[0] + "=N" for case in CASES}
    assert set(other_values()) - covered == set()


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_reading_does_what_it_says(shared_spec: Spec, case: str) -> None:
    name, _, value = case.partition("=")
    for api in reading_api(shared_spec, **{name: value}):
        CASES[case](api)


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_default_reading_does_not(shared_spec: Spec, case: str) -> None:
    """Each case fails under the defaults, so it tests the reading and not the seed."""
    for api in reading_api(shared_spec):
        with pytest.raises((AssertionError, KeyError, ValueError)):
            CASES[case](api)


@pytest.mark.parametrize("value", sorted(other_values()))
def test_the_four_operations_still_work_under_each_reading(shared_spec: Spec, value: str) -> None:
    name, _, chosen = value.partition("=")
    chosen = "3" if chosen == "N" else chosen
    for api in reading_api(shared_spec, **{name: chosen}):
        assert api.generate(STARTED, {"number_of_codes": 2}).status_code == 200
        assert api.update(NOT_STARTED, {"name": "Still works"}).status_code == 204
        created = api.create(create_body(api))
        assert created.status_code == 200, created.text
        seen, token = 0, None
        for _ in range(300):
            page = api.guests(MANY, limit=100, **({"page_token": token} if token else {})).json()
            seen += len(page.get("guests", []))
            token = page.get("next_token")
            if token is None:
                break
        assert seen == 250


def test_a_rule_reading_answers_only_statuses_the_operation_documents(shared_spec: Spec) -> None:
    """Every value of every rule reading, on every operation the rule applies to, answers a
    status that operation documents (AUTH-ORGANIZATION-ISOLATION=404 on Create used to be 404)."""
    rules = {rule.id: rule for rule in parse_rules(SPEC.data)}
    operations = [op.operation_id for op in SPEC.operations()]
    for reading in KNOWN.values():
        if reading.rule is None:
            continue
        rule = rules[reading.rule]
        for value in reading.values:
            emulator = Emulator(spec=shared_spec, readings={reading.name: value})
            try:
                for op in (o for o in operations if rule.applies_to(o)):
                    if rule.kind == "auth":
                        status = emulator.access._refuse(rule.id, op, emulator.readings).status
                    else:
                        outcome = emulator.store.rules.outcome(rule, emulator.readings, op)
                        if outcome is None:
                            continue
                        assert isinstance(outcome.status, int)
                        status = outcome.status
                    assert emulator.catalogue.documents(op, status), (reading.name, value, op, status)
            finally:
                emulator.close()


def test_isolation_at_404_still_answers_404_where_it_is_documented(shared_spec: Spec) -> None:
    for api in reading_api(shared_spec, **{"AUTH-ORGANIZATION-ISOLATION": "404:resource_not_found"}):
        assert_error(_foreign_guests(api), 404, "resource_not_found", "AUTH-ORGANIZATION-ISOLATION")  # type: ignore[arg-type]
        created = _foreign_create(api)
        assert created.status_code != 404  # type: ignore[attr-defined]
