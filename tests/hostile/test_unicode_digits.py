"""Digits that are not ASCII (superscript two, Arabic-Indic three, fullwidth one):
``str.isdigit`` says yes and ``int`` then fails or reads another number. Wherever text from
outside becomes a number, only ASCII digits count."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from contract_tests.suite_errors import _usable_retry_after

from u4b_vouchers.client._retry import _retry_after_seconds
from u4b_vouchers.emulator import Emulator, ReadingError, known_readings, parse_assignments
from u4b_vouchers.emulator.jsonbody import read_limited
from u4b_vouchers.spec import load_spec
from u4b_vouchers.spec import pointer as jp

NOT_ASCII_DIGITS = ["\u00b2", "\u0663", "\uff11", "1\u00b2"]


@pytest.mark.parametrize("digits", NOT_ASCII_DIGITS)
def test_a_numeric_reading_takes_ascii_digits_only(digits: str) -> None:
    with pytest.raises(ReadingError):
        parse_assignments([f"page-size-cap={digits}"], known_readings(load_spec()))
    with pytest.raises(ReadingError):
        Emulator(readings={"page-size-cap": digits})


@pytest.mark.parametrize("digits", NOT_ASCII_DIGITS)
def test_a_pointer_step_into_a_list_takes_ascii_digits_only(digits: str) -> None:
    with pytest.raises(KeyError):
        jp.resolve({"tags": ["x", "y"]}, f"#/tags/{digits}")


@pytest.mark.parametrize("digits", NOT_ASCII_DIGITS)
def test_retry_after_takes_ascii_digits_only(digits: str) -> None:
    assert _retry_after_seconds(digits) is None  # the client does not wait on it
    assert not _usable_retry_after(digits)  # the gate does not call it valid
    assert _retry_after_seconds("30") == 30.0
    assert _usable_retry_after("30")


async def _chunks() -> AsyncIterator[bytes]:
    yield b"{}"


@pytest.mark.parametrize("digits", NOT_ASCII_DIGITS)
def test_a_content_length_takes_ascii_digits_only(digits: str) -> None:
    # Header values arrive as Latin-1 text: b"\xb2" is "\u00b2".
    assert asyncio.run(read_limited(_chunks(), digits, 1024)) == b"{}"  # read and measured, not a crash
