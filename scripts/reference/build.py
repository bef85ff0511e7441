"""Build the API reference (scripts/build-docs): one HTML page that works with no network.

Redocly's build-docs (Redoc 3) renders the description; this step gives it what makes the page
readable offline and checks the result:

- the page is rendered from a copy of the description without tags: Redoc 3 shows a tag's
  operations only once a reader opens the tag, while operations without a tag are all shown,
  in full, as the page opens (the copy is bundled by Redocly first, so every ``$ref`` resolves
  as in the description);
- ``options.json`` (Redoc's options: samples and schemas expanded) and ``template.hbs`` (a
  Content-Security-Policy that refuses every fetch, and a style block that shows whole paths,
  scopes and badges and hides the vendor's attribution, whose logo comes from a CDN);
- the written page is scanned: no script, style sheet, image, frame or CSS ``url()`` /
  ``@import`` outside the page, and the policy in place. A page that fails is an error.

Usage: build.py OUTPUT
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
SPEC = ROOT / "openapi" / "vouchers.yaml"
REDOCLY = ROOT / "node_modules" / ".bin" / "redocly"
TITLE = "U4B Vouchers API (four operations)"
POLICY = "default-src 'none'"

#: An address outside the page: a scheme-relative ``//host`` or an http(s) URL.
_OUTSIDE = r"""(?:https?:)?//"""
#: What a browser would fetch from the page's markup and styles.
_FETCHING = [
    re.compile(
        r"<(?:script|img|iframe|frame|source|video|audio|embed|track|input)\b[^>]*?\s(?:src|srcset|poster|data)\s*=\s*[\"']?\s*"
        + _OUTSIDE,
        re.I,
    ),
    re.compile(r"<object\b[^>]*?\sdata\s*=\s*[\"']?\s*" + _OUTSIDE, re.I),
    re.compile(r"<link\b[^>]*?\shref\s*=\s*[\"']?\s*" + _OUTSIDE, re.I),
    re.compile(r"url\(\s*[\"']?\s*" + _OUTSIDE, re.I),
    re.compile(r"@import\s+(?:url\()?\s*[\"']?\s*" + _OUTSIDE, re.I),
    re.compile(r"\simport\s*\(?\s*[\"']" + _OUTSIDE, re.I),
    re.compile(r"\sfrom\s*[\"']" + _OUTSIDE, re.I),
]
_SCRIPT_BODY = re.compile(r"(<script\b[^>]*>)(.*?)(</script>)", re.I | re.S)


def untagged(description: str) -> str:
    """The description (YAML or JSON text) without tags: the top-level list and each
    operation's ``tags``."""
    doc = yaml.safe_load(description)
    doc.pop("tags", None)
    doc.pop("x-tagGroups", None)
    for item in (doc.get("paths") or {}).values():
        for operation in item.values() if isinstance(item, dict) else ():
            if isinstance(operation, dict):
                operation.pop("tags", None)
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)


def outside_fetches(page: str) -> list[str]:
    """Each place in the page's markup or styles that would fetch something from outside it.

    Script bodies are left out of the markup scan (a bundle's strings are not fetches) but a
    module ``import ... from "https://..."`` in them is not."""
    markup = _SCRIPT_BODY.sub(lambda m: m.group(1) + m.group(3), page)
    found = [m.group(0) for pattern in _FETCHING[:5] for m in pattern.finditer(markup)]
    for body in (m.group(2) for m in _SCRIPT_BODY.finditer(page)):
        found += [m.group(0) for pattern in _FETCHING[5:] for m in pattern.finditer(body)]
    return found


def has_policy(page: str) -> bool:
    """Whether a Content-Security-Policy refusing every fetch comes before the first script."""
    head = page[: page.lower().find("<script")]
    return bool(
        re.search(r"<meta\s+http-equiv=\"Content-Security-Policy\"\s+content=\"" + re.escape(POLICY) + r";", head)
    )


def build(output: Path) -> None:
    env = {**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"}
    with tempfile.TemporaryDirectory(prefix="u4b-reference-") as tmp:
        bundled = Path(tmp) / "bundled.yaml"
        copy = Path(tmp) / "vouchers.yaml"
        run([str(REDOCLY), "bundle", str(SPEC), "--config", "openapi/redocly.yaml", "--output", str(bundled)], env)
        copy.write_text(untagged(bundled.read_text(encoding="utf-8")), encoding="utf-8")
        output.parent.mkdir(parents=True, exist_ok=True)
        run(
            [
                str(REDOCLY),
                "build-docs",
                str(copy),
                "--config",
                "openapi/redocly.yaml",
                "--openapi",
                str(HERE / "options.json"),
                "--template",
                str(HERE / "template.hbs"),
                "--inlineBundle",
                "--title",
                TITLE,
                "--output",
                str(output),
            ],
            env,
        )
    page = output.read_text(encoding="utf-8")
    problems = [f"fetches from outside the page: {hit[:120]}" for hit in outside_fetches(page)]
    if not has_policy(page):
        problems.append("no Content-Security-Policy refusing every fetch before the first script")
    if problems:
        raise SystemExit("build-docs: error: " + "; ".join(problems))


def run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        noise = re.compile(r"[║╔╚]|^\s*$")
        shown = "\n".join(line for line in (result.stdout + result.stderr).splitlines() if not noise.search(line))
        raise SystemExit(f"build-docs: error: {Path(command[0]).name} {command[1]} failed:\n{shown}")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: build.py OUTPUT", file=sys.stderr)
        return 2
    build(Path(argv[0]).resolve())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
