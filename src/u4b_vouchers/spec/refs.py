"""Where a ``$ref`` may lead: files under one root folder, never a special file, and a URL
only when the user opted in (``--allow-remote-refs``: then ``http:``/``https:`` only).

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
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from .errors import SpecError
from .remote import FLAG, Fetcher, is_web_url

#: Where a document is: the real path of a file, or the URL of a fetched one.
Location = Path | str

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


URL_REFUSED = f"a URL (pass {FLAG} to fetch it)"


def remote_target(ref: str, holder: str | Path, fetcher: Fetcher | None) -> str | None:
    """The URL (fragment dropped) a reference names when it or its holder is remote; None for
    a local reference from a local file. SpecError when the URL may not be fetched: no
    ``fetcher`` (the user did not opt in), or a scheme other than ``http:``/``https:``."""
    file_part, _ = split_ref(ref)
    holder_text = str(holder)
    if is_web_url(holder_text):
        url = urldefrag(urljoin(holder_text, file_part))[0] if file_part else urldefrag(holder_text)[0]
    elif is_remote(ref):
        url = urldefrag(ref)[0]
    else:
        return None
    if not is_web_url(url):
        raise refused(ref, holder_text, "a URL that is not http(s) (only http: and https: are ever fetched)")
    if fetcher is None:
        raise refused(ref, holder_text, URL_REFUSED)
    return url


@dataclass(frozen=True)
class RefPolicy:
    """Files under ``root`` (a real path: symlinks resolved) may be referenced, and http(s)
    URLs when ``fetcher`` is set; nothing else."""

    root: Path
    fetcher: Fetcher | None = None

    @classmethod
    def beside(
        cls, description: str | Path, root: str | Path | None = None, fetcher: Fetcher | None = None
    ) -> RefPolicy:
        """The policy for a description file: its own folder, or ``root`` when named."""
        folder = Path(root) if root is not None else Path(os.path.realpath(description)).parent
        if root is not None and not folder.is_dir():
            raise SpecError("--ref-root: no such folder", path=str(root))
        return cls(Path(os.path.realpath(folder)), fetcher)

    def fetch(self, url: str) -> Any:
        """The parsed document at an admitted URL."""
        if self.fetcher is None:
            raise refused(url, "", URL_REFUSED)
        return self.fetcher.fetch(url)

    def target(self, ref: str, holder: str | Path) -> Location | None:
        """Where ``ref`` (held in the document at ``holder``) leads: the real path of a file,
        or a URL (as a str); None for a reference inside the same local document. SpecError
        when the policy refuses it."""
        file_part, _ = split_ref(ref)
        url = remote_target(ref, holder, self.fetcher)
        if url is not None:
            return url
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
