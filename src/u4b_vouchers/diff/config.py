"""What a run of the gate is told: the options oasdiff users set, in one object.

The checks read the lifecycle settings (deprecation days); the rest (levels, ignores, paths)
is applied to the findings after the checks ran.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class DiffConfig:
    #: Minimum days between deprecating and removing something of stability ``beta`` / ``stable``
    #: (oasdiff's defaults: none).
    deprecation_days_beta: int = 0
    deprecation_days_stable: int = 0
    #: The day sunset dates are compared with (today, unless a test or a config pins it).
    today: date = field(default_factory=date.today)
