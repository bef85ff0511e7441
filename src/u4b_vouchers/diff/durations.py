"""ISO 8601 durations as approximate day counts, for ranking (not for arithmetic on dates)."""

from __future__ import annotations

import re

_PATTERN = re.compile(r"^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")


def to_days(duration: str) -> float:
    match = _PATTERN.match(duration)
    if not match:
        raise ValueError(f"not an ISO 8601 duration: {duration!r}")
    sign = -1 if match.group(1) else 1
    y, mo, w, d, h, mi, s = (int(g) if g else 0 for g in match.groups()[1:])
    return sign * (y * 365.25 + mo * 30.44 + w * 7 + d + h / 24 + mi / 1440 + s / 86400)
