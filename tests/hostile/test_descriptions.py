"""Hostile descriptions and recordings for ``lint``, ``diff``, ``diff --validate`` and ``replay``.

Each hostile case is refused in one line with exit 2: no traceback, no hang, nothing of a file
outside the description's folder in any output or report, no request to a loopback server a
``$ref`` names. Legitimate references (a sibling file, a recursive schema, ``--ref-root``) still
work.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml
from referencing.exceptions import Unresolvable

from tests.hostile.loopback import loopback
from u4b_vouchers.cli.main import main
from u4b_vouchers.spec import MAX_BYTES, RefPolicy, SchemaValidator, load_spec, policy_reader, spec_validator

MARKER = "SECRET-MARKER-5b1e9"
PREFIX = "u4b-vouchers: error: "


class Counter(BaseHTTPRequestHandler):
    """Answers every GET with a schema holding the marker, and counts the requests."""

    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).hits.append(self.path)
        body = json.dumps({"type": "string", "enum": [MARKER]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A loopback HTTP server (port 0, in a thread); yields its base URL."""
    with loopback(Counter) as url:
        yield url


@dataclass
class Tree:
    """``tmp/w/x/api`` holds the descriptions; secrets sit beside and far outside it."""

    tmp: Path
    api: Path
    url: str

    @property
    def base(self) -> Path:
        return self.api / "base.yaml"

    @property
    def cassette(self) -> Path:
        return self.tmp / "cassette.json"

    @property
    def report(self) -> Path:
        return self.tmp / "reports" / "report.md"


