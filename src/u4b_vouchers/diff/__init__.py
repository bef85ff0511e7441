"""The breaking-change gate: compare two OpenAPI descriptions (files or git revisions).

``load`` reads a description (``path`` or ``git:REF:path``); ``diff`` lists every change as a
:class:`Finding` with a stable rule id (oasdiff's where one corresponds) and a level.
"""

from __future__ import annotations

from .compare import diff
from .findings import Finding
from .load import Document, SourceError, load
from .rules import BREAKING, INFO, LEVELS, RULES, WARNING, ChangeRule

__all__ = [
    "BREAKING",
    "INFO",
    "LEVELS",
    "RULES",
    "WARNING",
    "ChangeRule",
    "Document",
    "Finding",
    "SourceError",
    "diff",
    "load",
]
