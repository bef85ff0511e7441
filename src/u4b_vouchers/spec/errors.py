"""The one exception type spec loading raises."""

from __future__ import annotations


class SpecError(Exception):
    """A description could not be read or does not have the expected shape.

    ``str(error)`` is a single line naming the file (and line, when known).
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        self.message = message
        self.path = path
        self.line = line
        where = path or ""
        if path and line:
            where = f"{path}:{line}"
        super().__init__(f"{where}: {message}" if where else message)
