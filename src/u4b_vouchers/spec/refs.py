"""Where a ``$ref`` may lead: files under one root folder, never a URL, never a special file.

Every loader asks :class:`RefPolicy` before it reads a referenced file, so a description from
a pull request cannot make a command read ``/etc/passwd`` or fetch a URL. A refused reference
is a one-line :class:`SpecError` naming the reference and the file holding it; the target is
never opened, so nothing of it can appear in any output.
"""

from __future__ import annotations

import os
import posixpath
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import SpecError

REF = "$ref"
_SHOWN = 200  # characters of a reference quoted in a message


def shown_ref(ref: str) -> str:
    """``ref`` quoted for a one-line message (control characters escaped, long ones cut)."""
    return repr(ref if len(ref) <= _SHOWN else ref[:_SHOWN] + "...")


def refused(ref: str, holder: str, reason: str) -> SpecError:
    return SpecError(f"$ref {shown_ref(ref)} refused: {reason}", path=holder)


def split_ref(ref: str) -> tuple[str, str]:
    """(file part, fragment) of a reference; the file part is empty for ``#/...``."""
    file_part, _, fragment = ref.partition("#")
    return file_part, fragment


def is_remote(ref: str) -> bool:
    """A reference with a scheme (``http:``, ``file:``, ``urn:``...) or a host (``//host/x``)."""
    parts = urlsplit(ref)
    return bool(parts.scheme or parts.netloc)


@dataclass(frozen=True)
class RefPolicy:
    """Files under ``root`` (a real path: symlinks resolved) may be referenced; nothing else."""

    root: Path

    @classmethod
    def beside(cls, description: str | Path, root: str | Path | None = None) -> RefPolicy:
        """The policy for a description file: its own folder, or ``root`` when named."""
        folder = Path(root) if root is not None else Path(os.path.realpath(description)).parent
        if root is not None and not folder.is_dir():
            raise SpecError("--ref-root: no such folder", path=str(root))
        return cls(Path(os.path.realpath(folder)))

    def target(self, ref: str, holder: str | Path) -> Path | None:
        """The real path of the file ``ref`` (held in file ``holder``) names; None for a
        reference inside the same document. SpecError when the policy refuses it."""
        file_part, _ = split_ref(ref)
        if is_remote(ref):
            return self._refuse(ref, holder, "a URL (only files under the description's folder are read)")
        if not file_part:
            return None
        name = unquote(file_part)
        if "\0" in name:
            return self._refuse(ref, holder, "not a file name")
        base = os.path.dirname(os.path.realpath(holder))
        reason = self.why_not(os.path.join(base, name))
        if reason is not None:
            return self._refuse(ref, holder, reason)
        return Path(os.path.realpath(os.path.join(base, name)))

    def why_not(self, path: str | Path) -> str | None:
        """Why the file at ``path`` may not be read (None when it may, or does not exist)."""
        real = Path(os.path.realpath(path))
        if not real.is_relative_to(self.root):
            return f"outside {self.root} (use --ref-root to widen)"
        try:
            mode = os.stat(real).st_mode
        except (FileNotFoundError, NotADirectoryError):
            return None  # missing: the reader says so
        except OSError as exc:
            return f"cannot be read ({exc.strerror})"
        return None if stat.S_ISREG(mode) else "not a regular file"

    def _refuse(self, ref: str, holder: str | Path, reason: str) -> Path:
        raise refused(ref, str(holder), reason)


def inside(path: str, root: str) -> bool:
    """Whether the normalised repository path ``path`` lies under ``root`` (both POSIX)."""
    if posixpath.isabs(path):
        return False
    normal = posixpath.normpath(path)
    base = posixpath.normpath(root) if root else "."
    if normal == ".." or normal.startswith("../"):
        return False
    return base in (".", normal) or normal.startswith(base.rstrip("/") + "/")
