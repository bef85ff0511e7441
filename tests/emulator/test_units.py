"""Durations, the clock and seeds on their own."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from u4b_vouchers.emulator import SeedError, read_seed
from u4b_vouchers.emulator.clock import Clock
from u4b_vouchers.emulator.db import Database
from u4b_vouchers.emulator.durations import parse_duration, shift
from u4b_vouchers.emulator.seed import apply_seed


def ms(*parts: int) -> int:
    return int(datetime(*parts, tzinfo=UTC).timestamp() * 1000)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("start", "duration", "end"),
    [
        (ms(2026, 1, 31), "P1M", ms(2026, 2, 28)),
        (ms(2028, 2, 29), "P1Y", ms(2029, 2, 28)),
        (ms(2026, 11, 22, 12), "-PT24H", ms(2026, 11, 21, 12)),
        (ms(2026, 11, 22), "P1W2DT3H4M5S", ms(2026, 12, 1, 3, 4, 5)),
        (ms(2026, 3, 15), "-P1Y1M", ms(2025, 2, 15)),
    ],
)
def test_durations(start: int, duration: str, end: int) -> None:
    assert shift(start, duration) == end


@pytest.mark.parametrize("text", ["P", "-P", "PT", "1Y", "P1.5D", "P1H", ""])
def test_invalid_durations(text: str) -> None:
    with pytest.raises(ValueError, match="ISO 8601"):
        parse_duration(text)


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
            "neither epoch milliseconds",
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
