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
