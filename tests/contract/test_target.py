"""The target's limits: a profile's rate and budget, and the command line's overrides of them."""

from __future__ import annotations

import pytest
from contract_tests import Target

from u4b_vouchers.profile import parse_profile

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
