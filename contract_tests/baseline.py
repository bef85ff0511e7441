"""Accepted deviations: a gate can be adopted on a target with known deviations, and fail only
on new ones. The file is JSON: {"accepted": [{"check": ..., "rule": ..., "reason": ...}]}."""

from __future__ import annotations

import json
from pathlib import Path

from .results import FAILED, RunResult


class BaselineError(Exception):
    pass


def load_baseline(path: Path) -> frozenset[str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{path}: no such baseline file") from None
    except (OSError, ValueError) as exc:
        raise BaselineError(f"{path}: not a baseline file ({exc})") from None
    except RecursionError:
        raise BaselineError(f"{path}: nested too deeply to read") from None
    entries = data.get("accepted") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not all(isinstance(e, dict) and "check" in e and "rule" in e for e in entries):
        raise BaselineError(f'{path}: expected {{"accepted": [{{"check": ..., "rule": ...}}]}}')
    return frozenset(f"{e['check']}::{e['rule']}" for e in entries)


def baseline_of(run: RunResult) -> str:
    """A baseline accepting every deviation of ``run``."""
    accepted = [{"check": r.check, "rule": r.rule, "reason": r.message} for r in run.results if r.status == FAILED]
    return json.dumps({"target": run.target, "accepted": accepted}, indent=2) + "\n"
