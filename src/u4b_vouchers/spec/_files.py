"""Where the OpenAPI description and its companion files live.

A wheel carries ``openapi/`` inside the package as ``u4b_vouchers/_openapi``; a source checkout
(including an editable install) reads the top-level ``openapi/`` folder directly.
"""

from __future__ import annotations

from pathlib import Path

SPEC_FILE = "vouchers.yaml"


def openapi_dir() -> Path:
    """The folder holding ``vouchers.yaml``, ``inventory.yaml`` and the lint rulesets."""
    packaged = Path(__file__).resolve().parent.parent / "_openapi"
    if (packaged / SPEC_FILE).is_file():
        return packaged
    checkout = Path(__file__).resolve().parents[3] / "openapi"
    return checkout


def default_spec_path() -> Path:
    """The project's own description of the four operations."""
    return openapi_dir() / SPEC_FILE
