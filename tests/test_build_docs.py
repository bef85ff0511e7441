"""scripts/build-docs renders a self-contained reference page offline."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT
from u4b_vouchers.spec import Spec

pytestmark = pytest.mark.node


def test_reference_page_is_self_contained(tmp_path: Path, spec: Spec) -> None:
    out = tmp_path / "reference.html"
    result = subprocess.run(
        [str(ROOT / "scripts" / "build-docs"), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    for op in spec.operations():
        assert op.raw["summary"] in html
    # Nothing the page needs to run is fetched: no external scripts, styles or module imports.
    assert not re.search(r"<script[^>]+src=[\"']https?://", html)
    assert not re.search(r"<link[^>]+rel=[\"'](?:stylesheet|modulepreload)[\"'][^>]+href=[\"']https?://", html)
    assert not re.search(r"import[^;]{0,200}from\s*[\"']https?://", html)
    assert len(html) > 1_000_000  # the Redoc bundle is inlined
