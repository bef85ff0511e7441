"""ISO 8601 durations (``P1Y``, ``-PT24H``) as the rules write them: moved instants, and lengths.

Years and months are calendar units when added to an instant (a year after 29 February is 28
February); weeks, days and time units are fixed lengths. :attr:`Duration.days` is an
approximate length for ranking two durations, not for arithmetic on dates.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

_PATTERN = re.compile(
    r"^(?P<sign>-)?P(?:(?P<Y>\d+)Y)?(?:(?P<Mo>\d+)M)?(?:(?P<W>\d+)W)?(?:(?P<D>\d+)D)?"
    r"(?:T(?:(?P<H>\d+)H)?(?:(?P<Mi>\d+)M)?(?:(?P<S>\d+)S)?)?$"
)


@dataclass(frozen=True)
class Duration:
    sign: int
    years: int = 0
    months: int = 0
    delta: timedelta = timedelta(0)

    def add_to(self, epoch_ms: int) -> int:
        """``epoch_ms`` (UTC) moved by this duration."""
        moment = datetime.fromtimestamp(epoch_ms / 1000, tz=UTC)
        total_months = moment.month - 1 + self.sign * (self.years * 12 + self.months)
        year, month = moment.year + total_months // 12, total_months % 12 + 1
        day = min(moment.day, calendar.monthrange(year, month)[1])
        moment = moment.replace(year=year, month=month, day=day)
        moment += self.sign * self.delta
        return round(moment.timestamp() * 1000)

    @property
    def days(self) -> float:
        """The approximate length in days (negative for a duration before the reference)."""
        calendar_days = self.years * 365.25 + self.months * 30.44
        return self.sign * (calendar_days + self.delta.total_seconds() / 86_400)


@lru_cache(maxsize=256)
def parse_duration(text: str) -> Duration:
    """``ValueError`` unless ``text`` is an ISO 8601 duration with at least one part."""
    match = _PATTERN.match(text) if isinstance(text, str) else None
    if not match or all(v is None for k, v in match.groupdict().items() if k != "sign"):
        raise ValueError(f"not an ISO 8601 duration: {text!r}")
    part = {k: int(v) if v else 0 for k, v in match.groupdict().items() if k != "sign"}
    return Duration(
        sign=-1 if match.group("sign") else 1,
        years=part["Y"],
        months=part["Mo"],
        delta=timedelta(weeks=part["W"], days=part["D"], hours=part["H"], minutes=part["Mi"], seconds=part["S"]),
    )


def shift(epoch_ms: int, duration: str) -> int:
    """``epoch_ms`` moved by ``duration`` (which may be negative)."""
    return parse_duration(duration).add_to(epoch_ms)
