"""Spectral and Redocly, the pinned Node linters that ``scripts/install`` puts in node_modules."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..spec import openapi_dir
from .context import LintContext
from .findings import Finding, Severity
from .mirror import node_view
from .registry import check

NODE_ENV = {
    "REDOCLY_TELEMETRY": "off",
    "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true",
    "NO_COLOR": "1",
}
TIMEOUT_SECONDS = 120


class ToolMissing(Exception):
    pass


def node_bin(tool: str) -> Path:
    """``node_modules/.bin/<tool>``: from ``U4B_NODE_BIN``, the working directory upwards, or
    the project checkout this package belongs to."""
    override = os.environ.get("U4B_NODE_BIN")
    candidates = [Path(override)] if override else []
    here = Path.cwd().resolve()
    candidates += [parent / "node_modules" / ".bin" for parent in (here, *here.parents)]
    candidates.append(openapi_dir().parent / "node_modules" / ".bin")
    for folder in candidates:
        executable = folder / tool
        if executable.is_file() and os.access(executable, os.X_OK):
            return executable
    if shutil.which("node") is None:
        raise ToolMissing(f"{tool} needs Node.js, which is not on PATH; install Node, then run scripts/install")
    raise ToolMissing(f"{tool} is not installed; run scripts/install (it installs the pinned npm tools)")


def run_tool(arguments: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        arguments,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        env={**os.environ, **NODE_ENV},
        check=False,
    )


def _pointer_from_path(path: list[Any]) -> str:
    return "#" + "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _did_not_report(tool: str, result: subprocess.CompletedProcess[str]) -> Finding:
    detail = (result.stderr or result.stdout).strip().splitlines()
    last = detail[-1] if detail else "no output"
    return Finding(tool, "failed", f"{tool} did not report (exit {result.returncode}): {last}")


#: Spectral's levels (0 error, 1 warning, 2 information, 3 hint) and Redocly's, as findings'.
SPECTRAL_SEVERITY: dict[int, Severity] = {0: "error", 1: "warning", 2: "info", 3: "info"}
REDOCLY_SEVERITY: dict[str, Severity] = {"error": "error", "warn": "warning"}

#: What runs on a description that brings no ruleset of its own (and without --project-rules):
#: the tools' generic OpenAPI rules, none of this project's conventions.
GENERIC_SPECTRAL = 'extends: ["spectral:oas"]\n'
GENERIC_REDOCLY = "extends:\n  - recommended\n"


def _config(scratch: str, chosen: Path | None, name: str, generic: str) -> Path:
    """The configuration file to give a tool: the chosen one, or the generic one written to
    ``scratch``."""
    if chosen is not None:
        return chosen
    path = Path(scratch) / name
    path.write_text(generic, encoding="utf-8")
    return path


def _parsed(text: str) -> Any:
    try:
        return json.loads(text) if text.strip() else None
    except json.JSONDecodeError:
        return None


@check(
    "spectral",
    "Spectral: spectral:oas, or the spectral.yaml next to the description (the project's: --project-rules)",
    needs_node=True,
)
def spectral(ctx: LintContext) -> Iterator[Finding]:
    try:
        executable = node_bin("spectral")
    except ToolMissing as exc:
        yield Finding("spectral", "not-installed", str(exc))
        return
    with tempfile.TemporaryDirectory() as scratch, node_view(ctx.spec) as view:
        output = Path(scratch) / "spectral.json"
        result = run_tool(
            [
                str(executable),
                "lint",
                str(view.root),
                "--ruleset",
                str(_config(scratch, ctx.spectral_ruleset, "spectral.yaml", GENERIC_SPECTRAL)),
                "--format",
                "json",
                "--output",
                str(output),
                "--fail-severity",
                "error",
                "--quiet",
            ]
        )
        text = output.read_text(encoding="utf-8") if output.is_file() else ""
        root = view.root.resolve()
        results = _parsed(text)
        if isinstance(results, list):
            for item in results:
                source = item.get("source") if isinstance(item, dict) else None
                if isinstance(source, str):
                    item["source"] = None if Path(source).resolve() == root else view.shown(source)
    if not isinstance(results, list):
        yield _did_not_report("spectral", result)
        return
    for item in results:
        severity = SPECTRAL_SEVERITY.get(item.get("severity"), "info")
        pointer = _pointer_from_path(item.get("path", []))
        line = ((item.get("range") or {}).get("start") or {}).get("line")
        source = item.get("source")
        file = None if not source or Path(source).resolve() == ctx.spec.path.resolve() else source
        yield Finding(
            "spectral",
            str(item.get("code")),
            str(item.get("message")),
            pointer,
            line + 1 if isinstance(line, int) else None,
            file,
            severity,
        )


@check(
    "redocly",
    "Redocly lint: recommended, or the redocly.yaml next to the description (the project's: --project-rules)",
    needs_node=True,
)
def redocly(ctx: LintContext) -> Iterator[Finding]:
    try:
        executable = node_bin("redocly")
    except ToolMissing as exc:
        yield Finding("redocly", "not-installed", str(exc))
        return
    with tempfile.TemporaryDirectory() as scratch, node_view(ctx.spec) as view:
        result = run_tool(
            [
                str(executable),
                "lint",
                str(view.root),
                "--config",
                str(_config(scratch, ctx.redocly_config, "redocly.yaml", GENERIC_REDOCLY)),
                "--format",
                "json",
            ]
        )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        yield _did_not_report("redocly", result)
        return
    for problem in report.get("problems", []):
        location = (problem.get("location") or [{}])[0]
        line = (location.get("start") or {}).get("line")
        yield Finding(
            "redocly",
            str(problem.get("ruleId")),
            str(problem.get("message")),
            location.get("pointer"),
            line,
            severity=REDOCLY_SEVERITY.get(str(problem.get("severity")), "info"),
        )
