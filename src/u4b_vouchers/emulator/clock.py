"""A controllable clock: real time, shifted by an offset, or frozen at a chosen instant.

Every time-dependent rule (started programs, time windows, token expiry, code generation) reads
the time from here, so the control plane can move it.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class ClockState:
    now_ms: int
    frozen: bool
    offset_ms: int


class Clock:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offset_ms = 0
        self._frozen_at: int | None = None

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

    def unfreeze(self) -> None:
        """Let time run again from the current emulated instant."""
        current = self.now_ms()
        with self._lock:
            self._frozen_at = None
            self._offset_ms = current - self._real_ms()

    def set(self, now_ms: int) -> None:
        """Jump to ``now_ms``, keeping the frozen/running mode."""
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at = now_ms
            else:
                self._offset_ms = now_ms - self._real_ms()

    def advance(self, ms: int) -> None:
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at += ms
            else:
                self._offset_ms += ms

    def reset(self) -> None:
        with self._lock:
            self._offset_ms = 0
            self._frozen_at = None
