"""The target profile of an emulator, from what its seed says of itself."""

from __future__ import annotations

from ..emulator import TOKEN_PATH, Emulator
from ..profile import Profile, emulator_profile


def profile_of(emulator: Emulator, base_url: str, *, name: str = "emulator") -> Profile:
    return emulator_profile(
        emulator.seed.get("profile") or {},
        emulator.client_secrets(),
        base_url,
        token_path=TOKEN_PATH,
        name=name,
        control_plane=emulator.control_plane,
    )
