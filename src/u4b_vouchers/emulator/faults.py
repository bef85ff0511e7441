"""Injected faults: make the next N calls of an operation fail (500), throttle (429) or stall."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from typing import Any

KINDS = ("error", "rate-limit", "delay")
ANY_OPERATION = "*"


@dataclass
class Fault:
    operation: str
    kind: str
    remaining: int
    retry_after: int = 1
    delay_ms: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class FaultInjector:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> None:
        if fault.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}")
        if fault.remaining < 1:
            raise ValueError("count must be at least 1")
        with self._lock:
            self._faults.append(fault)

    def take(self, operation_id: str) -> Fault | None:
        """The first pending fault for this operation, used up by one call."""
        with self._lock:
            for fault in self._faults:
                if fault.operation in (operation_id, ANY_OPERATION):
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self._faults.remove(fault)
                    return Fault(**asdict(fault))
        return None

    def pending(self) -> list[dict[str, Any]]:
        with self._lock:
            return [fault.as_dict() for fault in self._faults]

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
