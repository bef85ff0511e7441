"""scripts/bench-diff-corpus, on a fake corpus whose scorer records what it was given (the
project's tests never read a real corpus: it is not in a user's clone)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from benchmarks.diff_corpus import UNRELIABLE, unconfirmed_alarms

from tests.conftest import ROOT

#: Writes what it was run with and which cases it saw into its --out file, as the real
#: scorer's results are shaped (meta, summary, cases with idx and wall_s).
FAKE_SCORER = """\
import argparse, json, os
ap = argparse.ArgumentParser()
for flag in ("--corpus", "--tool", "--adapter", "--out", "--grep", "--limit"):
    ap.add_argument(flag)
args = ap.parse_args()
cases = [json.loads(l) for l in open(os.path.join(args.corpus, "cases.jsonl")) if l.strip()]
if args.limit:
    cases = cases[: int(args.limit)]
report = {
    "meta": {"tool": args.tool, "adapter": args.adapter, "grep": args.grep,
             "fixtures": sorted(os.listdir(os.path.join(args.corpus, "fixtures")))},
    "summary": {"missed_breaking": [{"idx": 141}]},
    "cases": [{"idx": i, "test": c["test"], "wall_s": 0.5 + i / 1000} for i, c in enumerate(cases)],
}
json.dump(report, open(args.out, "w"))
print("=== run === fake summary")
"""


def fake_corpus(folder: Path, cases: int = 280) -> Path:
    folder.mkdir()
    (folder / "score.py").write_text(FAKE_SCORER, encoding="utf-8")
    (folder / "rules.json").write_text("[]", encoding="utf-8")
    (folder / "fixtures").mkdir()
    (folder / "fixtures" / "a.yaml").write_text("openapi: 3.1.0\n", encoding="utf-8")
    lines = [json.dumps({"test": f"case-{i}", "base": "a.yaml", "revision": "a.yaml"}) for i in range(cases)]
    (folder / "cases.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ROOT / "scripts" / "bench-diff-corpus"), *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_the_unreliable_cases_are_left_out_and_the_results_keep_the_corpus_numbering(tmp_path: Path) -> None:
    corpus, out = fake_corpus(tmp_path / "corpus"), tmp_path / "score.json"
    result = run(str(corpus), "--out", str(out))
    assert result.returncode == 0, result.stderr
    report = json.loads(out.read_text())
    seen = [case["test"] for case in report["cases"]]
    assert seen == [f"case-{i}" for i in range(280) if i not in {141, 275, 277}]
    assert [case["idx"] for case in report["cases"]] == [i for i in range(280) if i not in UNRELIABLE]
    assert report["meta"]["left_out"] == [141, 275, 277]
    assert report["summary"]["missed_breaking"] == [{"idx": 142}]  # the scorer's 141st is the corpus's 142nd
    assert report["meta"]["fixtures"] == ["a.yaml"]  # reached through the temporary corpus
    assert report["meta"]["adapter"] == "json-findings"
    tool = report["meta"]["tool"]
    assert tool.endswith(" diff {base} {revision} --format json")
    assert Path(tool.split()[0]).is_absolute()
    assert "fake summary" in result.stdout
    assert "seconds per case: median " in result.stdout
    assert f"max {0.5 + 276 / 1000:.3f}" in result.stdout  # the last kept case is the 277th run


def test_scorer_options_pass_through(tmp_path: Path) -> None:
    corpus, out = fake_corpus(tmp_path / "corpus"), tmp_path / "score.json"
    result = run(str(corpus), "--grep", "case-1", "--limit", "3", "--out", str(out))
    assert result.returncode == 0, result.stderr
    report = json.loads(out.read_text())
    assert report["meta"]["grep"] == "case-1"
    assert [case["test"] for case in report["cases"]] == ["case-0", "case-1", "case-2"]


def test_a_folder_that_is_not_a_corpus_is_refused(tmp_path: Path) -> None:
    result = run(str(tmp_path), "--out", str(tmp_path / "score.json"))
    assert result.returncode == 2
    assert "not a scored corpus" in result.stderr
    assert not (tmp_path / "score.json").exists()


def test_the_entry_point_is_beside_this_python() -> None:
    from benchmarks.diff_corpus import tool_command

    assert str(Path(sys.executable).absolute().parent) in tool_command() or "-m u4b_vouchers.cli.main" in tool_command()


def test_a_breaking_id_another_case_of_the_pair_expects_is_not_an_unconfirmed_alarm() -> None:
    def case(idx: int, label: str, expected: list[str], breaking: list[str], pair: str = "p") -> dict[str, object]:
        return {
            "idx": idx,
            "base": f"{pair}/base.yaml",
            "revision": f"{pair}/revision.yaml",
            "binary_label": label,
            "expected_ids": expected,
            "findings": [{"id": i, "level": "breaking"} for i in breaking] + [{"id": "x", "level": "info"}],
        }

    report = {
        "cases": [
            case(0, "info-or-none", ["request-body-contains-removed"], ["response-body-contains-removed"]),
            case(1, "breaking", ["response-body-contains-removed"], ["response-body-contains-removed"]),
            case(2, "info-or-none", [], ["response-success-status-removed"], pair="q"),
            case(3, "info-or-none", [], [], pair="r"),
        ]
    }
    assert unconfirmed_alarms(report) == ([2], 3)
