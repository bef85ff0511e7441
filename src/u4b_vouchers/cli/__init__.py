"""The ``u4b-vouchers`` command line: one module per command, dispatched by :mod:`.main`.

Also exported: :func:`profile_of`, the target profile of an :class:`~u4b_vouchers.emulator.Emulator`
(imported on first use: the command line itself starts without the emulator).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .emulated import profile_of

__all__ = ["profile_of"]


def __getattr__(name: str) -> Any:
    if name == "profile_of":
        from .emulated import profile_of

        return profile_of
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
