"""The control plane: reset, seeds, clock, faults, flags, settings, request log, description."""

from __future__ import annotations

import time

import httpx
import yaml

from tests.emulator.conftest import DEMO, FIXTURES, Api, assert_error
from u4b_vouchers.client import SyncASGITransport
from u4b_vouchers.emulator import Emulator
from u4b_vouchers.emulator.control import ROUTES
from u4b_vouchers.lint import CHECKS, run_lint
from u4b_vouchers.spec import Spec, load_spec, openapi_dir

PROGRAM = FIXTURES["program_started_multi_code"]


def test_reset_restores_the_seed(api: Api) -> None:
    assert api.update(PROGRAM, {"name": "Changed"}).status_code == 204
    api.http.post("/__emulator/clock/advance", json={"by_ms": 10**9})
    api.http.post("/__emulator/faults", json={"kind": "error", "count": 5})
    assert api.http.post("/__emulator/reset").status_code == 204
    assert api.program(PROGRAM)["name"] == "Late-night safe rides (multi code, live)"
    assert abs(api.now() - time.time() * 1000) < 60_000
    assert api.http.get("/__emulator/faults").json() == {"faults": []}


def test_loading_a_seed_replaces_everything(api: Api) -> None:
    seed = {
        "organizations": [{"id": "org-1"}],
        "clients": [
            {
                "id": "c1",
                "secret": "s1",
                "org_id": "org-1",
                "scopes": ["organizations.voucher_programs"],
                "grants": ["client_credentials"],
            }
        ],
        "programs": [
            {
                "id": "p1",
                "org_id": "org-1",
                "code_scheme": "MULTI_CODE_SINGLE_REDEEM",
                "starts_at": "now-P1D",
                "ends_at": "now+P1D",
                "generated_guests": 3,
            }
        ],
    }
    assert api.http.put("/__emulator/seed", content=yaml.safe_dump(seed)).status_code == 204
    assert api.http.get(f"/__emulator/programs/{PROGRAM}").status_code == 404
    token = api.http.post(
        "/oauth/v2/token",
        data={"client_id": "c1", "client_secret": "s1", "grant_type": "client_credentials"},
    ).json()["access_token"]
    guests = api.http.get(
        "/v1/organizations/org-1/voucher-programs/p1/guests",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert len(guests.json()["guests"]) == 3
    assert api.http.post("/__emulator/reset").status_code == 204  # reset now returns to the new seed
    assert api.http.get("/__emulator/programs/p1").status_code == 200


def test_bad_seeds_are_refused_with_a_reason(api: Api) -> None:
    for content, words in (
        (b"[1, 2]", "a seed is a mapping"),
        (b"programs: [{id: x}]", "programs[0]: missing org_id"),
        (b"{:", "invalid YAML"),
        (b"[" * 100_000, "nested too deeply"),  # nested past the parser's recursion limit
    ):
        response = api.http.put("/__emulator/seed", content=content)
        assert response.status_code == 400
        assert words in response.json()["message"]
    assert api.http.get(f"/__emulator/programs/{PROGRAM}").status_code == 200  # nothing was lost


def test_deeply_nested_control_bodies_are_refused(api: Api) -> None:
    response = api.http.post("/__emulator/clock/advance", content=b"[" * 100_000)
    assert response.status_code == 400
    assert "nested deeper than" in response.json()["message"]


def test_clock_freeze_set_advance_unfreeze(api: Api) -> None:
    frozen = api.http.post("/__emulator/clock/freeze", json={"at_ms": 1_800_000_000_000}).json()
    assert frozen == {"now_ms": 1_800_000_000_000, "frozen": True, "offset_ms": frozen["offset_ms"]}
    assert api.http.post("/__emulator/clock/advance", json={"by_ms": 5}).json()["now_ms"] == 1_800_000_000_005
    assert (
        api.http.post("/__emulator/clock/set", json={"now_ms": 1_900_000_000_000}).json()["now_ms"] == 1_900_000_000_000
    )
    running = api.http.post("/__emulator/clock/unfreeze").json()
    assert running["frozen"] is False
    assert running["now_ms"] >= 1_900_000_000_000
    assert api.http.post("/__emulator/clock/advance", json={}).status_code == 400
    assert api.http.post("/__emulator/clock/advance", json={"by_ms": "soon"}).status_code == 400
    assert api.http.post("/__emulator/clock/rewind").status_code == 404


def test_frozen_time_decides_the_rules(api: Api) -> None:
    starts = api.program(FIXTURES["program_not_started_single_code"])["starts_at"]
    api.http.post("/__emulator/clock/freeze", json={"at_ms": starts - 1})
    assert api.update(FIXTURES["program_not_started_single_code"], {"starts_at": starts + 1}).status_code == 204
    api.http.post("/__emulator/clock/set", json={"now_ms": starts + 2})
    assert_error(
        api.update(FIXTURES["program_not_started_single_code"], {"starts_at": starts + 10}),
        400,
        "invalid_request",
        "UPD-STARTS-BEFORE-START-ONLY",
    )


def test_faults_error_rate_limit_delay(api: Api) -> None:
    api.http.post(
        "/__emulator/faults",
        json={"operation": "getVoucherProgramGuestInfo", "kind": "error", "count": 2},
    )
    api.http.post(
        "/__emulator/faults",
        json={"operation": "getVoucherProgramGuestInfo", "kind": "rate-limit", "retry_after": 7},
    )
    api.http.post(
        "/__emulator/faults",
        json={"operation": "updateVoucherProgram", "kind": "delay", "delay_ms": 150},
    )
    assert [api.guests(PROGRAM).status_code for _ in range(2)] == [500, 500]
    throttled = api.guests(PROGRAM)
    assert throttled.status_code == 429
    assert throttled.headers["retry-after"] == "7"
    assert throttled.json()["code"] == "rate_limit_exceeded"
    assert api.guests(PROGRAM).status_code == 200  # used up
    started = time.perf_counter()
    assert api.update(PROGRAM, {"name": "slow"}).status_code == 204
    assert time.perf_counter() - started >= 0.15
    assert api.generate(PROGRAM, {"number_of_codes": 1}).status_code == 200  # other operations untouched


def test_fault_requests_are_validated(api: Api) -> None:
    assert api.http.post("/__emulator/faults", json={"kind": "meteor"}).status_code == 400
    assert api.http.post("/__emulator/faults", json={"kind": "error", "count": 0}).status_code == 400
    assert api.http.post("/__emulator/faults", content=b"[").status_code == 400
    assert api.http.delete("/__emulator/faults").status_code == 204


def test_flags_only_take_known_rules_and_fault_flags(api: Api) -> None:
    assert api.http.put("/__emulator/flags", json={"disabled_rules": ["NOT-A-RULE"]}).status_code == 400
    assert api.http.put("/__emulator/flags", json={"fault_flags": ["make-it-weird"]}).status_code == 400
    state = api.http.put(
        "/__emulator/flags",
        json={"disabled_rules": ["UPD-PERCENT-RANGE"], "fault_flags": ["paging-overlaps"]},
    ).json()
    assert (state["disabled_rules"], state["fault_flags"]) == (
        ["UPD-PERCENT-RANGE"],
        ["paging-overlaps"],
    )
    assert len(state["available_fault_flags"]) >= 30
    assert api.http.post("/__emulator/reset").status_code == 204
    assert api.http.get("/__emulator/flags").json()["fault_flags"] == []


def test_settings(api: Api) -> None:
    assert api.http.patch("/__emulator/settings", json={"max_body_bytes": 10}).json()["max_body_bytes"] == 10
    assert api.update(PROGRAM, {"name": "A name longer than ten bytes"}).status_code == 400
    assert api.http.patch("/__emulator/settings", json={"colour": "blue"}).status_code == 400


def test_readings_are_taken_and_listed(api: Api) -> None:
    listed = api.http.put("/__emulator/readings", json={"readings": {"page-size-default": "2"}}).json()
    assert listed["changed"] == {"page-size-default": "2"}
    assert {"page-tokens", "AUTH-NO-API-ACCESS"} <= {r["name"] for r in listed["readings"]}
    assert len(api.guests(PROGRAM).json()["guests"]) == 2
    assert api.http.post("/__emulator/reset").status_code == 204  # readings outlive a reset
    api.forget_tokens()
    assert len(api.guests(PROGRAM).json()["guests"]) == 2
    refused = api.http.put("/__emulator/readings", json={"readings": {"page-tokens": "rot13"}})
    assert refused.status_code == 400
    assert "page-tokens takes signed, plain" in refused.json()["message"]
    assert api.http.put("/__emulator/readings", json={"readings": {}}).json()["changed"] == {}
    assert len(api.guests(PROGRAM).json()["guests"]) > 2


def test_request_log_names_operation_status_and_rule(api: Api) -> None:
    api.http.delete("/__emulator/requests")
    api.update(FIXTURES["program_canceled"], {"name": "x"})
    (entry,) = [e for e in api.http.get("/__emulator/requests").json()["requests"] if e["operation"]]
    assert (entry["method"], entry["operation"], entry["status"], entry["rule"]) == (
        "PATCH",
        "updateVoucherProgram",
        400,
        "UPD-CANCELED-IMMUTABLE",
    )
    assert api.http.get("/__emulator/requests", params={"limit": "x"}).status_code == 400


def test_program_inspection_and_cancel(api: Api) -> None:
    view = api.program(PROGRAM)
    assert (view["status"], view["code_count"], view["guest_count"]) == ("active", 50, 6)
    assert api.http.post(f"/__emulator/programs/{PROGRAM}/cancel").status_code == 204
    assert api.program(PROGRAM)["status"] == "canceled"
    assert_error(api.update(PROGRAM, {"name": "x"}), 400, "invalid_request", "UPD-CANCELED-IMMUTABLE")
    assert api.http.post("/__emulator/programs/nope/cancel").status_code == 404
    assert api.http.get("/__emulator/programs/nope/codes").status_code == 404


def test_the_control_description_is_served_and_lints_clean(api: Api) -> None:
    served = api.http.get("/__emulator/openapi.yaml")
    assert served.status_code == 200
    assert yaml.safe_load(served.text)["info"]["title"] == "u4b-vouchers emulator control plane"
    python_checks = [n for n, c in CHECKS.items() if not c.needs_node]
    assert run_lint(load_spec(openapi_dir() / "emulator-control.yaml"), only=python_checks) == []


def test_the_control_description_lists_every_control_route(api: Api) -> None:
    described = set(load_spec(openapi_dir() / "emulator-control.yaml").data["paths"])
    served = {route.path for route in ROUTES}
    assert served == described


def test_without_the_control_plane(shared_spec: Spec) -> None:
    emulator = Emulator(spec=shared_spec, seed=DEMO, control_plane=False)
    with httpx.Client(transport=SyncASGITransport(emulator.app), base_url="http://emulator.test") as http:
        assert http.get("/__emulator/health").status_code == 404
        assert http.post("/__emulator/reset").status_code == 404
    emulator.close()
