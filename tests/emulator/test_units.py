"""The clock and seeds on their own (durations: tests/spec/test_durations_and_targets.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from u4b_vouchers.emulator import SeedError, read_seed
from u4b_vouchers.emulator.clock import Clock
from u4b_vouchers.emulator.db import Database
from u4b_vouchers.emulator.seed import apply_seed


def test_clock() -> None:
    clock = Clock()
    clock.freeze(1000)
    clock.advance(5)
    assert clock.now_ms() == 1005
    clock.set(2000)
    assert clock.state().frozen
    assert clock.now_ms() == 2000
    clock.unfreeze()
    assert clock.now_ms() >= 2000
    assert not clock.state().frozen
    clock.reset()
    assert abs(clock.state().offset_ms) < 1000


def test_seed_errors_are_one_line(tmp_path: Path) -> None:
    db = Database()
    cases = [
        (
            {"programs": [{"id": "p"}]},
            "programs[0]: missing org_id, code_scheme, starts_at, ends_at",
        ),
        (
            {
                "programs": [
                    {
                        "id": "p",
                        "org_id": "o",
                        "code_scheme": "MULTI_CODE_SINGLE_REDEEM",
                        "starts_at": "yesterday",
                        "ends_at": 1,
                    }
                ]
            },
            "'yesterday' is not epoch milliseconds",
        ),
        (
            {
                "tokens": [
                    {
                        "token": "t",
                        "client_id": "ghost",
                        "grant": "client_credentials",
                        "scopes": [],
                    }
                ]
            },
            "unknown client 'ghost'",
        ),
        (
            {
                "programs": [
                    {
                        "id": "p",
                        "org_id": "o",
                        "code_scheme": "MULTI_CODE_SINGLE_REDEEM",
                        "starts_at": 1,
                        "ends_at": 2,
                        "guests": [{"voucher_status": "LOST"}],
                    }
                ]
            },
            "unknown voucher_status",
        ),
        ({"clients": ["x"]}, "clients[0]: expected a mapping"),
    ]
    for seed, words in cases:
        with pytest.raises(SeedError) as caught:
            apply_seed(db, seed, 0)
        assert words in str(caught.value)
        assert "\n" not in str(caught.value)
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: [\n")
    with pytest.raises(SeedError, match=r"bad.yaml:\d+: invalid YAML"):
        read_seed(bad)
    with pytest.raises(SeedError, match="built-in seeds: demo"):
        read_seed("nonexistent-seed")
