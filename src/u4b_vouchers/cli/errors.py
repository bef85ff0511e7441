"""How commands fail: a one-line message and exit code 2, never a traceback; and how each
command's ``--help`` lists its exit codes (:func:`exit_codes_epilog`)."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
#: The longest line of an exit-code epilog (a meaning goes on under itself).
WIDTH = 88


class CliError(Exception):
    """Bad input or environment; ``main`` prints ``u4b-vouchers: error: <message>`` and exits 2."""


def exit_codes_epilog(codes: Mapping[int, str]) -> str:
    """The ``exit codes:`` block of a command's ``--help``, a line per code in ascending order
    (a long meaning wrapped, its next lines indented under it)::

        exit codes:
          0  <meaning>
          1  <meaning>

    for a parser with ``formatter_class=argparse.RawDescriptionHelpFormatter`` (which keeps the
    lines as they are)."""
    if not codes:
        raise ValueError("a command has at least one exit code")
    width = max(len(str(code)) for code in codes)
    lines = ["exit codes:"]
    for code, meaning in sorted(codes.items()):
        lines += textwrap.wrap(
            meaning,
            WIDTH,
            initial_indent=f"  {code:<{width}}  ",
            subsequent_indent=" " * (width + 4),
            break_on_hyphens=False,
        )
    return "\n".join(lines)
