"""Build every page people read and shoot each in headless Chromium, 1,280 px wide
(scripts/screenshots).

Pages: the conformance report passing (the embedded emulator) and failing (a served emulator
with a fault flag), the diff page (the description against a revision with a few changes), the
lint page and the API reference. Progress goes to stderr; the PNG paths to stdout. A page wider
than the window is reported on stderr.

Usage: screenshots.py [OUT_DIR]   (default: build/screenshots)
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "openapi" / "vouchers.yaml"
WIDTH = 1280
#: A fault flag whose failures the conformance report lists.
FAULT = "accept-percentage-out-of-range"
#: The reference renders as much as its window holds: shoot it in a window taller than it.
REFERENCE_HEIGHT = 12_000
MAX_HEIGHT = 16_000


def say(message: str) -> None:
    print(f"screenshots: {message}", file=sys.stderr, flush=True)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """``u4b-vouchers ARGS`` from this checkout."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(ROOT / p) for p in ("src", ".", "generated/python"))}
    return subprocess.run(
        [sys.executable, "-m", "u4b_vouchers.cli.main", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def expect(result: subprocess.CompletedProcess[str], codes: tuple[int, ...], what: str) -> None:
    if result.returncode not in codes:
        tail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise SystemExit(f"screenshots: error: {what} exited {result.returncode}: " + " / ".join(tail))


def report_passing(work: Path) -> Path:
    expect(cli("check", "--report-dir", str(work / "passing"), "--quiet"), (0,), "check (embedded emulator)")
    return work / "passing" / "report.html"


def report_failing(work: Path) -> Path:
    sys.path.insert(0, str(ROOT))
    from benchmarks.serving import served

    with served(work / "served", ["--fault-flag", FAULT]):
        result = cli("check", "--profile", str(work / "served" / "profile.toml"), "--report-dir", str(work / "failing"))
    expect(result, (1,), f"check (served emulator, --fault-flag {FAULT})")
    return work / "failing" / "report.html"


def revision(work: Path) -> Path:
    """The description with a breaking change, a warning and an info."""
    doc = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    schemas = doc["components"]["schemas"]
    schemas["UpdateVoucherProgramRequest"]["properties"]["value_per_trip_percentage"]["maximum"] = 90
    schemas["VoucherStatus"]["enum"].append("VOUCHER_EXPIRED")
    guests = "/v1/organizations/{organization_id}/voucher-programs/{voucher_program_id}/guests"
    doc["paths"][guests]["get"]["deprecated"] = True
    path = work / "revision.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def diff_page(work: Path) -> Path:
    out = work / "diff.html"
    rev = revision(work)
    expect(cli("diff", "openapi/vouchers.yaml", str(rev), "--format", "html", "--output", str(out)), (0,), "diff")
    return out


def lint_page(work: Path) -> Path:
    out = work / "lint.html"
    expect(cli("lint", "--quiet", "--html", str(out)), (0, 1), "lint")
    return out


def reference(work: Path) -> Path:
    out = work / "reference.html"
    result = subprocess.run(
        [str(ROOT / "scripts" / "build-docs"), str(out)], capture_output=True, text=True, check=False
    )
    expect(result, (0,), "scripts/build-docs")
    return out


PAGES: list[tuple[str, Callable[[Path], Path]]] = [
    ("report-passing", report_passing),
    ("report-failing", report_failing),
    ("diff", diff_page),
    ("lint", lint_page),
    ("reference", reference),
]


def chromium_command(chromium: str, height: int) -> list[str]:
    command = [chromium, "--headless", "--disable-gpu", "--hide-scrollbars", f"--window-size={WIDTH},{height}"]
    # Nothing a page asks for may leave the machine: every request goes to a closed port.
    command += ["--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>", "--virtual-time-budget=5000"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--no-sandbox")  # Chromium refuses to run its sandbox as root
    return command


def measure(chromium: str, page: Path, work: Path) -> tuple[int, int]:
    """The page's scroll height and width in a 1,280 px window (a copy that writes them down)."""
    html = page.read_text(encoding="utf-8")
    probe = (
        "<script>setTimeout(function(){var e=document.documentElement;"
        "document.body.setAttribute('data-measured',e.scrollWidth+'x'+e.scrollHeight)},1000)</script>"
    )
    end = html.rfind("</body>")
    copy = work / f"measure-{page.name}"
    copy.write_text(html[:end] + probe + html[end:] if end >= 0 else html + probe, encoding="utf-8")
    dom = subprocess.run(
        [*chromium_command(chromium, 900), "--dump-dom", copy.as_uri()], capture_output=True, text=True, check=False
    ).stdout
    found = re.search(r'data-measured="(\d+)x(\d+)"', dom)
    return (int(found.group(1)), int(found.group(2))) if found else (WIDTH, 2000)


def shoot(chromium: str, page: Path, png: Path, height: int) -> None:
    result = subprocess.run(
        [*chromium_command(chromium, height), f"--screenshot={png}", page.as_uri()],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0 or not png.exists():
        raise SystemExit(f"screenshots: error: chromium could not shoot {page}: {result.stderr.strip()[-300:]}")


def main(argv: list[str]) -> int:
    if len(argv) > 1 or (argv and argv[0].startswith("-")):
        print("usage: scripts/screenshots [OUT_DIR]", file=sys.stderr)
        return 2
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("screenshots: error: chromium is not on PATH (Debian: apt-get install chromium)", file=sys.stderr)
        return 2
    out = Path(argv[0] if argv else "build/screenshots").resolve()
    (out / "pages").mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="u4b-screenshots-") as tmp:
        work = Path(tmp)
        for name, build in PAGES:
            say(f"building {name}")
            built = build(work)
            page = out / "pages" / f"{name}.html"
            shutil.copyfile(built, page)
            if name == "reference":
                height = REFERENCE_HEIGHT
            else:
                width, height = measure(chromium, page, work)
                if width > WIDTH:
                    say(f"warning: {name} is {width} px wide, wider than the {WIDTH} px window")
                height = min(max(height + 40, 600), MAX_HEIGHT)
            png = out / f"{name}.png"
            say(f"shooting {name} ({WIDTH}x{height})")
            shoot(chromium, page, png, height)
            print(png)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
