"""A controllable clock: real time, shifted by an offset, or frozen at a chosen instant.

Every time-dependent rule (started programs, time windows, token expiry, code generation) reads
the time from here, so the control plane can move it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ClockState:
    now_ms: int
    frozen: bool
    offset_ms: int


class Clock:
    """``on_change``, when set, is called after every move (the vendor saves the clock there)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offset_ms = 0
        self._frozen_at: int | None = None
        self.on_change: Callable[[], None] | None = None

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()

    def snapshot(self) -> dict[str, Any]:
        """What :meth:`restore` needs to put this clock back, e.g. after a restart."""
        with self._lock:
            return {"frozen_at": self._frozen_at, "offset_ms": self._offset_ms}

    def restore(self, snapshot: dict[str, Any]) -> None:
        frozen, offset = snapshot.get("frozen_at"), snapshot.get("offset_ms")
        if not isinstance(offset, int) or not (frozen is None or isinstance(frozen, int)):
            raise ValueError("a clock snapshot holds an integer offset_ms and frozen_at (or null)")
        with self._lock:
            self._frozen_at, self._offset_ms = frozen, offset

    @staticmethod
    def _real_ms() -> int:
        return time.time_ns() // 1_000_000

    def now_ms(self) -> int:
        with self._lock:
            if self._frozen_at is not None:
                return self._frozen_at
            return self._real_ms() + self._offset_ms

    def state(self) -> ClockState:
        with self._lock:
            frozen = self._frozen_at is not None
            now = self._frozen_at if self._frozen_at is not None else self._real_ms() + self._offset_ms
            return ClockState(now_ms=now, frozen=frozen, offset_ms=now - self._real_ms())

    def freeze(self, at_ms: int | None = None) -> None:
        """Stop time, at ``at_ms`` or at the current emulated time."""
        current = self.now_ms()
        with self._lock:
            self._frozen_at = current if at_ms is None else at_ms
        self._changed()

    def unfreeze(self) -> None:
        """Let time run again from the current emulated instant."""
        current = self.now_ms()
        with self._lock:
            self._frozen_at = None
            self._offset_ms = current - self._real_ms()
        self._changed()

    def set(self, now_ms: int) -> None:
        """Jump to ``now_ms``, keeping the frozen/running mode."""
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at = now_ms
            else:
                self._offset_ms = now_ms - self._real_ms()
        self._changed()

    def advance(self, ms: int) -> None:
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at += ms
            else:
                self._offset_ms += ms
        self._changed()

    def reset(self) -> None:
        with self._lock:
            self._offset_ms = 0
            self._frozen_at = None
        self._changed()
