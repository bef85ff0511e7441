"""A stateful emulator of the U4B Vouchers API: the embedded default target.

``Emulator(seed="demo")`` holds the state; ``Emulator.app`` is its ASGI application, usable
in-process with ``httpx.ASGITransport`` or served by ``u4b-vouchers serve``.
"""

from __future__ import annotations

from .app import Emulator, create_app
from .db import StateError
from .seed import SeedError, builtin_seed_path, read_seed
from .settings import Settings

__all__ = ["Emulator", "SeedError", "Settings", "StateError", "builtin_seed_path", "create_app", "read_seed"]
