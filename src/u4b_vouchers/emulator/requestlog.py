"""The request log the control plane serves: what was called, and what it got."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Entry:
    time_ms: int
    method: str
    path: str
    operation: str | None
    status: int
    rule: str | None
    duration_ms: float


class RequestLog:
    def __init__(self, size: int = 10_000):
        self._lock = threading.Lock()
        self._entries: deque[Entry] = deque(maxlen=size)

    def add(self, entry: Entry) -> None:
        with self._lock:
            self._entries.append(entry)

    def recent(self, limit: int) -> list[dict[str, Any]]:
        with self._lock:
            entries = list(self._entries)[-limit:] if limit > 0 else []
        return [asdict(e) for e in entries]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
