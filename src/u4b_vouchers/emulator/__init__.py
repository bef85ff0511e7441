"""A stateful emulator of the U4B Vouchers API: the embedded default target.

``Emulator(seed="demo")`` holds the state; ``Emulator.app`` is its ASGI application, usable
in-process with ``httpx.ASGITransport`` or served by ``u4b-vouchers serve``. Readings
(``Emulator(readings={...})``, :data:`READING_TIPS`) choose among the behaviours the documents
allow; fault flags (:data:`FAULT_FLAGS`) make it drift from them.
"""

from __future__ import annotations

from .app import Emulator, create_app
from .db import StateError
from .drift import FAULT_FLAGS, FaultFlag
from .faults import Fault
from .readings import RELAXES, SETTLED, Reading, ReadingError, known_readings, parse_assignments
from .seed import SeedError, builtin_seed_path, read_seed
from .settings import Settings
from .vendor import AUTHORIZE_PATH, TOKEN_PATH, Vendor

__all__ = [
    "AUTHORIZE_PATH",
    "FAULT_FLAGS",
    "RELAXES",
    "SETTLED",
    "TOKEN_PATH",
    "Emulator",
    "Fault",
    "FaultFlag",
    "Reading",
    "ReadingError",
    "SeedError",
    "Settings",
    "StateError",
    "Vendor",
    "builtin_seed_path",
    "create_app",
    "known_readings",
    "parse_assignments",
    "read_seed",
]
