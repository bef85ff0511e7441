"""Where a client sends its requests and asks for its tokens: the description's servers, or any
other base URL (an emulator)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from urllib.parse import urlsplit

from ._operations import server_url
from ._operations import token_url as described_token_url


@dataclass(frozen=True)
class Environment:
    """A base URL for the API and the token URL that goes with it.

    ``Environment.SANDBOX`` and ``Environment.PRODUCTION`` are the description's servers, with
    its OAuth token URL; :meth:`custom` is any other server, an emulator for instance.
    """

    name: str
    base_url: str
    token_url: str

    SANDBOX: ClassVar[Environment]
    PRODUCTION: ClassVar[Environment]

    def __post_init__(self) -> None:
        for label, url in (("base_url", self.base_url), ("token_url", self.token_url)):
            if not url.startswith(("http://", "https://")):
                raise ValueError(f"{label} must start with http:// or https://, not {url!r}")
        object.__setattr__(self, "base_url", self.base_url.rstrip("/"))

    @classmethod
    def custom(cls, base_url: str, *, token_url: str | None = None, name: str = "custom") -> Environment:
        """A server of your own: ``token_url`` defaults to the base URL with the path of the
        description's token URL (``/oauth/v2/token``), where the emulator serves tokens."""
        if token_url is None:
            token_url = base_url.rstrip("/") + urlsplit(described_token_url()).path
        return cls(name, base_url, token_url)


# The description has one token URL, for both of its servers.
Environment.SANDBOX = Environment("sandbox", server_url("Sandbox"), described_token_url())
Environment.PRODUCTION = Environment("production", server_url("Production"), described_token_url())
