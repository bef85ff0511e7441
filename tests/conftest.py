"""Shared fixtures: the project's description, and mutable copies of it for negative tests."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from u4b_vouchers.spec import SchemaValidator, Spec, load_spec, openapi_dir

ROOT = Path(__file__).resolve().parents[1]
COMPANIONS = (
    "inventory.yaml",
    "DECISIONS.md",
    "extensions.md",
    "x-u4b-rules.schema.yaml",
    "spectral.yaml",
    "redocly.yaml",
)

Mutator = Callable[[dict[str, Any]], None]


@pytest.fixture(scope="session")
def spec() -> Spec:
    return load_spec()


@pytest.fixture(scope="session")
def validator(spec: Spec) -> SchemaValidator:
    return SchemaValidator(spec)


@pytest.fixture
def spec_copy(tmp_path: Path) -> Callable[..., Path]:
    """Write a copy of the description (mutated by ``mutate``) beside copies of its companion
    files, and return its path. ``inventory`` may mutate the inventory copy too."""

    def make(mutate: Mutator | None = None, inventory: Mutator | None = None) -> Path:
        source = openapi_dir()
        for name in COMPANIONS:
            shutil.copy(source / name, tmp_path / name)
        data = yaml.safe_load((source / "vouchers.yaml").read_text(encoding="utf-8"))
        if mutate is not None:
            mutate(data)
        target = tmp_path / "vouchers.yaml"
        target.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        if inventory is not None:
            inv = yaml.safe_load((tmp_path / "inventory.yaml").read_text(encoding="utf-8"))
            inventory(inv)
            (tmp_path / "inventory.yaml").write_text(yaml.safe_dump(inv, sort_keys=False), encoding="utf-8")
        return target

    return make


def operation(data: dict[str, Any], operation_id: str) -> dict[str, Any]:
    """The operation object with this id in a raw description."""
    for item in data["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and op.get("operationId") == operation_id:
                return op
    raise KeyError(operation_id)


def rule(data: dict[str, Any], rule_id: str) -> dict[str, Any]:
    for item in data["x-u4b-rules"]:
        if item["id"] == rule_id:
            return item
    raise KeyError(rule_id)
