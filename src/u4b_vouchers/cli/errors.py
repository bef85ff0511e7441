"""How commands fail: a one-line message and exit code 2, never a traceback."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


class CliError(Exception):
    """Bad input or environment; ``main`` prints ``u4b-vouchers: error: <message>`` and exits 2."""
