"""The breaking-change gate: compare two OpenAPI descriptions (files or git revisions).

``load`` reads a description (``path`` or ``git:REF:path``); ``diff`` lists every change as a
:class:`Finding` with a stable rule id (oasdiff's where one corresponds) and a level.
"""

from __future__ import annotations

from .compare import diff
from .config import DiffConfig, postprocess
from .config_file import (
    CONFIG_KEYS,
    ConfigFileError,
    read_config,
    read_days,
    read_elements,
    read_fail_on,
    read_format,
    read_level,
    read_profile,
)
from .filters import ELEMENTS, FilterError, compile_path, filter_findings
from .findings import Finding
from .formats import FORMATS, RENDERERS
from .ignore import apply_ignore, parse_ignore
from .levels import PROFILES, U4B, LevelsError, apply_levels, parse_severity_levels
from .load import Document, SourceError, load, validate
from .registry import CHECKS, Check
from .replay import RecordingError, load_description, load_recordings, replay
from .rules import BREAKING, INFO, LEVELS, RULES, WARNING, ChangeRule

__all__ = [
    "BREAKING",
    "CHECKS",
    "CONFIG_KEYS",
    "ELEMENTS",
    "FORMATS",
    "INFO",
    "LEVELS",
    "PROFILES",
    "RENDERERS",
    "RULES",
    "U4B",
    "WARNING",
    "ChangeRule",
    "Check",
    "ConfigFileError",
    "DiffConfig",
    "Document",
    "FilterError",
    "Finding",
    "LevelsError",
    "RecordingError",
    "SourceError",
    "apply_ignore",
    "apply_levels",
    "compile_path",
    "diff",
    "filter_findings",
    "load",
    "load_description",
    "load_recordings",
    "parse_ignore",
    "parse_severity_levels",
    "postprocess",
    "read_config",
    "read_days",
    "read_elements",
    "read_fail_on",
    "read_format",
    "read_level",
    "read_profile",
    "replay",
    "validate",
]
