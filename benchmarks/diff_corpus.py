"""Score `u4b-vouchers diff` on a corpus of expected findings (scripts/bench-diff-corpus PATH).

The corpus brings its own scorer: PATH/score.py, PATH/cases.jsonl, PATH/rules.json and
PATH/fixtures/ (for example oasdiff's checker tests, read out into cases; see that corpus's
README). The scorer runs this checkout's `u4b-vouchers diff {base} {revision} --format json`
(the entry point beside this Python, by its absolute path: the scorer runs each case in a fresh
temporary folder) through its `json-findings` adapter, on every case but those the corpus calls
unreliable (:data:`UNRELIABLE`), and writes its results to build/oasdiff-score.json (--out).
The scorer has no option to leave cases out: it is run on a temporary corpus of a filtered
cases.jsonl and links to the rest; the results name each case by its index in the corpus's own
cases.jsonl. Any other argument (--grep REGEX, --limit N, --timeout S) goes to the scorer.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
#: Cases (0-based, by line of cases.jsonl, as the scorer counts them) that the oasdiff corpus's
#: README calls unreliable: 141 is loaded with flattened parameters, 275 and 277 edit a spec in
#: Go after the diff.
UNRELIABLE = frozenset({141, 275, 277})
NEEDED = ("score.py", "cases.jsonl", "rules.json", "fixtures")
DEFAULT_OUT = ROOT / "build" / "oasdiff-score.json"


def entry_point() -> str:
    """The installed `u4b-vouchers` beside this Python, by absolute path (else `python -m`)."""
    script = Path(sys.executable).absolute().parent / "u4b-vouchers"
    if script.exists():
        return shlex.quote(str(script))
    return f"{shlex.quote(sys.executable)} -m u4b_vouchers.cli.main"


def tool_command() -> str:
    return f"{entry_point()} diff {{base}} {{revision}} --format json"


def filtered_corpus(corpus: Path, into: Path, leave_out: frozenset[int] = UNRELIABLE) -> list[int]:
    """A corpus in ``into``: cases.jsonl without the cases ``leave_out`` names, links to the rest.
    Returns, for each case kept, its index in the original cases.jsonl."""
    kept_lines, original = [], []
    lines = [line for line in corpus.joinpath("cases.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    for index, line in enumerate(lines):
        if index not in leave_out:
            kept_lines.append(line)
            original.append(index)
    into.joinpath("cases.jsonl").write_text("\n".join(kept_lines) + "\n", encoding="utf-8")
    for name in NEEDED:
        if name != "cases.jsonl":
            into.joinpath(name).symlink_to(corpus / name)
    return original


def renumber(out: Path, original: list[int], leave_out: frozenset[int], corpus: Path) -> dict[str, Any]:
    """The scorer's results with each case's ``idx`` as in the original cases.jsonl."""
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    for case in report.get("cases", []):
        if isinstance(case.get("idx"), int) and 0 <= case["idx"] < len(original):
            case["idx"] = original[case["idx"]]
    meta = report.setdefault("meta", {})
    meta["corpus"] = str(corpus)
    meta["left_out"] = sorted(leave_out)
    for entry in report.get("summary", {}).get("missed_breaking", []) + report.get("summary", {}).get(
        "false_positives", []
    ):
        if isinstance(entry.get("idx"), int) and 0 <= entry["idx"] < len(original):
            entry["idx"] = original[entry["idx"]]
    out.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    return report


def unconfirmed_alarms(report: dict[str, Any]) -> tuple[list[int], int]:
    """The not-breaking cases flagged breaking by an id that no case of the same fixture pair
    expects, and how many not-breaking cases there are.

    Most of oasdiff's tests run one check on a pair that changes a request and a response alike;
    the other side's finding is breaking by oasdiff's own levels and expected by that pair's other
    test, so the scorer's raw verdict counts it as a false alarm although oasdiff reports it too.
    """
    cases = report.get("cases", [])
    expected: dict[tuple[str, str], set[str]] = {}
    for case in cases:
        expected.setdefault((case.get("base"), case.get("revision")), set()).update(case.get("expected_ids") or [])
    negatives = [case for case in cases if case.get("binary_label") == "info-or-none"]
    flagged = []
    for case in negatives:
        breaking = {f["id"] for f in case.get("findings") or [] if f.get("level") == "breaking"}
        if breaking - expected[(case.get("base"), case.get("revision"))]:
            flagged.append(int(case["idx"]))
    return flagged, len(negatives)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="the corpus folder (score.py, cases.jsonl, rules.json, fixtures/)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"results (default: {DEFAULT_OUT})")
    args, scorer_args = parser.parse_known_args(argv)
    corpus = args.corpus.resolve()
    missing = [name for name in NEEDED if not (corpus / name).exists()]
    if missing:
        print(f"bench-diff-corpus: {corpus}: no {', '.join(missing)} (not a scored corpus)", file=sys.stderr)
        return 2
    out = args.out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)  # this checkout's sources first (a worktree's, not the editable install's)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH", "")]))
    with tempfile.TemporaryDirectory(prefix="diff-corpus-") as scratch:
        folder = Path(scratch)
        original = filtered_corpus(corpus, folder)
        command = [
            sys.executable,
            str(folder / "score.py"),
            "--corpus",
            str(folder),
            "--tool",
            tool_command(),
            "--adapter",
            "json-findings",
            "--out",
            str(out),
            *scorer_args,
        ]
        print(
            f"bench-diff-corpus: {len(original)} cases of {corpus} (left out as unreliable: "
            f"{', '.join(map(str, sorted(UNRELIABLE)))})",
            file=sys.stderr,
        )
        code = subprocess.run(command, env=env, check=False).returncode
    if code != 0 or not out.exists():
        print(f"bench-diff-corpus: the scorer exited {code}", file=sys.stderr)
        return code or 1
    report = renumber(out, original, UNRELIABLE, corpus)
    walls = [case["wall_s"] for case in report.get("cases", []) if isinstance(case.get("wall_s"), int | float)]
    if walls:
        print(
            f"\nseconds per case: median {statistics.median(walls):.3f}, max {max(walls):.3f} "
            f"({len(walls)} cases); results in {out}"
        )
    flagged, negatives = unconfirmed_alarms(report)
    if negatives:
        print(
            f"not-breaking cases flagged by a breaking id no case of the same fixture pair expects: "
            f"{len(flagged)}/{negatives} = {100 * len(flagged) / negatives:.1f}% (cases {', '.join(map(str, flagged))})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