def description(schemas: dict[str, Any]) -> dict[str, Any]:
    """A small valid description whose one operation answers with schema ``A``."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "hostile", "version": "1"},
        "paths": {
            "/pets": {
                "get": {
                    "operationId": "listPets",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}},
                        }
                    },
                }
            }
        },
        "components": {"schemas": schemas},
    }


def write(path: Path, data: Any) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def refers(tree: Tree, ref: str) -> Path:
    return write(tree.api / "revision.yaml", description({"A": {"$ref": ref}}))


@pytest.fixture
def tree(tmp_path: Path, server: str) -> Tree:
    api = tmp_path / "w" / "x" / "api"
    api.mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    write(tmp_path / "outside" / "secret.yaml", {"type": "string", "enum": [MARKER]})
    (tmp_path / "w" / "x" / ".env").write_text(f"TOKEN={MARKER}\n", encoding="utf-8")
    write(api / "base.yaml", description({"A": {"type": "string"}}))
    (tmp_path / "cassette.json").write_text('{"interactions": []}', encoding="utf-8")
    Counter.hits.clear()
    return Tree(tmp_path, api, server)


def _bomb(tree: Tree) -> Path:
    """Nine levels of nine aliases: about 1.3 kB that stands for 9**9 strings."""
    lines = ['openapi: "3.1.0"', "info: {title: bomb, version: '1'}", "paths: {}", "components:", "  schemas:"]
    lines.append("    A: {type: string}")
    lines.append("x-bomb:")
    lines.append("  l0: &l0 [" + ", ".join(['"lollollollollol"'] * 9) + "]")
    lines += [f"  l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, 9)]
    path = tree.api / "revision.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _symlink(tree: Tree) -> Path:
    (tree.api / "link.yaml").symlink_to(tree.tmp / "outside" / "secret.yaml")
    return refers(tree, "link.yaml")


def _two_file_cycle(tree: Tree) -> Path:
    write(tree.api / "a.yaml", {"$ref": "b.yaml"})
    write(tree.api / "b.yaml", {"$ref": "a.yaml"})
    return refers(tree, "a.yaml")


def _text(tree: Tree, text: str | bytes) -> Path:
    path = tree.api / "revision.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _sparse(path: Path, size: int) -> None:
    """A file of ``size`` bytes that takes no room on disk."""
    with path.open("ab") as handle:
        handle.truncate(size)


def _huge(tree: Tree) -> Path:
    path = tree.api / "revision.yaml"
    path.write_bytes(b"openapi: 3.1.0\n")
    _sparse(path, MAX_BYTES + 1)
    return path


def _huge_sibling(tree: Tree) -> Path:
    _sparse(tree.api / "big.yaml", MAX_BYTES + 1)
    return refers(tree, "big.yaml")


def _non_utf8_sibling(tree: Tree) -> Path:
    (tree.api / "latin.yaml").write_bytes(b"type: string\ndescription: caf\xe9\n")
    return refers(tree, "latin.yaml")


def _bomb_sibling(tree: Tree) -> Path:
    _bomb(tree).rename(tree.api / "bombed.yaml")
    return refers(tree, "bombed.yaml#/components/schemas/A")


#: (case, how to make the revision, what stderr must name). The secret marker is in every
#: file outside; none of it may show.
CASES: list[tuple[str, Callable[[Tree], Path], str]] = [
    ("absolute-path", lambda t: refers(t, str(t.tmp / "outside" / "secret.yaml")), "secret.yaml' refused: outside"),
    ("dot-dot", lambda t: refers(t, "../../../outside/secret.yaml"), "secret.yaml' refused: outside"),
    ("symlink-out", _symlink, "'link.yaml' refused: outside"),
    ("dev-zero", lambda t: refers(t, "/dev/zero"), "'/dev/zero' refused"),
    ("etc-passwd-pointer", lambda t: refers(t, "/etc/passwd#/root"), "'/etc/passwd#/root' refused: outside"),
    ("dot-env-beside", lambda t: refers(t, "../.env"), "'../.env' refused: outside"),
    ("http-loopback", lambda t: refers(t, t.url + "/schema.json"), "schema.json' refused: a URL"),
    ("file-url", lambda t: refers(t, (t.tmp / "outside" / "secret.yaml").as_uri()), "refused: a URL"),
    ("protocol-relative", lambda t: refers(t, "//127.0.0.1/schema.json"), "refused: a URL"),
    ("percent-dot-dot", lambda t: refers(t, "%2e%2e/%2e%2e/%2e%2e/outside/secret.yaml"), "refused: outside"),
    ("percent-nul", lambda t: refers(t, "secret.yaml%00.yaml"), "refused: not a file name"),
    ("a-folder", lambda t: refers(t, "."), "'.' refused: not a regular file"),
    ("name-too-long", lambda t: refers(t, "a" * 5000), "refused: cannot be read (File name too long)"),
    ("data-url", lambda t: refers(t, "data:application/json,{}"), "refused: a URL"),
    ("self-cycle", lambda t: refers(t, "#/components/schemas/A"), "circular $ref"),
    ("two-file-cycle", _two_file_cycle, "circular $ref"),
    ("alias-bomb", _bomb, "YAML aliases expand to more than"),
    ("alias-bomb-in-sibling", _bomb_sibling, "bombed.yaml:"),
    ("deep-nesting", lambda t: _text(t, "openapi: 3.1.0\npaths: {}\nx: " + "[" * 1000 + "]" * 1000 + "\n"), "deep"),
    ("non-utf8", lambda t: _text(t, b"openapi: 3.1.0\npaths: {}\nx: \xff\xfe\n"), "not UTF-8 text (byte 0xff"),
    ("non-utf8-sibling", _non_utf8_sibling, "latin.yaml: not UTF-8 text"),
    ("over-size-cap", _huge, f"larger than {MAX_BYTES} bytes"),
    ("over-size-cap-sibling", _huge_sibling, f"larger than {MAX_BYTES} bytes"),
]

COMMANDS: dict[str, Callable[[Tree, Path], list[str]]] = {
    "lint": lambda t, rev: ["lint", "--quiet", "--html", str(t.report), str(rev)],
    "diff": lambda t, rev: ["diff", str(t.base), str(rev), "--format", "json", "--output", str(t.report)],
    "diff-validate": lambda t, rev: ["diff", "--validate", str(t.base), str(rev), "--output", str(t.report)],
    "replay": lambda t, rev: ["replay", str(t.cassette), "--spec", str(rev), "--format", "json"],
}


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> bool:
    """``u4b-vouchers: error: ...`` and nothing else."""
    return err.startswith(PREFIX) and len(err.strip().splitlines()) == 1


def assert_refused(code: int, out: str, err: str, names: str, tree: Tree) -> None:
    assert code == 2, (code, err[-400:])
    assert one_line(err), err[-400:]
    assert names in err, err
    assert "Traceback" not in err + out
    assert MARKER not in out + err
    assert not tree.report.exists(), "no report is written for a refused description"
    assert Counter.hits == [], "no $ref is ever fetched"


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize(("case", "make", "names"), CASES, ids=[case for case, _, _ in CASES])
def test_hostile_description_is_refused_in_one_line(
    tree: Tree,
    capsys: pytest.CaptureFixture[str],
    command: str,
    case: str,
    make: Callable[[Tree], Path],
    names: str,
) -> None:
    revision = make(tree)
    code, out, err = run(COMMANDS[command](tree, revision), capsys)
    assert_refused(code, out, err, names, tree)


@pytest.mark.parametrize("target", ["description", "sibling"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_fifo_is_never_opened(tree: Tree, command: str, target: str) -> None:
    """A FIFO as the description or as a $ref target: refused before it is opened (reading
    one would block forever; the subprocess timeout is only a hang guard)."""
    os.mkfifo(tree.api / "pipe.yaml")
    revision = tree.api / "pipe.yaml" if target == "description" else refers(tree, "pipe.yaml")
    result = subprocess.run(
        [sys.executable, "-m", "u4b_vouchers.cli.main", *COMMANDS[command](tree, revision)],
        capture_output=True,
        text=True,
        timeout=60,  # a hang guard only
        check=False,
    )
    assert result.returncode == 2, result.stderr[-400:]
    assert one_line(result.stderr), result.stderr[-400:]
    assert "not a regular file" in result.stderr


HOSTILE_RECORDINGS: list[tuple[str, Callable[[Path], None], str]] = [
    ("non-utf8", lambda p: p.write_bytes(b'{"interactions": ["\xff"]}'), "not UTF-8 text"),
    ("over-size-cap", lambda p: _sparse(p, MAX_BYTES + 1), "larger than"),
    ("deep-nesting", lambda p: p.write_text('{"interactions": ' + "[" * 1000 + "]" * 1000 + "}"), "deep"),
    ("not-json", lambda p: p.write_text("interactions: [] # yaml"), "not a recording"),
    ("dev-null-link", lambda p: p.symlink_to("/dev/null"), "not a regular file"),
]


@pytest.mark.parametrize(("case", "make", "names"), HOSTILE_RECORDINGS, ids=[c for c, _, _ in HOSTILE_RECORDINGS])
def test_hostile_recording_is_refused_in_one_line(
    tree: Tree, capsys: pytest.CaptureFixture[str], case: str, make: Callable[[Path], None], names: str
) -> None:
    recording = tree.tmp / "hostile.json"
    make(recording)
    code, out, err = run(["replay", str(recording), "--spec", str(tree.base)], capsys)
    assert_refused(code, out, err, names, tree)


# --- what must keep working ---------------------------------------------------------------


def _sibling_pet(tree: Tree, folder: Path, ref_prefix: str) -> Path:
    """A revision whose schema A lives in another file (``ref_prefix`` + pet.yaml), with a new
    enum value that only a followed reference can show."""
    folder.mkdir(parents=True, exist_ok=True)

    def pet(*names: str) -> dict[str, Any]:
        return {"type": "object", "properties": {"kind": {"type": "string", "enum": list(names)}}}

    write(folder / "pet.yaml", {"Pet": pet("cat", "dog-from-sibling")})
    write(tree.base, description({"A": pet("cat")}))
    return refers(tree, f"{ref_prefix}pet.yaml#/Pet")


POSITIVE: dict[str, Callable[[Tree, Path], list[str]]] = {
    "lint": lambda t, rev: ["lint", "--quiet", "--skip", "spectral", "--skip", "redocly", str(rev)],
    "diff": COMMANDS["diff"],
    "diff-validate": COMMANDS["diff-validate"],
    "replay": COMMANDS["replay"],
}


@pytest.mark.parametrize("command", sorted(POSITIVE))
def test_a_sibling_file_inside_the_folder_is_followed(
    tree: Tree, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    revision = _sibling_pet(tree, tree.api / "schemas", "schemas/")
    code, _, err = run(POSITIVE[command](tree, revision), capsys)
    assert code in (0, 1), err
    if command.startswith("diff"):
        assert "dog-from-sibling" in tree.report.read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(POSITIVE))
def test_ref_root_widens_the_folder(tree: Tree, capsys: pytest.CaptureFixture[str], command: str) -> None:
    revision = _sibling_pet(tree, tree.tmp / "w" / "shared", "../../shared/")
    argv = POSITIVE[command](tree, revision)
    code, _, err = run(argv, capsys)
    assert code == 2, err
    assert "refused: outside" in err
    code, _, err = run([*argv, "--ref-root", str(tree.tmp / "w")], capsys)
    assert code in (0, 1), err
    if command.startswith("diff"):
        assert "dog-from-sibling" in tree.report.read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(POSITIVE))
def test_a_recursive_schema_across_files_is_handled(
    tree: Tree, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """Recursion through properties is a legitimate cycle: no refusal, no traceback."""
    write(tree.api / "node.yaml", {"type": "object", "properties": {"next": {"$ref": "node.yaml"}}})
    revision = write(
        tree.api / "revision.yaml",
        description({"A": {"type": "object", "properties": {"children": {"items": {"$ref": "node.yaml"}}}}}),
    )
    code, _, err = run(POSITIVE[command](tree, revision), capsys)
    assert code in (0, 1), err


@pytest.mark.node
def test_node_linters_fetch_nothing(tree: Tree, capsys: pytest.CaptureFixture[str]) -> None:
    """Spectral and Redocly only ever see a description whose references passed the policy."""
    code, out, err = run(["lint", "--quiet", str(refers(tree, tree.url + "/schema.json"))], capsys)
    assert_refused(code, out, err, "refused: a URL", tree)
    revision = _sibling_pet(tree, tree.api / "schemas", "schemas/")
    code, out, err = run(["lint", "--quiet", "--only", "spectral", "--only", "redocly", str(revision)], capsys)
    assert code in (0, 1), err
    assert "did not report" not in out
    assert Counter.hits == []


# --- git: sources -------------------------------------------------------------------------


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tree: Tree, monkeypatch: pytest.MonkeyPatch) -> Path:
    write(tree.api / "escape.yaml", description({"A": {"$ref": "../../../outside/secret.yaml"}}))
    _sibling_pet(tree, tree.api / "schemas", "schemas/")
    git(tree.tmp, "init", "-q")
    git(tree.tmp, "add", ".")
    git(tree.tmp, "commit", "-qm", "hostile")
    monkeypatch.chdir(tree.tmp)
    return tree.tmp


@pytest.mark.parametrize(
    "spec",
    ["git:--output=injected.txt:w/x/api/base.yaml", "git:HEAD:--output=injected.txt", "git:-p:w/x/api/base.yaml"],
)
def test_git_refs_are_never_options(repo: Path, capsys: pytest.CaptureFixture[str], spec: str) -> None:
    code, _, err = run(["diff", "w/x/api/base.yaml", spec], capsys)
    assert code == 2, err
    assert one_line(err)
    assert "may not start with '-'" in err
    assert not (repo / "injected.txt").exists()


@pytest.mark.parametrize("validate", [[], ["--validate"]])
def test_git_revision_refs_stay_in_its_folder(
    repo: Path, capsys: pytest.CaptureFixture[str], validate: list[str]
) -> None:
    code, out, err = run(["diff", *validate, "w/x/api/base.yaml", "git:HEAD:w/x/api/escape.yaml"], capsys)
    assert code == 2, err
    assert "refused: outside w/x/api" in err
    assert MARKER not in out + err
    code, out, err = run(["diff", *validate, "git:HEAD:w/x/api/base.yaml", "git:HEAD:w/x/api/revision.yaml"], capsys)
    assert code == 0, err
    assert "dog-from-sibling" in out


@pytest.mark.parametrize("command", sorted(POSITIVE))
def test_ref_root_must_be_a_folder(tree: Tree, capsys: pytest.CaptureFixture[str], command: str) -> None:
    code, _, err = run([*POSITIVE[command](tree, tree.base), "--ref-root", str(tree.tmp / "nowhere")], capsys)
    assert code == 2, err
    assert one_line(err)
    assert "--ref-root: no such folder" in err


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_schema_id_cannot_move_refs_outside(tree: Tree, capsys: pytest.CaptureFixture[str], command: str) -> None:
    """``$id`` rebases a schema's relative refs for JSON Schema validators: the retrieval they
    would ask for is refused by the same policy (a finding or one line, never the content)."""
    outside = (tree.tmp / "outside").as_uri() + "/"
    schema = {"$id": outside, "type": "object", "properties": {"p": {"$ref": "secret.yaml"}}}
    revision = write(tree.api / "revision.yaml", description({"A": {**schema, "examples": [{"p": "x"}]}}))
    code, out, err = run(COMMANDS[command](tree, revision), capsys)
    assert code in (0, 1, 2), err
    assert "Traceback" not in out + err
    assert MARKER not in out + err
    if code == 2:
        assert one_line(err)
    if tree.report.exists():
        assert MARKER not in tree.report.read_text(encoding="utf-8")
    assert Counter.hits == []


def test_a_deeply_nested_recorded_body_is_judged_not_crashed(tree: Tree, capsys: pytest.CaptureFixture[str]) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    exchange = {
        "method": "GET",
        "url": "http://127.0.0.1/pets",
        "request": {"body": None},
        "response": {"status": 200, "headers": {"Content-Type": "application/json"}, "body": deep},
    }
    tree.cassette.write_text(json.dumps({"interactions": [exchange]}), encoding="utf-8")
    code, out, err = run(["replay", str(tree.cassette), "--spec", str(tree.base)], capsys)
    assert code == 1, err
    assert "nested too deeply to judge" in out


def _companion_link(name: str) -> Callable[[Tree], None]:
    return lambda t: (t.api / name).symlink_to(t.tmp / "outside" / "secret.yaml")


def _companion_bomb(tree: Tree) -> None:
    _bomb(tree).rename(tree.api / "x-u4b-rules.schema.yaml")


HOSTILE_COMPANIONS: list[tuple[str, Callable[[Tree], None], str]] = [
    ("inventory-symlink-out", _companion_link("inventory.yaml"), "inventory.yaml: companion file refused: outside"),
    ("decisions-symlink-out", _companion_link("DECISIONS.md"), "DECISIONS.md: companion file refused: outside"),
    ("spectral-ruleset-dev-zero", lambda t: (t.api / "spectral.yaml").symlink_to("/dev/zero"), "refused: outside"),
    ("rules-schema-alias-bomb", _companion_bomb, "YAML aliases expand to more than"),
    ("extensions-non-utf8", lambda t: (t.api / "extensions.md").write_bytes(b"# x-\xff\n"), "not UTF-8 text"),
    ("redocly-over-size-cap", lambda t: _sparse(t.api / "redocly.yaml", MAX_BYTES + 1), "larger than"),
]


@pytest.mark.parametrize(("case", "make", "names"), HOSTILE_COMPANIONS, ids=[c for c, _, _ in HOSTILE_COMPANIONS])
def test_hostile_companion_file_is_refused_in_one_line(
    tree: Tree, capsys: pytest.CaptureFixture[str], case: str, make: Callable[[Tree], None], names: str
) -> None:
    """The inventory, decision log, rulesets and schema beside a description come from the same
    pull request: they are read as the description is, or not at all."""
    make(tree)
    code, out, err = run(["lint", "--quiet", "--html", str(tree.report), str(tree.base)], capsys)
    assert_refused(code, out, err, names, tree)


def test_a_companion_fifo_is_never_opened(tree: Tree) -> None:
    os.mkfifo(tree.api / "DECISIONS.md")
    result = subprocess.run(
        [sys.executable, "-m", "u4b_vouchers.cli.main", "lint", "--quiet", str(tree.base)],
        capture_output=True,
        text=True,
        timeout=60,  # a hang guard only
        check=False,
    )
    assert result.returncode == 2, result.stderr[-400:]
    assert one_line(result.stderr), result.stderr[-400:]
    assert "DECISIONS.md: companion file refused: not a regular file" in result.stderr


NODE_CONFIGS: list[tuple[str, str, dict[str, Any], str]] = [
    ("spectral-extends-url", "spectral.yaml", {"extends": ["spectral:oas", "URL/r.yaml"]}, "extends 'http"),
    ("spectral-extends-file", "spectral.yaml", {"extends": [["../../../outside/secret.yaml", "all"]]}, "extends '../"),
    ("spectral-functions", "spectral.yaml", {"extends": "spectral:oas", "functions": ["evil"]}, "'functions'"),
    ("spectral-functions-dir", "spectral.yaml", {"functionsDir": "../../..", "rules": {}}, "'functionsDir'"),
    ("redocly-plugins", "redocly.yaml", {"plugins": ["./evil.js"], "extends": ["recommended"]}, "'plugins'"),
    ("redocly-extends-url", "redocly.yaml", {"extends": ["URL/r.yaml"]}, "extends 'http"),
]


@pytest.mark.parametrize(("case", "name", "config", "names"), NODE_CONFIGS, ids=[c for c, _, _, _ in NODE_CONFIGS])
def test_a_node_linter_config_beside_a_description_loads_nothing_else(
    tree: Tree, capsys: pytest.CaptureFixture[str], case: str, name: str, config: dict[str, Any], names: str
) -> None:
    """Spectral and Redocly would fetch, read or run what their configuration names; one that
    comes with the description may extend only the tools' built-in rulesets."""
    text = json.dumps(config).replace("URL", tree.url)
    (tree.api / name).write_text(text, encoding="utf-8")
    code, out, err = run(["lint", "--quiet", str(tree.base)], capsys)
    assert_refused(code, out, err, names, tree)


