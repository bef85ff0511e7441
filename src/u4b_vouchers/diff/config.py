"""What a run of the gate is told: the options oasdiff users set, in one object.

The checks read the lifecycle settings (deprecation days); the rest (levels, ignores, paths)
is applied to the findings after the checks ran, by :func:`postprocess`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from .filters import filter_findings
from .findings import Finding
from .ignore import apply_ignore
from .levels import DEFAULT_PROFILE, apply_levels, profile
from .rules import BREAKING, WARNING


@dataclass(frozen=True)
class DiffConfig:
    #: Minimum days between deprecating and removing something of stability ``beta`` / ``stable``
    #: (oasdiff's defaults: none).
    deprecation_days_beta: int = 0
    deprecation_days_stable: int = 0
    #: The day sunset dates are compared with (today, unless a test or a config pins it).
    today: date = field(default_factory=date.today)
    #: ``--levels``: a profile of :data:`~.levels.PROFILES` (``oasdiff``: the rule table's levels).
    level_profile: str = DEFAULT_PROFILE
    #: ``--severity-levels``: rule id -> level (None drops the rule), over the profile.
    severity_levels: dict[str, str | None] = field(default_factory=dict, hash=False)
    #: ``--err-ignore`` / ``--warn-ignore``: the lines of the ignore files (see :mod:`.ignore`).
    err_ignore: tuple[str, ...] = ()
    warn_ignore: tuple[str, ...] = ()
    #: ``--match-path`` / ``--unmatch-path``: regular expressions searched in each finding's path.
    match_path: str = ""
    unmatch_path: str = ""
    #: ``--exclude-elements``: names of :data:`~.filters.ELEMENTS`.
    exclude_elements: tuple[str, ...] = ()

    def levels(self) -> dict[str, str | None]:
        """Rule id -> level: the profile's, then the severity-levels file's."""
        return {**profile(self.level_profile), **self.severity_levels}


def postprocess(findings: Iterable[Finding], config: DiffConfig) -> list[Finding]:
    """The findings a run reports: on the selected paths and elements, at the configured
    levels (a rule set to NONE dropped), without those an ignore file of their level names."""
    kept = filter_findings(findings, config.match_path, config.unmatch_path, config.exclude_elements)
    kept = apply_levels(kept, config.levels())
    kept = apply_ignore(kept, BREAKING, config.err_ignore)
    return apply_ignore(kept, WARNING, config.warn_ignore)
