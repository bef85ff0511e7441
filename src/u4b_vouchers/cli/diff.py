"""``u4b-vouchers diff BASE REVISION``: the breaking-change gate between two descriptions.

The options oasdiff users set (ignore files, severity levels, path filters, a config file) are
read here into a :class:`~u4b_vouchers.diff.DiffConfig` and applied to the findings.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..diff import (
    CONFIG_KEYS,
    ELEMENTS,
    FORMATS,
    LEVELS,
    PROFILES,
    RENDERERS,
    U4B,
    ConfigFileError,
    DiffConfig,
    FilterError,
    LevelsError,
    SourceError,
    compile_path,
    diff,
    load,
    parse_ignore,
    parse_severity_levels,
    postprocess,
    read_config,
    read_days,
    read_elements,
    read_fail_on,
    read_format,
    read_level,
    read_profile,
    validate,
)
from ..spec import REMOTE_REFS_FLAG, Fetcher, SpecError, read_text
from .errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, CliError, exit_codes_epilog

NAME = "diff"
HELP = "compare two OpenAPI descriptions (files or git:REF:path) and report every change by level"
EPILOG = """\
ignore files (--err-ignore, --warn-ignore; oasdiff's format): each line names a change that is
accepted; a breaking (resp. warning) finding is dropped when a line matches it, case-insensitively:
for a finding on an operation, the line's first word starting with / is the finding's path, the
line contains "METHOD /path", and it contains the rule id (as a whole word) or the finding's
message; for a document-wide finding, the line contains the rule id or the message. Blank lines
and lines starting with # match nothing. Example line:
  GET /items/{id} response-optional-property-removed  (accepted in PR 42)

severity-levels file (--severity-levels; oasdiff's format): "rule-id LEVEL" per line, LEVEL one
of ERR (breaking), WARN (warning), INFO, NONE (drop the rule's findings); blank lines and lines
starting with # are skipped.

config file (--config; YAML, JSON or TOML): the options above, keyed by flag name without the leading --, e.g.
  format: githubactions
  fail-on: ERR
  err-ignore: ignore-err.txt        # relative to the config file's folder
  exclude-elements: [extensions]
A flag given on the command line wins over the file.

level profile u4b (--levels u4b), this project's judgement where it differs from oasdiff's:
{u4b}

order: path and element filters, then levels (--levels, then --severity-levels), then the ignore
files (matched against the final level), then --level for what is shown; --fail-on counts every
finding left after the ignore files."""
EPILOG = EPILOG.replace("{u4b}", "\n".join(f"  {rule_id} -> {level}: {why}" for rule_id, (level, why) in U4B.items()))
EPILOG += "\n\n" + exit_codes_epilog(
    {
        EXIT_OK: "done: no --fail-on, or no change left at its level or worse",
        EXIT_FINDINGS: "with --fail-on, a change at that level or worse left after the ignore files",
        EXIT_USAGE: "bad input (a description, an option or one of the files it names)",
    }
)


def _typed(read: Callable[[Any, str], Any]) -> Callable[[str], Any]:
    """An argparse type from a config-file value reader (its one-line error kept)."""

    def convert(value: str) -> Any:
        try:
            return read(value, "")
        except ConfigFileError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = read.__name__
    return convert


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        NAME, help=HELP, description=HELP, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("base", help="the description before: a file, or git:REF:path")
    parser.add_argument("revision", help="the description after: a file, or git:REF:path")
    parser.add_argument(
        "--format",
        type=_typed(read_format),
        choices=FORMATS,
        help="output format (default: text); githubactions prints one ::error/::warning/::notice "
        "workflow command per finding, titled with the rule id, with file= the revision when it is a plain path; "
        "sarif is a SARIF 2.1.0 log for code scanning, each change at its line of the revision (of the base for "
        "something removed)",
    )
    parser.add_argument(
        "--fail-on",
        type=_typed(read_fail_on),
        choices=("breaking", "warning"),
        help="exit 1 when a change of this level (or worse) is left after the ignore files, at its final "
        "level (oasdiff's ERR and WARN are accepted too)",
    )
    parser.add_argument(
        "--level",
        type=_typed(read_level),
        choices=LEVELS,
        help="show changes of this level and worse (default: info; ERR, WARN, INFO accepted too)",
    )
    parser.add_argument("--output", type=Path, help="write the report here instead of standard output")
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="read options from this YAML, JSON or TOML file (keys: "
        + ", ".join(CONFIG_KEYS)
        + "); command-line flags win",
    )
    parser.add_argument(
        "--levels",
        type=_typed(read_profile),
        choices=tuple(PROFILES),
        help="level profile: oasdiff (default: each rule's own level, oasdiff's where a rule corresponds) "
        "or u4b (this project's judgement where it differs from oasdiff's: the rules listed below)",
    )
    parser.add_argument(
        "--severity-levels",
        metavar="FILE",
        help="override rule levels from FILE, 'rule-id ERR|WARN|INFO|NONE' per line (NONE drops the rule); "
        "applied over --levels",
    )
    parser.add_argument(
        "--err-ignore", metavar="FILE", help="drop the breaking changes a line of FILE names (format below)"
    )
    parser.add_argument("--warn-ignore", metavar="FILE", help="drop the warnings a line of FILE names (format below)")
    parser.add_argument(
        "--match-path",
        metavar="REGEX",
        help="report only changes on paths in which REGEX is found (Python re.search); document-wide changes are kept",
    )
    parser.add_argument(
        "--unmatch-path",
        metavar="REGEX",
        help="leave out changes on paths in which REGEX is found; document-wide changes are kept",
    )
    parser.add_argument(
        "--exclude-elements",
        metavar="LIST",
        type=_typed(read_elements),
        action="append",
        help="leave out changes of these kinds, comma-separated, repeatable: "
        + "; ".join(f"{name} ({what})" for name, (what, _) in ELEMENTS.items()),
    )
    parser.add_argument(
        "--deprecation-days-beta",
        metavar="N",
        type=_typed(read_days),
        help="minimum days between deprecating a beta operation and removing it "
        f"(default: {DiffConfig.deprecation_days_beta}, as oasdiff's)",
    )
    parser.add_argument(
        "--deprecation-days-stable",
        metavar="N",
        type=_typed(read_days),
        help="minimum days between deprecating a stable operation and removing it "
        f"(default: {DiffConfig.deprecation_days_stable}, as oasdiff's)",
    )
    parser.add_argument(
        "--validate", action="store_true", help="validate both descriptions fully first (slow on very large ones)"
    )
    parser.add_argument(
        "--ref-root",
        metavar="DIR",
        help="$refs may name files under DIR (default: each description's folder; in git:REF:path, a folder "
        "of that revision); never special files",
    )
    parser.add_argument(
        REMOTE_REFS_FLAG,
        action="store_true",
        help="fetch $refs to http: and https: URLs (each once, within a timeout, up to the file size cap); "
        "by default every URL is refused",
    )
    parser.set_defaults(run=run)


#: What an option is when neither the command line nor the config file sets it.
DEFAULTS: dict[str, Any] = {
    "format": "text",
    "fail_on": None,
    "level": "info",
    "levels": "oasdiff",
    "severity_levels": None,
    "err_ignore": None,
    "warn_ignore": None,
    "match_path": "",
    "unmatch_path": "",
    "exclude_elements": (),
    "deprecation_days_beta": DiffConfig.deprecation_days_beta,
    "deprecation_days_stable": DiffConfig.deprecation_days_stable,
}


def options(args: argparse.Namespace) -> dict[str, Any]:
    """Every configurable option: the command line's, else the config file's, else the default."""
    try:
        from_file = read_config(args.config) if args.config else {}
    except ConfigFileError as exc:
        raise CliError(str(exc)) from None
    chosen = {}
    for dest, default in DEFAULTS.items():
        given = getattr(args, dest)
        if dest == "exclude_elements" and given is not None:
            given = tuple(name for group in given for name in group)
        chosen[dest] = given if given is not None else from_file.get(dest, default)
    return chosen


def _read(path: str, option: str) -> str:
    try:
        return read_text(path)
    except SpecError as exc:
        raise CliError(f"{option}: {exc}") from None


def configure(chosen: dict[str, Any]) -> DiffConfig:
    """The run's :class:`DiffConfig`, every file read and checked (one-line CliError)."""
    try:
        for option in ("match_path", "unmatch_path"):
            compile_path(chosen[option], "--" + option.replace("_", "-"))
        severity = {}
        if chosen["severity_levels"]:
            path = chosen["severity_levels"]
            severity = parse_severity_levels(_read(path, "--severity-levels"), path)
    except (FilterError, LevelsError) as exc:
        raise CliError(str(exc)) from None
    ignores = {
        key: parse_ignore(_read(chosen[key], "--" + key.replace("_", "-"))) if chosen[key] else ()
        for key in ("err_ignore", "warn_ignore")
    }
    return DiffConfig(
        deprecation_days_beta=chosen["deprecation_days_beta"],
        deprecation_days_stable=chosen["deprecation_days_stable"],
        level_profile=chosen["levels"],
        severity_levels=severity,
        err_ignore=ignores["err_ignore"],
        warn_ignore=ignores["warn_ignore"],
        match_path=chosen["match_path"],
        unmatch_path=chosen["unmatch_path"],
        exclude_elements=tuple(chosen["exclude_elements"]),
    )


def run(args: argparse.Namespace) -> int:
    chosen = options(args)
    config = configure(chosen)
    try:
        fetcher = Fetcher() if args.allow_remote_refs else None
        base, revision = load(args.base, args.ref_root, fetcher), load(args.revision, args.ref_root, fetcher)
        if args.validate:
            validate(base)
            validate(revision)
        findings = diff(base, revision, config)
    except SourceError as exc:
        raise CliError(str(exc)) from None
    findings = postprocess(findings, config)
    shown = [f for f in findings if LEVELS.index(f.level) <= LEVELS.index(chosen["level"])]
    report = RENDERERS[chosen["format"]](shown, args.base, args.revision)
    if args.output is not None:
        try:
            args.output.parent.mkdir(parents=True, exist_ok=True)
            args.output.write_text(report, encoding="utf-8")
        except OSError as exc:
            raise CliError(f"{args.output}: cannot write: {exc.strerror}") from None
    else:
        print(report, end="")
    if chosen["fail_on"] is not None:
        threshold = LEVELS.index(chosen["fail_on"])
        if any(LEVELS.index(f.level) <= threshold for f in findings):
            return EXIT_FINDINGS
    return EXIT_OK
