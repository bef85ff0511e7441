"""The target's limits: a profile's rate, budget, deadline, timeout and response cap, the command
line's overrides of them, and the redaction of secrets."""

from __future__ import annotations

import json

import httpx
import pytest
from contract_tests import DEADLINE_SECONDS, MAX_RESPONSE_BYTES, REQUEST_TIMEOUT_SECONDS, Target
from contract_tests.context import CheckContext, NotCovered
from contract_tests.redaction import REDACTED, Secrets

from u4b_vouchers.profile import parse_profile
from u4b_vouchers.spec import load_spec

PROFILE = {
    "base_url": "http://127.0.0.1:9/",
    "token_url": "http://127.0.0.1:9/oauth/v2/token",
    "organization_id": "org",
    "limits": {"request_budget": 10, "requests_per_second": 2.5},
}


@pytest.mark.parametrize(
    ("override", "interval"),
    [(None, 0.4), (10.0, 0.1), (0.0, 0.0)],  # 0 on the command line lifts the profile's cap
)
def test_rate_override(override: float | None, interval: float) -> None:
    target = Target(parse_profile(PROFILE), requests_per_second=override)
    try:
        assert target.interval == pytest.approx(interval)
    finally:
        target.close()


def test_budget_override() -> None:
    profile = parse_profile(PROFILE)
    for override, budget in ((None, 10), (3, 3)):
        target = Target(profile, budget=override)
        try:
            assert target.budget == budget
        finally:
            target.close()


@pytest.mark.parametrize(
    ("profile_limits", "override", "expected"),
    [
        ({}, {}, (DEADLINE_SECONDS, REQUEST_TIMEOUT_SECONDS, MAX_RESPONSE_BYTES)),
        (
            {"deadline_seconds": 60, "request_timeout_seconds": 2.5, "max_response_bytes": 4096},
            {},
            (60.0, 2.5, 4096),
        ),
        (
            {"deadline_seconds": 60, "request_timeout_seconds": 2.5, "max_response_bytes": 4096},
            {"deadline": 5.0, "request_timeout": 1.0, "max_response_bytes": 2048},
            (5.0, 1.0, 2048),
        ),
    ],
)
def test_run_limits_come_from_the_command_line_then_the_profile_then_the_defaults(
    profile_limits: dict[str, float], override: dict[str, float], expected: tuple[float, float, int]
) -> None:
    target = Target(parse_profile({**PROFILE, "limits": profile_limits}), **override)  # type: ignore[arg-type]
    try:
        assert (target.deadline, target.request_timeout, target.max_response_bytes) == expected
    finally:
        target.close()


def test_secrets_are_redacted_at_any_depth_inside_longer_strings_and_escaped() -> None:
    secrets = Secrets(("tok/en+1234", "short"[:3]))
    assert "abc" not in secrets  # too short to be a secret
    body = json.dumps({"a": [{"b": {"c": "Bearer tok/en+1234!"}}], "access_token": 5, "tok/en+1234": 1})
    redacted = secrets.body(body)
    assert "tok/en" not in redacted
    assert json.loads(redacted) == {
        "a": [{"b": {"c": "Bearer [redacted]!"}}],
        "access_token": "[redacted]",
        REDACTED: 1,
    }
    assert secrets.text('{"x": "tok\\/en+1234"}') == '{"x": "[redacted]"}'  # the JSON escape of "/"
    assert secrets.text("?t=tok%2Fen%2B1234") == "?t=[redacted]"
    assert secrets.body("not json tok/en+1234") == "not json [redacted]"
    deep = "[" * 100_000 + "]" * 100_000
    assert secrets.body(deep) == deep  # too deep to parse: still a string, and no RecursionError


def test_the_control_plane_is_called_with_the_profiles_control_token() -> None:
    seen: list[str | None] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("authorization"))
        return httpx.Response(200, json={"now": 1})

    data = {**PROFILE, "emulator": True, "control_token_env": "U4B_TEST_CONTROL"}
    target = Target(
        parse_profile(data, environ={"U4B_TEST_CONTROL": "control-token-123"}), transport=httpx.MockTransport(answer)
    )
    try:
        assert target.control is not None
        assert target.control.clock() == {"now": 1}
        assert seen == ["Bearer control-token-123"]
        assert "control-token-123" in target.secrets
    finally:
        target.close()


def test_an_unset_control_token_makes_control_plane_checks_not_covered() -> None:
    data = {**PROFILE, "emulator": True, "control_token_env": "U4B_TEST_CONTROL"}
    target = Target(parse_profile(data, environ={}))
    try:
        ctx = CheckContext(target, load_spec(), {}, seed=1, max_examples=1)
        with pytest.raises(NotCovered, match="U4B_TEST_CONTROL is not set"):
            _ = ctx.control
    finally:
        target.close()


def test_a_body_without_secrets_is_recorded_as_sent() -> None:
    secrets = Secrets(("tok-123456",))
    for body in ('{"a": 1, "a": 2}', '{ "x" : [1.0, NaN] }', '{"é": "ü"}'):
        assert secrets.body(body) == body
