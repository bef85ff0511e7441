"""Accepted findings: a gate can be adopted on a target with known deviations and fail only on
new ones. A baseline lists finding fingerprints (see findings.py), which name the check, rule,
operation, kind of deviation and probe or field, so it accepts exactly the findings it was
written on and never a new one that happens to share their rule.

The file is JSON: ``{"accepted": [{"fingerprint": ..., "check": ..., "rule": ..., "message": ...}]}``;
only ``fingerprint`` is read, the rest is there for the people who review the file.
"""

from __future__ import annotations

import json
from pathlib import Path

from u4b_vouchers.spec import SpecError, parse_json, read_text

from .results import RunResult

SHAPE = '{"accepted": [{"fingerprint": ...}, ...]}'


class BaselineError(Exception):
    pass


def load_baseline(path: Path) -> frozenset[str]:
    if not path.exists():
        raise BaselineError(f"{path}: no such baseline file")
    try:  # bounded as every file the tools read: a regular UTF-8 file, size and depth capped
        data = parse_json(read_text(path), str(path))
    except SpecError as exc:
        raise BaselineError(f"not a baseline file: {exc}") from None
    entries = data.get("accepted") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise BaselineError(f"{path}: expected {SHAPE}")
    if any("fingerprint" not in e for e in entries):
        if all("check" in e and "rule" in e for e in entries):
            raise BaselineError(
                f"{path}: an old baseline keyed by check and rule, which would accept new findings; "
                "write a new one with --write-baseline"
            )
        raise BaselineError(f"{path}: every entry needs a fingerprint; expected {SHAPE}")
    if not all(isinstance(e["fingerprint"], str) for e in entries):
        raise BaselineError(f"{path}: fingerprints are strings; expected {SHAPE}")
    return frozenset(e["fingerprint"] for e in entries)


def baseline_of(run: RunResult) -> str:
    """A baseline accepting every finding of ``run`` (warnings included)."""
    accepted = [
        {
            "fingerprint": f.fingerprint,
            "check": f.check,
            "rule": f.rule,
            "severity": f.severity,
            "where": f.where(),
            "message": f.message,
        }
        for f in run.findings
    ]
    return json.dumps({"target": run.target, "accepted": accepted}, indent=2) + "\n"
