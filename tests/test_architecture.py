"""Imports between layers follow the table in ARCHITECTURE.md."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "src" / "u4b_vouchers"


def allowed_imports() -> dict[str, set[str]]:
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    table = text.split("<!-- layers:start -->", 1)[1].split("<!-- layers:end -->", 1)[0]
    allowed: dict[str, set[str]] = {}
    for row in table.strip().splitlines()[2:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        allowed[cells[0].strip("`")] = set(re.findall(r"`([a-z_]+)`", cells[2]))
    return allowed


def imported_layers(file: Path, package: Path = PACKAGE) -> set[str]:
    """Layers of u4b_vouchers that ``file`` imports (absolute or relative imports)."""
    tree = ast.parse(file.read_text(encoding="utf-8"))
    own = file.relative_to(package).parts
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(own[:-1])[: len(own) - node.level]
                target = [*base, *(node.module or "").split(".")] if node.module else base
                if not target:  # `from .. import x` at the package root: x names the layer
                    found.update(alias.name for alias in node.names)
                    continue
                found.add(target[0])
            elif node.module and node.module.startswith("u4b_vouchers."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("u4b_vouchers."):
                    found.add(alias.name.split(".")[1])
    return found


def test_the_table_lists_every_layer() -> None:
    layers = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    layers |= {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    assert set(allowed_imports()) == layers


def test_layers_import_only_what_the_table_allows() -> None:
    allowed = allowed_imports()
    violations = []
    for file in PACKAGE.rglob("*.py"):
        parts = file.relative_to(PACKAGE).parts
        if parts == ("__init__.py",):
            continue  # the package root holds only the version
        layer = parts[0].removesuffix(".py")
        for other in imported_layers(file) - {layer, "__version__", "__init__"}:
            if other not in allowed[layer]:
                violations.append(f"{file.relative_to(ROOT)} imports {other}")
    assert violations == []


def test_import_detection(tmp_path: Path) -> None:
    module = tmp_path / "spec" / "thing.py"
    module.parent.mkdir()
    module.write_text(
        "from ..lint import CHECKS\nfrom . import pointer\nimport u4b_vouchers.cli.main\n"
        "from u4b_vouchers.diff import x\nfrom .. import emulator\n"
    )
    assert imported_layers(module, tmp_path) == {"lint", "spec", "cli", "diff", "emulator"}
    top = tmp_path / "profile.py"
    top.write_text("from .spec import x\nfrom . import lint\n")
    assert imported_layers(top, tmp_path) == {"spec", "lint"}


def deep_imports(file: Path, package: Path = PACKAGE) -> list[str]:
    """Imports of another layer's submodules (past its curated ``__init__``)."""
    tree = ast.parse(file.read_text(encoding="utf-8"))
    own = file.relative_to(package).parts if file.is_relative_to(package) else ()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level and node.module:
                base = list(own[:-1])[: len(own) - node.level]
                target = [*base, *node.module.split(".")]
            elif node.module and node.module.startswith("u4b_vouchers."):
                target = node.module.split(".")[1:]
            else:
                continue
        elif isinstance(node, ast.Import):
            target = next((a.name.split(".")[1:] for a in node.names if a.name.startswith("u4b_vouchers.")), [])
        else:
            continue
        layer_of_file = own[0].removesuffix(".py") if own else None
        if len(target) > 1 and target[0] != layer_of_file:
            found.append(".".join(target))
    return found


def test_other_layers_are_imported_through_their_init() -> None:
    """A layer's submodules are private to it: other layers, the contract suites, the
    benchmarks and the scripts import only what its ``__init__`` exports."""
    files = [*PACKAGE.rglob("*.py"), *(ROOT / "contract_tests").rglob("*.py"), *(ROOT / "benchmarks").rglob("*.py")]
    found = [f"{file.relative_to(ROOT)}: {target}" for file in files for target in deep_imports(file)]
    assert found == []


def test_deep_import_detection(tmp_path: Path) -> None:
    module = tmp_path / "cli" / "thing.py"
    module.parent.mkdir()
    module.write_text("from ..diff.replay import x\nfrom ..diff import y\nfrom .errors import z\n")
    assert deep_imports(module, tmp_path) == ["diff.replay"]


EMULATOR = PACKAGE / "emulator"
#: Inside the emulator, who may import whom: the request path runs one way, and the HTTP side
#: (app, pipeline, handlers, control) is assembled around the vendor, never imported by it.
HTTP_SIDE = {"app", "pipeline", "handlers", "control"}


def emulator_imports() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for file in EMULATOR.glob("*.py"):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        targets: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                if node.module:
                    targets.add(node.module.split(".")[0])
                else:
                    targets.update(alias.name for alias in node.names)
        graph[file.stem] = targets - {"__init__"}
    return graph


def test_the_emulator_has_no_import_cycles() -> None:
    graph = emulator_imports()
    cycles = []

    def visit(module: str, path: list[str]) -> None:
        for target in sorted(graph.get(module, ())):
            if target in path:
                cycles.append(" -> ".join([*path[path.index(target) :], target]))
            elif target in graph:
                visit(target, [*path, target])

    for module in sorted(graph):
        visit(module, [module])
    assert cycles == []


def test_the_domain_knows_no_http_and_no_drift() -> None:
    graph = emulator_imports()
    for module in ("store", "rulebook", "auth", "paging", "validation", "readings", "catalogue"):
        assert graph[module] & (HTTP_SIDE | {"drift", "responses", "vendor"}) == set(), module
    assert graph["vendor"] & HTTP_SIDE == set()  # the vendor owns drift and readings, not HTTP
    starlette_users = {file.stem for file in EMULATOR.glob("*.py") if "starlette" in file.read_text(encoding="utf-8")}
    assert starlette_users <= HTTP_SIDE | {"responses"}
