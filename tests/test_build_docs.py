"""scripts/build-docs renders a self-contained reference page that fetches nothing and shows
every operation as it opens."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from tests.conftest import ROOT
from u4b_vouchers.spec import Spec


def _load_build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("reference_build", ROOT / "scripts" / "reference" / "build.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _load_build()


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reference") / "reference.html"
    result = subprocess.run(
        [str(ROOT / "scripts" / "build-docs"), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return out


def _script_value(html: str, name: str) -> object:
    match = re.search(rf"const {name} = (.*);\n", html)
    assert match is not None, name
    return json.loads(match.group(1))


@pytest.mark.node
def test_reference_page_is_self_contained(page: Path, spec: Spec) -> None:
    html = page.read_text(encoding="utf-8")
    for op in spec.operations():
        assert op.raw["summary"] in html
    assert build.outside_fetches(html) == []
    assert build.has_policy(html)  # what the bundle would load at run time is refused
    assert "<script src" not in html
    assert len(html) > 1_000_000  # the Redoc bundle is inlined
    options = _script_value(html, "__redoc_options")
    assert isinstance(options, dict)
    assert options["disableTelemetry"] is True


@pytest.mark.node
def test_every_operation_is_shown_as_the_page_opens(page: Path, spec: Spec) -> None:
    """Redoc 3 hides a tag's operations until the tag is opened: the page is rendered from
    the description without tags, with samples and schemas expanded."""
    html = page.read_text(encoding="utf-8")
    definition = _script_value(html, "__redoc_definition")
    assert isinstance(definition, dict)
    assert "tags" not in definition
    rendered = [
        op for item in definition["paths"].values() for op in item.values() if isinstance(op, dict) and "summary" in op
    ]
    assert len(rendered) == len(list(spec.operations()))
    assert not any("tags" in op for op in rendered)
    options = _script_value(html, "__redoc_options")
    assert isinstance(options, dict)
    assert options["jsonSamplesExpandLevel"] == "all"
    assert options["schemasExpansionLevel"] == "all"
    style = html[html.index('<style id="u4b-reference">') :]
    assert 'a[href="https://redocly.com/redoc/"]' in style[: style.index("</style>")]  # the attribution is hidden
    assert "content: attr(aria-label)" in style  # whole scope names


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.node
@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (apt-get install chromium)")
def test_the_page_renders_in_chromium_with_the_network_blocked(page: Path, spec: Spec) -> None:
    assert CHROMIUM is not None
    result = subprocess.run(
        [
            *(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1280,9000"),
            *("--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>", "--virtual-time-budget=3000"),
            *("--enable-logging=stderr", "--v=0", "--dump-dom", page.as_uri()),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    dom = re.sub(r"<script\b.*?</script>", "", result.stdout, flags=re.S)
    for op in spec.operations():
        assert op.raw["summary"] in dom
    assert dom.count(">Responses<") >= len(list(spec.operations()))  # each operation rendered in full
    assert "Uncaught" not in result.stderr
    assert "ERR_PROXY" not in result.stderr  # nothing tried the network


def test_untagged_keeps_everything_but_the_tags() -> None:
    text = (ROOT / "openapi" / "vouchers.yaml").read_text(encoding="utf-8")
    before, after = yaml.safe_load(text), yaml.safe_load(build.untagged(text))
    assert "tags" in before
    assert "tags" not in after
    for path, item in before["paths"].items():
        for method, op in item.items():
            if isinstance(op, dict) and "tags" in op:
                del op["tags"]
            assert after["paths"][path][method] == op
    assert {k: v for k, v in before.items() if k != "tags"} == after


@pytest.mark.parametrize(
    "markup",
    [
        '<img alt="logo" src="https://cdn.example/logo.svg">',
        "<script type=module src='//cdn.example/bundle.js'></script>",
        '<link rel="stylesheet" href="https://fonts.example/css">',
        '<link rel="modulepreload" href="//cdn.example/b.js">',
        "<style>.a{background:url( 'https://x.example/a.png')}</style>",
        '<style>@import "https://x.example/a.css";</style>',
        "<style>@import url(//x.example/a.css);</style>",
        '<script type="module">import { hydrate } from "https://cdn.example/redoc.js";</script>',
        '<iframe src="http://x.example/"></iframe>',
    ],
)
def test_a_fetch_from_outside_is_found(markup: str) -> None:
    assert build.outside_fetches(f"<html><head></head><body>{markup}</body></html>")


@pytest.mark.parametrize(
    "markup",
    [
        '<a href="https://redocly.com/redoc/">a link is not a fetch</a>',
        '<script>const logo = "<img src=\\"https://cdn.example/logo.svg\\">";</script>',
        '<svg xmlns="http://www.w3.org/2000/svg"><use href="#icon"></use></svg>',
        "<style>.a{clip-path:url(#clip)}</style>",
        '<img src="data:image/png;base64,AAAA">',
    ],
)
def test_what_is_not_a_fetch_from_outside(markup: str) -> None:
    assert build.outside_fetches(f"<html><head></head><body>{markup}</body></html>") == []


def test_the_policy_must_come_before_the_first_script() -> None:
    policy = '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src data:">'
    assert build.has_policy(f"<head>{policy}</head><body><script>1</script></body>")
    assert not build.has_policy(f"<head><script>1</script>{policy}</head>")
    assert not build.has_policy("<head></head><body><script>1</script></body>")