@pytest.mark.parametrize("command", sorted(POSITIVE))
def test_a_few_yaml_aliases_are_fine(tree: Tree, capsys: pytest.CaptureFixture[str], command: str) -> None:
    """The alias cap counts expanded nodes: ordinary reuse of an anchor is well under it."""
    text = yaml.safe_dump(description({"A": {"type": "string"}}), sort_keys=False)
    text = text.replace("    A:\n      type: string\n", "    A: &a\n      type: string\n    B: *a\n    C: *a\n")
    revision = _text(tree, text)
    assert "*a" in revision.read_text(encoding="utf-8")
    code, _, err = run(POSITIVE[command](tree, revision), capsys)
    assert code in (0, 1), err


# --- the resolvers themselves, past the up-front check ---------------------------------------


def test_openapi_spec_validator_reads_only_through_the_policy(tree: Tree) -> None:
    """Even on data the closure check never saw, the validator's resolver fetches nothing."""
    data = description({"A": {"$ref": tree.url + "/schema.json"}, "B": {"$ref": "../../../outside/secret.yaml"}})
    validator = spec_validator(data, tree.base.resolve().as_uri(), policy_reader(RefPolicy.beside(tree.base)))
    try:
        messages = [str(error) for error in validator.iter_errors()]
    except Exception as exc:  # the resolver's refusal, as the library passes it on
        messages = [str(exc)]
    assert Counter.hits == []
    assert MARKER not in " ".join(messages)


def test_schema_validator_retrieves_only_what_the_policy_admits(tree: Tree) -> None:
    spec = load_spec(tree.base)
    spec.data["components"]["schemas"]["A"] = {"$ref": (tree.tmp / "outside" / "secret.yaml").as_uri()}
    with pytest.raises(Unresolvable):
        SchemaValidator(spec).is_valid("#/components/schemas/A", MARKER)
