"""The target profile of an emulator, from what its seed says of itself."""

from __future__ import annotations

from ..emulator import TOKEN_PATH, Emulator
from ..profile import Profile, emulator_profile


def profile_of(
    emulator: Emulator, base_url: str, *, name: str = "emulator", control_token_env: str | None = None
) -> Profile:
    """The profile of ``emulator`` at ``base_url``; a guarded control plane's token is named by
    the variable ``control_token_env`` (the profile never holds the token itself)."""
    return emulator_profile(
        emulator.seed.get("profile") or {},
        emulator.client_secrets(),
        base_url,
        token_path=TOKEN_PATH,
        name=name,
        control_plane=emulator.control_plane,
        control_token_env=control_token_env,
    )
