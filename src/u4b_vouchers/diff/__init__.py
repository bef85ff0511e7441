"""The breaking-change gate: compare two OpenAPI descriptions (files or git revisions).

``load`` reads a description (``path`` or ``git:REF:path``); ``diff`` lists every change as a
:class:`Finding` with a stable rule id (oasdiff's where one corresponds) and a level.
"""

from __future__ import annotations

from .compare import diff
from .config import DiffConfig
from .findings import Finding
from .formats import FORMATS, RENDERERS
from .load import Document, SourceError, load, validate
from .registry import CHECKS, Check
from .replay import RecordingError, load_description, load_recordings, replay
from .rules import BREAKING, INFO, LEVELS, RULES, WARNING, ChangeRule

__all__ = [
    "BREAKING",
    "CHECKS",
    "FORMATS",
    "INFO",
    "LEVELS",
    "RENDERERS",
    "RULES",
    "WARNING",
    "ChangeRule",
    "Check",
    "DiffConfig",
    "Document",
    "Finding",
    "RecordingError",
    "SourceError",
    "diff",
    "load",
    "load_description",
    "load_recordings",
    "replay",
    "validate",
]
