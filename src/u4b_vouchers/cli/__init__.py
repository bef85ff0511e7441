"""The ``u4b-vouchers`` command line: one module per command, dispatched by :mod:`.main`.

Also exported: :func:`profile_of`, the target profile of an :class:`~u4b_vouchers.emulator.Emulator`.
"""

from __future__ import annotations

from .emulated import profile_of

__all__ = ["profile_of"]
