"""The options oasdiff users set, applied to the findings: ignore files, severity levels and
level profiles, path and element filters, GitHub Actions annotations, a config file.

Levels are pinned with a severity-levels file (or set on the findings) wherever a test depends
on one, so the tests hold whatever level the rule table gives a rule.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from u4b_vouchers.cli import diff as command
from u4b_vouchers.cli.main import build_parser, main
from u4b_vouchers.diff import (
    ELEMENTS,
    RULES,
    U4B,
    ConfigFileError,
    DiffConfig,
    Finding,
    LevelsError,
    apply_ignore,
    apply_levels,
    filter_findings,
    parse_ignore,
    parse_severity_levels,
    postprocess,
    read_config,
)
from u4b_vouchers.diff.formats import githubactions
from u4b_vouchers.diff.levels import PROFILES

REMOVED = Finding(
    "api-removed-without-deprecation", "DELETE /things", "#/paths/~1things/delete", "DELETE /things removed"
)
PROPERTY = Finding(
    "response-optional-property-removed",
    "GET /items/{id}",
    "#/paths/~1items~1{id}/get/responses/200/content/application~1json/schema/properties/note",
    "property note removed",
    level="warning",
)
COMPONENT = Finding(
    "api-security-component-removed", "", "#/components/securitySchemes/key", "security scheme key removed", "warning"
)
RULE = Finding("x-u4b-rule-removed", "", "#/x-u4b-rules/1", "rule R-STATE removed", "info")


# ignore files ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "DELETE /things api-removed-without-deprecation",
        "delete /THINGS API-REMOVED-WITHOUT-DEPRECATION  accepted in PR 12",
        "DELETE /things   DELETE /things removed",  # the message, spaces squeezed
    ],
)
def test_ignore_line_names_operation_and_rule_or_message(line: str) -> None:
    assert apply_ignore([REMOVED], "breaking", parse_ignore(line)) == []


@pytest.mark.parametrize(
    "line",
    [
        "api-removed-without-deprecation",  # no operation
        "GET /things api-removed-without-deprecation",  # another method
        "DELETE /things/x api-removed-without-deprecation",  # another path
        "/things DELETE api-removed-without-deprecation",  # not "METHOD /path"
        "DELETE /things api-removed",  # a prefix of the id is not the id
        "DELETE /things xapi-removed-without-deprecation",
        "DELETE /things api-removed-without-deprecation-and-more",
        "DELETE /things not-api-removed-without-deprecation",
        "DELETE /things some other change",
        "# DELETE /things api-removed-without-deprecation",
        "",
    ],
)
def test_ignore_line_that_does_not_match(line: str) -> None:
    assert apply_ignore([REMOVED], "breaking", parse_ignore(line)) == [REMOVED]


def test_ignore_applies_to_its_level_only() -> None:
    lines = parse_ignore("DELETE /things api-removed-without-deprecation\nGET /items/{id} property note removed\n")
    assert apply_ignore([REMOVED, PROPERTY], "warning", lines) == [REMOVED]
    assert apply_ignore([REMOVED, PROPERTY], "breaking", lines) == [PROPERTY]


def test_ignore_document_wide_finding_by_id_or_message() -> None:
    assert apply_ignore([COMPONENT], "warning", parse_ignore("api-security-component-removed")) == []
    assert apply_ignore([COMPONENT], "warning", parse_ignore("components: Security scheme KEY removed")) == []
    assert apply_ignore([COMPONENT], "warning", parse_ignore("security scheme other removed")) == [COMPONENT]


# severity levels and profiles ------------------------------------------------------------------


def test_severity_levels_file() -> None:
    text = "# ours\n\napi-removed-without-deprecation WARN\nresponse-optional-property-removed none\n"
    levels = parse_severity_levels(text, "levels.txt")
    assert levels == {"api-removed-without-deprecation": "warning", "response-optional-property-removed": None}
    findings = apply_levels([REMOVED, PROPERTY, RULE], levels)
    assert [(f.id, f.level) for f in findings] == [("api-removed-without-deprecation", "warning"), (RULE.id, "info")]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("no-such-rule ERR", "levels.txt:1: unknown rule id 'no-such-rule'"),
        ("\napi-removed-without-deprecation FATAL", "levels.txt:2: unknown level 'FATAL'"),
        ("api-removed-without-deprecation", "levels.txt:1: expected 'rule-id LEVEL'"),
        ("api-removed-without-deprecation ERR extra", "levels.txt:1: expected 'rule-id LEVEL'"),
    ],
)
def test_severity_levels_file_errors(text: str, error: str) -> None:
    with pytest.raises(LevelsError, match="^" + error.replace("(", r"\(")):
        parse_severity_levels(text, "levels.txt")


def test_u4b_profile_entries_are_rules_with_reasons() -> None:
    assert PROFILES["oasdiff"] == {}
    assert 0 < len(U4B) <= 10
    for rule_id, (level, reason) in U4B.items():
        assert rule_id in RULES
        assert level in ("breaking", "warning", "info")
        assert reason
        assert "\n" not in reason
    assert U4B["api-security-removed"][0] == "breaking"
    assert U4B["response-non-success-status-removed"][0] == "warning"


def test_u4b_profile_then_severity_file() -> None:
    removed = Finding("api-security-removed", "GET /items/{id}", "#/x", "scheme key removed", level="info")
    status = Finding("response-non-success-status-removed", "GET /items/{id}", "#/y", "response 404 removed", "info")
    u4b = DiffConfig(level_profile="u4b")
    assert [f.level for f in postprocess([removed, status], u4b)] == ["breaking", "warning"]
    assert [f.level for f in postprocess([removed, status], DiffConfig())] == ["info", "info"]
    over = DiffConfig(level_profile="u4b", severity_levels={"api-security-removed": "info"})
    assert [f.level for f in postprocess([removed, status], over)] == ["info", "warning"]


def test_ignore_matches_the_final_level() -> None:
    lines = parse_ignore("DELETE /things api-removed-without-deprecation")
    demoted = DiffConfig(severity_levels={REMOVED.id: "warning"}, err_ignore=lines)
    assert [f.level for f in postprocess([REMOVED], demoted)] == ["warning"]
    assert postprocess([REMOVED], DiffConfig(severity_levels={REMOVED.id: "warning"}, warn_ignore=lines)) == []


# path and element filters ----------------------------------------------------------------------


def test_match_and_unmatch_path_keep_document_wide_findings() -> None:
    everything = [REMOVED, PROPERTY, COMPONENT]
    assert filter_findings(everything, match_path="^/items") == [PROPERTY, COMPONENT]
    assert filter_findings(everything, match_path="ing") == [REMOVED, COMPONENT]  # searched, not anchored
    assert filter_findings(everything, unmatch_path="id") == [REMOVED, COMPONENT]
    assert filter_findings(everything, match_path="/", unmatch_path="things") == [PROPERTY, COMPONENT]


@pytest.mark.parametrize(
    ("element", "dropped"),
    [
        ("endpoints", {"api-removed-without-deprecation", "endpoint-added"}),
        ("extensions", {"x-u4b-rule-removed", "request-parameter-x-extensible-enum-value-removed"}),
        (
            "request",
            {
                "request-property-max-decreased",
                "new-required-request-parameter",
                "request-parameter-x-extensible-enum-value-removed",
                "x-u4b-rule-removed",  # the rule table says x-u4b-rules changes are judged from requests
            },
        ),
        ("response", {"response-optional-property-removed", "optional-response-header-removed"}),
        ("description", set()),
    ],
)
def test_exclude_elements(element: str, dropped: set[str]) -> None:
    ids = [
        "api-removed-without-deprecation",
        "endpoint-added",
        "x-u4b-rule-removed",
        "request-parameter-x-extensible-enum-value-removed",
        "request-property-max-decreased",
        "new-required-request-parameter",
        "response-optional-property-removed",
        "optional-response-header-removed",
        "api-security-component-removed",
    ]
    findings = [Finding(i, "GET /a", "#/", "m", level="info") for i in ids]
    kept = {f.id for f in filter_findings(findings, exclude_elements=[element])}
    assert kept == set(ids) - dropped


def test_elements_are_oasdiffs_and_two_of_ours() -> None:
    oasdiff = {"examples", "description", "endpoints", "title", "summary", "extensions"}
    assert set(ELEMENTS) == oasdiff | {"request", "response"}


# GitHub Actions annotations --------------------------------------------------------------------


def test_githubactions_annotations() -> None:
    odd = Finding("x-u4b-rule-removed", "", "#/x-u4b-rules/0", "100% gone,\r\nreally: yes", level="info")
    out = githubactions([REMOVED, PROPERTY, odd], "base.yaml", "api/rev,1:x.yaml")
    assert out.splitlines() == [
        "::error title=api-removed-without-deprecation,file=api/rev%2C1%3Ax.yaml::"
        "DELETE /things: DELETE /things removed [#/paths/~1things/delete]",
        "::warning title=response-optional-property-removed,file=api/rev%2C1%3Ax.yaml::"
        "GET /items/{id}: property note removed [" + PROPERTY.location + "]",
        "::notice title=x-u4b-rule-removed,file=api/rev%2C1%3Ax.yaml::100%25 gone,%0D%0Areally: yes [#/x-u4b-rules/0]",
    ]
    assert "file=" not in githubactions([REMOVED], "base.yaml", "git:main:api.yaml")
    assert githubactions([], "a", "b") == ""


# config files ----------------------------------------------------------------------------------


def test_config_file_yaml(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    path = tmp_path / "conf" / ".oasdiff.yaml"
    path.write_text(
        "format: githubactions\nfail-on: ERR\nlevel: warn\nerr-ignore: ignore.txt\nwarn-ignore: /abs/w.txt\n"
        "exclude-elements: endpoints, extensions\ndeprecation-days-beta: 0\nlevels: u4b\nmatch-path: ^/v1\n"
    )
    assert read_config(path) == {
        "format": "githubactions",
        "fail_on": "breaking",
        "level": "warning",
        "err_ignore": str(tmp_path / "conf" / "ignore.txt"),
        "warn_ignore": "/abs/w.txt",
        "exclude_elements": ("endpoints", "extensions"),
        "deprecation_days_beta": 0,
        "levels": "u4b",
        "match_path": "^/v1",
    }


def test_config_file_json_and_toml(tmp_path: Path) -> None:
    (tmp_path / "c.json").write_text(json.dumps({"exclude-elements": ["request"], "deprecation-days-stable": 90}))
    assert read_config(tmp_path / "c.json") == {"exclude_elements": ("request",), "deprecation_days_stable": 90}
    (tmp_path / "c.toml").write_text('fail-on = "warning"\nseverity-levels = "levels.txt"\n')
    assert read_config(tmp_path / "c.toml") == {"fail_on": "warning", "severity_levels": str(tmp_path / "levels.txt")}


@pytest.mark.parametrize(
    ("content", "error"),
    [
        ("colour: auto\n", "unknown key 'colour'"),
        ("composed: true\n", "'composed': an oasdiff option u4b-vouchers diff does not take"),
        ("fail-on: INFO\n", "fail-on: expected one of breaking, warning, err, warn, got 'INFO'"),
        ("format: yaml\n", "format: expected one of"),
        ("deprecation-days-beta: -1\n", "deprecation-days-beta: expected a whole number"),
        ("deprecation-days-beta: true\n", "deprecation-days-beta: expected a whole number"),
        ("err-ignore: [a]\n", "err-ignore: expected a string"),
        ("exclude-elements: [endpoints, paths]\n", "exclude-elements: unknown element 'paths'"),
        ("exclude-elements: {a: 1}\n", "exclude-elements: expected a list"),
        ("- format\n", "expected a mapping"),
        ("format: [\n", "c.yaml"),
    ],
)
def test_config_file_errors(tmp_path: Path, content: str, error: str) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(content)
    with pytest.raises(ConfigFileError, match=error.replace("[", r"\[")) as caught:
        read_config(path)
    assert "\n" not in str(caught.value)


# the command -----------------------------------------------------------------------------------


def base() -> dict[str, Any]:
    """Two paths, a response schema with an optional property, a security scheme."""
    ok = {"200": {"description": "ok"}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Config", "version": "1"},
        "paths": {
            "/items/{id}": {
                "get": {
                    "operationId": "getItem",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}},
                        }
                    },
                }
            },
            "/things": {
                "get": {"operationId": "listThings", "responses": ok},
                "delete": {"operationId": "purge", "responses": ok},
            },
        },
        "components": {
            "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
            "schemas": {
                "Item": {
                    "type": "object",
                    "required": ["id"],
                    "properties": {"id": {"type": "string"}, "note": {"type": "string"}},
                }
            },
        },
    }


def pair(tmp_path: Path) -> tuple[str, str]:
    """A base and a revision: DELETE /things removed (breaking), GET /items/{id}'s optional
    property note removed (warning), the security scheme ``key`` removed (document-wide)."""
    b = base()
    r = copy.deepcopy(b)
    del r["paths"]["/things"]["delete"]
    del r["components"]["schemas"]["Item"]["properties"]["note"]
    del r["components"]["securitySchemes"]["key"]
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(b, sort_keys=False))
    (tmp_path / "rev.yaml").write_text(yaml.safe_dump(r, sort_keys=False))
    (tmp_path / "levels.txt").write_text(
        "api-removed-without-deprecation ERR\nresponse-optional-property-removed WARN\n"
        "api-security-component-removed WARN\n"
    )
    return str(tmp_path / "base.yaml"), str(tmp_path / "rev.yaml")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any, str]:
    code = main(["diff", *args])
    out, err = capsys.readouterr()
    try:
        data = json.loads(out)
    except ValueError:
        data = out
    return code, data, err


def ids(data: Any) -> list[tuple[str, str]]:
    return sorted((f["id"], f["level"]) for f in data["findings"])


def test_command_ignore_files_and_fail_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    b, r = pair(tmp_path)
    pinned = ["--format", "json", "--severity-levels", str(tmp_path / "levels.txt")]
    code, data, _ = run(capsys, b, r, *pinned, "--fail-on", "breaking")
    assert code == 1
    assert ids(data) == [
        ("api-removed-without-deprecation", "breaking"),
        ("api-security-component-removed", "warning"),
        ("response-optional-property-removed", "warning"),
    ]
    (tmp_path / "err.txt").write_text("DELETE /things api-removed-without-deprecation\n")
    (tmp_path / "warn.txt").write_text("GET /items/{id} response-optional-property-removed\n")
    args = [*pinned, "--err-ignore", str(tmp_path / "err.txt"), "--warn-ignore", str(tmp_path / "warn.txt")]
    code, data, _ = run(capsys, b, r, *args, "--fail-on", "breaking")
    assert code == 0
    assert ids(data) == [("api-security-component-removed", "warning")]
    assert run(capsys, b, r, *args, "--fail-on", "WARN")[0] == 1


def test_command_fail_on_uses_the_final_levels(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    b, r = pair(tmp_path)
    (tmp_path / "soft.txt").write_text(
        "api-removed-without-deprecation INFO\nresponse-optional-property-removed NONE\n"
        "api-security-component-removed INFO\n"
    )
    code, data, _ = run(
        capsys, b, r, "--format", "json", "--severity-levels", str(tmp_path / "soft.txt"), "--fail-on", "warning"
    )
    assert code == 0
    assert ids(data) == [("api-removed-without-deprecation", "info"), ("api-security-component-removed", "info")]


def test_command_filters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    b, r = pair(tmp_path)
    _, data, _ = run(capsys, b, r, "--format", "json", "--match-path", "^/items")
    assert {f["id"] for f in data["findings"]} == {
        "response-optional-property-removed",
        "api-security-component-removed",
    }
    _, data, _ = run(
        capsys, b, r, "--format", "json", "--exclude-elements", "endpoints", "--exclude-elements", "response"
    )
    assert {f["id"] for f in data["findings"]} == {"api-security-component-removed"}


def test_command_githubactions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    b, r = pair(tmp_path)
    code, out, _ = run(capsys, b, r, "--format", "githubactions", "--severity-levels", str(tmp_path / "levels.txt"))
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 3
    assert f"::error title=api-removed-without-deprecation,file={r.replace(':', '%3A')}::DELETE /things: " in out
    assert all(line.startswith(("::error ", "::warning ")) for line in lines)


def test_command_config_file_and_flags_win(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    b, r = pair(tmp_path)
    (tmp_path / "err.txt").write_text("DELETE /things api-removed-without-deprecation\n")
    config = tmp_path / "oasdiff.yaml"
    config.write_text("format: json\nfail-on: ERR\nseverity-levels: levels.txt\nerr-ignore: err.txt\n")
    code, data, _ = run(capsys, b, r, "--config", str(config))
    assert code == 0  # the breaking removal is ignored
    assert ("api-removed-without-deprecation", "breaking") not in ids(data)
    code, data, _ = run(capsys, b, r, "--config", str(config), "--fail-on", "warning", "--match-path", "things")
    assert code == 1  # the warning on /items is filtered out, the document-wide one is kept
    assert ids(data) == [("api-security-component-removed", "warning")]
    code, out, _ = run(capsys, b, r, "--config", str(config), "--format", "text", "--err-ignore", str(config))
    assert code == 1
    assert out.startswith(f"{b} -> {r}: 1 breaking")


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--err-ignore", "missing.txt"], "--err-ignore: missing.txt: no such file"),
        (["--warn-ignore", "."], "--warn-ignore: .: is a directory"),
        (["--severity-levels", "bad.txt"], "bad.txt:1: unknown rule id 'nope'"),
        (["--match-path", "("], "--match-path: not a regular expression: '('"),
        (["--config", "bad.yaml"], "bad.yaml: unknown key 'nope'"),
        (["--config", "missing.yaml"], "missing.yaml: no such file"),
    ],
)
def test_command_bad_input_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, args: list[str], error: str
) -> None:
    b, r = pair(tmp_path)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.txt").write_text("nope ERR\n")
    (tmp_path / "bad.yaml").write_text("nope: 1\n")
    code, out, err = run(capsys, b, r, *args)
    assert code == 2
    assert out == ""
    assert err.startswith("u4b-vouchers: error: ")
    assert error in err
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    "args",
    [
        ["--exclude-elements", "endpoints,paths"],
        ["--levels", "strict"],
        ["--fail-on", "info"],
        ["--deprecation-days-beta", "-3"],
        ["--format", "yaml"],
    ],
)
def test_command_bad_flag_values(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    b, r = pair(tmp_path)
    with pytest.raises(SystemExit) as exited:
        main(["diff", b, r, *args])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("u4b-vouchers diff: error: argument ")
    assert err.count("\n") == 1


def test_help_documents_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["diff", "--help"])
    out = capsys.readouterr().out
    for flag in (
        "--config",
        "--levels",
        "--severity-levels",
        "--err-ignore",
        "--warn-ignore",
        "--match-path",
        "--unmatch-path",
        "--exclude-elements",
        "--deprecation-days-beta",
        "--deprecation-days-stable",
        "githubactions",
        "--fail-on",
    ):
        assert flag in out
    assert "ERR (breaking), WARN (warning), INFO, NONE" in out


def test_deprecation_days_reach_the_config(tmp_path: Path) -> None:
    def config(*args: str) -> DiffConfig:
        return command.configure(command.options(build_parser().parse_args(["diff", "a", "b", *args])))

    default = DiffConfig()
    assert (config().deprecation_days_beta, config().deprecation_days_stable) == (
        default.deprecation_days_beta,
        default.deprecation_days_stable,
    )
    (tmp_path / "c.yaml").write_text("deprecation-days-beta: 7\ndeprecation-days-stable: 60\n")
    chosen = config("--config", str(tmp_path / "c.yaml"), "--deprecation-days-stable", "0")
    assert (chosen.deprecation_days_beta, chosen.deprecation_days_stable) == (7, 0)


def test_the_config_reaches_the_checks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    b, r = pair(tmp_path)
    seen: list[DiffConfig | None] = []

    def spy(base: Any, revision: Any, config: DiffConfig | None = None) -> list[Finding]:
        seen.append(config)
        return []

    monkeypatch.setattr(command, "diff", spy)
    assert run(capsys, b, r, "--deprecation-days-beta", "3")[0] == 0
    assert seen[0] is not None
    assert seen[0].deprecation_days_beta == 3


def test_deprecation_days_change_what_a_deprecation_is(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    b = base()
    r = copy.deepcopy(b)
    r["paths"]["/things"]["get"]["deprecated"] = True
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(b, sort_keys=False))
    (tmp_path / "rev.yaml").write_text(yaml.safe_dump(r, sort_keys=False))
    (tmp_path / "c.yaml").write_text("deprecation-days-stable: 30\nformat: json\n")
    both = [str(tmp_path / "base.yaml"), str(tmp_path / "rev.yaml"), "--config", str(tmp_path / "c.yaml")]
    _, data, _ = run(capsys, *both)
    assert [f["id"] for f in data["findings"]] == ["api-deprecated-sunset-missing"]
    _, data, _ = run(capsys, *both, "--deprecation-days-stable", "0")
    assert [f["id"] for f in data["findings"]] == ["endpoint-deprecated"]
