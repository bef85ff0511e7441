"""The README's code blocks, read as a newcomer reads them, and run.

Every fenced block of README.md is preceded by an HTML comment saying what the test does with
it, ``<!-- readme-test: ACTION [argument] -->``:

- ``run``: a ``console`` block (``$ `` starts a command, a trailing ``\\`` continues it, other
  lines are output the commands must print, in order; ``...`` stands for any lines, a line
  ending in ``...`` for any line that starts with the rest, and one starting with ``...`` for
  any line that ends with it) or a ``sh``
  block (every line a command). The block runs as one bash script (``set -eo pipefail``), so a
  variable set by one command reaches the next, as in one terminal.
- ``background``: a ``console`` block of one command that keeps its terminal (``serve``). It is
  started in the background, as in a second terminal, and the block's output lines must appear
  before the next block runs; it is stopped when the whole README has run.
- ``python``: a ``python`` block, run by the project's interpreter.
- ``file``: a block whose first line is ``# NAME`` (a comment naming the file); it is written to
  NAME, so later blocks can use it.
- ``steps``: a ``yaml`` block of GitHub Actions steps; each ``run:`` step runs in bash with
  GitHub's default options (``-eo pipefail``), ``$GITHUB_BASE_REF`` set to ``main``, and the
  processes it leaves behind stopped when it ends, as GitHub stops them at the end of a job.
  ``./scripts/install`` steps and ``uses:`` steps are left out (CI runs the install itself).
- ``skip REASON``: shown, not run (the reason says why: the vendor's sandbox, a benchmark).
- ``ci``: the set-up commands, which ``.ci/run`` runs on a clean clone.

Blocks run in the README's order in one folder: a copy of the project's tracked files made a git
repository with an ``origin`` whose ``main`` is the same commit, with the project's ``.venv`` and
``node_modules`` linked in (installing is ``.ci/run``'s part). The ports the README uses (8000,
8080, 8081) are replaced by free ports so the test cannot clash with anything listening on the machine.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ACTIONS = ("run", "background", "python", "file", "steps", "skip", "ci")
#: The ports the README uses (the emulator's, the proxy's, the proxy of the CI example), each
#: replaced by a free port of its own.
README_PORTS = ("8000", "8080", "8081")
_ANNOTATION = re.compile(r"<!--\s*readme-test:\s*(\w[\w-]*)\s*(.*?)\s*-->")
_FENCE = re.compile(r"^```(\w*)\s*$")


@dataclass(frozen=True)
class Block:
    """One fenced block: its info string, its text, the line it starts on, and the action."""

    lang: str
    text: str
    line: int
    action: str
    argument: str = ""

    @property
    def name(self) -> str:
        return f"README.md:{self.line}:{self.action}"


def blocks(readme: str) -> list[Block]:
    """Every fenced block, with the annotation on the line before it ("" when it has none)."""
    found: list[Block] = []
    lines = readme.splitlines()
    index = 0
    while index < len(lines):
        fence = _FENCE.match(lines[index])
        if not fence:
            index += 1
            continue
        start = index
        end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("```"))
        previous = lines[start - 1] if start else ""
        annotation = _ANNOTATION.search(previous)
        action, argument = (annotation.group(1), annotation.group(2)) if annotation else ("", "")
        found.append(Block(fence.group(1), "\n".join(lines[start + 1 : end]) + "\n", start + 1, action, argument))
        index = end + 1
    return found


@dataclass(frozen=True)
class Command:
    text: str
    output: tuple[str, ...]


def console_commands(text: str) -> list[Command]:
    """The commands of a console block, each with the output lines shown after it."""
    commands: list[Command] = []
    current: list[str] = []
    output: list[str] = []
    continuing = False
    for line in text.splitlines():
        if continuing:
            current.append(line)
            continuing = line.endswith("\\")
        elif line.startswith("$ "):
            if current:
                commands.append(Command("\n".join(current), tuple(output)))
            current, output = [line[2:]], []
            continuing = line.endswith("\\")
        elif current:
            output.append(line)
    if current:
        commands.append(Command("\n".join(current), tuple(output)))
    return commands


def sh_commands(text: str) -> list[Command]:
    return [Command(line, ()) for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def run_steps(text: str) -> list[str]:
    """The scripts of the ``run:`` steps of a YAML list of GitHub Actions steps."""
    import yaml

    steps = yaml.safe_load(text) or []
    scripts = []
    for step in steps:
        script = step.get("run") if isinstance(step, dict) else None
        if isinstance(script, str) and script.strip() != "./scripts/install":
            scripts.append(script)
    return scripts


def missing_output(expected: tuple[str, ...], printed: str) -> str | None:
    """The first expected line not printed, in order (``...`` skips any lines); None when all are."""
    lines = [line.rstrip() for line in printed.splitlines()]
    position = 0
    for shown in expected:
        want = shown.rstrip()
        if want.strip() == "...":
            continue
        prefix = want[:-3] if want.endswith("...") else None
        suffix = want[3:] if want.startswith("...") else None
        for index in range(position, len(lines)):
            line = lines[index]
            if (
                line == want
                or (prefix is not None and line.startswith(prefix))
                or (suffix is not None and line.endswith(suffix))
            ):
                position = index + 1
                break
        else:
            return want
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Workspace:
    """The newcomer's folder: a copy of the project as a git repository, and what runs in it."""

    root: Path
    #: A free port for each of :data:`README_PORTS`.
    ports: dict[str, int]
    env: dict[str, str]
    background: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def localise(self, text: str) -> str:
        """The README's text with its ports (after ``:`` or a space, as in ``localhost:8000`` or
        ``--port 8000``; not inside an id) replaced by the workspace's."""
        ports = "|".join(README_PORTS)
        return re.sub(rf"(?:(?<=:)|(?<=\s))({ports})(?![\w-])", lambda m: str(self.ports[m.group(1)]), text)

    def bash(self, script: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """Run ``script`` in bash as GitHub does (``-eo pipefail``); when bash exits, stop what it
        left running (a server started with ``&``), as GitHub does at the end of a job."""
        log = self.root / ".readme-script.log"
        with log.open("wb") as sink:
            process = subprocess.Popen(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                cwd=self.root,
                env=self.env,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            returncode = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            returncode = -1
        finally:
            _stop_group(process.pid)
        printed = log.read_text(encoding="utf-8", errors="replace")
        if returncode == -1:
            printed += f"\n[timed out after {timeout} s]"
        return subprocess.CompletedProcess(process.args, returncode, printed, "")

    def start(self, command: str, expected: tuple[str, ...], timeout: float = 60) -> str:
        """Start ``command`` as in a second terminal; wait until it printed ``expected``."""
        log = self.root / f".readme-background-{len(self.background)}.log"
        with log.open("wb") as sink:
            process = subprocess.Popen(
                ["bash", "--noprofile", "--norc", "-c", f"exec {command}"],
                cwd=self.root,
                env=self.env,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.background.append(process)
        deadline = time.monotonic() + timeout
        while True:
            printed = log.read_text(encoding="utf-8", errors="replace")
            if missing_output(expected, printed) is None:
                return printed
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"{command!r} did not print {expected!r}; it printed:\n{printed}")
            time.sleep(0.1)

    def stop(self) -> None:
        for process in self.background:
            _stop_group(process.pid, signal.SIGINT)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                _stop_group(process.pid, signal.SIGKILL)
                process.wait()
        self.background.clear()


def _stop_group(pid: int, sig: signal.Signals = signal.SIGTERM) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def make_workspace(project: Path, where: Path) -> Iterator[Workspace]:
    """Copy the project's tracked files (as they are in the working tree) to ``where/project``,
    commit them, give the copy an ``origin`` with the same ``main``, link the installed tools."""
    root = where / "project"
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=project,
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    for name in filter(None, listed):
        source = project / os.fsdecode(name)
        if not source.is_file() or source.is_symlink():
            continue
        target = root / os.fsdecode(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    for tool in (".venv", "node_modules"):
        if (project / tool).exists():
            (root / tool).symlink_to((project / tool).resolve())
    identity = ("-c", "user.name=README", "-c", "user.email=readme@example.invalid")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A", "--", ".", ":!.venv", ":!node_modules")
    _git(root, *identity, "commit", "-q", "-m", "the README's folder")
    _git(where, "clone", "-q", "--bare", str(root), str(where / "origin.git"))
    _git(root, "remote", "add", "origin", str(where / "origin.git"))
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "COV_", "U4B_")) and key not in ("PYTHONPATH", "VIRTUAL_ENV")
    }
    env.update({"GITHUB_BASE_REF": "main", "PYTHONPATH": os.environ.get("PYTHONPATH", ""), "COLUMNS": "100"})
    workspace = Workspace(root, {port: free_port() for port in README_PORTS}, env)
    try:
        yield workspace
    finally:
        workspace.stop()
