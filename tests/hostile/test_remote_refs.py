"""``--allow-remote-refs``: http(s) references fetched by one bounded fetcher, or refused.

A loopback server serves schemas by path and counts requests with their User-Agent. With the
flag, ``lint``, ``diff``, ``diff --validate`` and ``replay`` follow a remote schema, fetching
each URL exactly once, and the Node linters fetch nothing themselves. Without it, or for a
scheme other than http(s), a redirect elsewhere, an oversize, stalling, bomb or non-UTF-8
document, the command stops in one line with exit 2 and nothing of the document shows.
"""

from __future__ import annotations

import json
import subprocess
import threading
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml

from tests.hostile.loopback import loopback
from u4b_vouchers.cli.main import main
from u4b_vouchers.lint.mirror import node_view
from u4b_vouchers.spec import MAX_BYTES, Fetcher, load_spec, parse, remote

MARKER = "REMOTE-MARKER-c41d7"
PREFIX = "u4b-vouchers: error: "

#: Path -> (status, headers, body). ``/stall`` never answers, ``/stream-huge`` streams past the cap.
Route = tuple[int, dict[str, str], bytes]


def _json(data: Any) -> Route:
    return 200, {"Content-Type": "application/json"}, json.dumps(data).encode()


BOMB = "\n".join(
    ['l0: &l0 ["' + MARKER + '", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, 9)]
).encode()


class Server(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, Route]] = {}
    hits: ClassVar[list[tuple[str, str]]] = []
    encodings: ClassVar[list[str]] = []
    release: ClassVar[threading.Event] = threading.Event()

    def do_GET(self) -> None:
        type(self).hits.append((self.path, self.headers.get("User-Agent", "")))
        type(self).encodings.append(self.headers.get("Accept-Encoding", ""))
        if self.path == "/stall":
            type(self).release.wait(30)
            return
        if self.path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            try:
                for _ in range(1000):
                    if type(self).release.wait(0.05):
                        return
                    self.wfile.write(b" ")
                    self.wfile.flush()
            except OSError:
                pass
            return
        if self.path == "/stream-huge":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            chunk = b" " * (1 << 20)
            try:
                for _ in range(MAX_BYTES // len(chunk) + 4):
                    self.wfile.write(chunk)
            except OSError:
                pass  # the client stopped reading at the cap
            return
        status, headers, body = type(self).routes.get(self.path, (404, {}, b"not found"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with loopback(Server, stopping=Server.release.set) as url:
        yield url


@dataclass
class Tree:
    api: Path
    url: str
    report: Path
    cassette: Path

    @property
    def base(self) -> Path:
        return self.api / "base.yaml"


def description(schema: dict[str, Any], example: Any = None) -> dict[str, Any]:
    media: dict[str, Any] = {"schema": {"$ref": "#/components/schemas/A"}}
    if example is not None:
        media["example"] = example
    return {
        "openapi": "3.1.0",
        "info": {"title": "remote", "version": "1"},
        "paths": {
            "/pets": {
                "get": {
                    "operationId": "listPets",
                    "responses": {"200": {"description": "ok", "content": {"application/json": media}}},
                }
            }
        },
        "components": {"schemas": {"A": schema}},
    }


def write(path: Path, data: Any) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def tree(tmp_path: Path, server: str, monkeypatch: pytest.MonkeyPatch) -> Tree:
    api = tmp_path / "api"
    api.mkdir()
    write(api / "base.yaml", description({"type": "string"}))
    cassette = tmp_path / "cassette.json"
    cassette.write_text('{"interactions": []}', encoding="utf-8")
    Server.hits.clear()
    Server.encodings.clear()
    Server.routes = {
        "/schema.json": _json({"type": "string", "enum": ["a", "b"], "description": MARKER}),
        "/narrower.json": _json({"type": "string", "enum": ["a"], "description": MARKER}),
        "/dir/outer.json": _json({"$ref": "inner.json"}),
        "/dir/inner.json": _json({"type": "string", "enum": ["a"], "description": MARKER}),
    }
    monkeypatch.setattr(remote, "TIMEOUT_SECONDS", 0.5)
    return Tree(api, server, tmp_path / "reports" / "report.md", cassette)


def refers(tree: Tree, ref: str, example: Any = None) -> Path:
    return write(tree.api / "revision.yaml", description({"$ref": ref}, example))


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def paths_hit() -> list[str]:
    return [path for path, _ in Server.hits]


def ours_only() -> bool:
    return all(agent == remote.USER_AGENT for _, agent in Server.hits)


FLAG = "--allow-remote-refs"
PYTHON_LINT = ["lint", "--quiet", "--skip", "spectral", "--skip", "redocly"]

COMMANDS: dict[str, Callable[[Tree, Path], list[str]]] = {
    "lint": lambda t, rev: [*PYTHON_LINT, "--html", str(t.report), str(rev)],
    "diff": lambda t, rev: ["diff", str(t.base), str(rev), "--format", "json", "--output", str(t.report)],
    "diff-validate": lambda t, rev: ["diff", "--validate", str(t.base), str(rev), "--output", str(t.report)],
    "replay": lambda t, rev: ["replay", str(t.cassette), "--spec", str(rev), "--format", "json"],
}


def assert_refused(code: int, out: str, err: str, names: str, tree: Tree) -> None:
    assert code == 2, (code, err[-400:], out[-400:])
    assert err.startswith(PREFIX), err[-400:]
    assert len(err.strip().splitlines()) == 1, err[-400:]
    assert names in err, err
    assert "Traceback" not in err + out
    assert MARKER not in out + err
    assert not tree.report.exists(), "no report is written for a refused description"


# --- with the flag, a remote schema is followed ---------------------------------------------


def test_lint_follows_a_remote_schema(tree: Tree, capsys: pytest.CaptureFixture[str]) -> None:
    """The example ``"z"`` breaks the remote enum: the examples check must have read it."""
    revision = refers(tree, tree.url + "/schema.json", example="z")
    code, out, err = run([*PYTHON_LINT, FLAG, str(revision)], capsys)
    assert code == 1, err
    assert "examples" in out, out
    assert "'z' is not one of" in out, out
    assert paths_hit() == ["/schema.json"]
    assert ours_only()


def test_relative_refs_in_a_fetched_document_resolve_against_its_url(
    tree: Tree, capsys: pytest.CaptureFixture[str]
) -> None:
    revision = refers(tree, tree.url + "/dir/outer.json", example="z")
    code, out, err = run([*PYTHON_LINT, FLAG, str(revision)], capsys)
    assert code == 1, err
    assert "'z' is not one of" in out, out
    assert sorted(paths_hit()) == ["/dir/inner.json", "/dir/outer.json"]


def test_diff_shows_a_change_in_a_remote_enum(tree: Tree, capsys: pytest.CaptureFixture[str]) -> None:
    base = write(tree.api / "base.yaml", description({"$ref": tree.url + "/schema.json"}))
    revision = refers(tree, tree.url + "/narrower.json")
    code, out, err = run(["diff", FLAG, "--format", "json", str(base), str(revision)], capsys)
    assert code == 0, err
    assert "response-mediatype-enum-value-removed" in out, out
    assert "enum value 'b' removed" in out, out
    assert sorted(paths_hit()) == ["/narrower.json", "/schema.json"]
    assert ours_only()


def test_each_url_is_fetched_once_per_run(tree: Tree, capsys: pytest.CaptureFixture[str]) -> None:
    """Both descriptions, the closure, the diff and the full validation share one fetch."""
    base = write(tree.api / "base.yaml", description({"$ref": tree.url + "/schema.json"}))
    revision = refers(tree, tree.url + "/schema.json#")
    code, _, err = run(["diff", FLAG, "--validate", str(base), str(revision)], capsys)
    assert code == 0, err
    assert paths_hit() == ["/schema.json"]


def test_diff_validate_follows_a_remote_schema(tree: Tree, capsys: pytest.CaptureFixture[str]) -> None:
    revision = refers(tree, tree.url + "/schema.json")
    code, _, err = run(["diff", FLAG, "--validate", str(tree.base), str(revision)], capsys)
    assert code == 0, err
    assert paths_hit() == ["/schema.json"]


def _record_a_z(tree: Tree) -> None:
    exchange = {
        "method": "GET",
        "url": "http://127.0.0.1/pets",
        "request": {"body": None},
        "response": {"status": 200, "headers": {"Content-Type": "application/json"}, "body": '"z"'},
    }
    tree.cassette.write_text(json.dumps({"interactions": [exchange]}), encoding="utf-8")


def test_replay_judges_by_a_remote_schema(tree: Tree, capsys: pytest.CaptureFixture[str]) -> None:
    _record_a_z(tree)
    revision = refers(tree, tree.url + "/schema.json")
    code, out, err = run(["replay", FLAG, str(tree.cassette), "--spec", str(revision)], capsys)
    assert code == 1, err
    assert "'z' is not one of" in out, out
    assert paths_hit() == ["/schema.json"]


def _commit(tree: Tree, monkeypatch: pytest.MonkeyPatch) -> None:
    top = tree.api.parent
    for args in (["init", "-q"], ["add", "."], ["-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "r"]):
        subprocess.run(["git", "-C", str(top), *args], check=True, capture_output=True)
    monkeypatch.chdir(top)


def test_replay_of_a_git_revision_judges_by_a_remote_schema(
    tree: Tree, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _record_a_z(tree)
    revision = refers(tree, tree.url + "/schema.json")
    _commit(tree, monkeypatch)
    code, out, err = run(["replay", FLAG, str(tree.cassette), "--spec", f"git:HEAD:api/{revision.name}"], capsys)
    assert code == 1, err
    assert "'z' is not one of" in out, out
    assert paths_hit() == ["/schema.json"]


@pytest.mark.node
def test_node_linters_read_a_local_mirror(tree: Tree, capsys: pytest.CaptureFixture[str]) -> None:
    """Spectral and Redocly see the fetched schema as a local file: no request of theirs."""
    revision = refers(tree, tree.url + "/dir/outer.json")
    code, out, err = run(["lint", "--quiet", FLAG, "--only", "spectral", "--only", "redocly", str(revision)], capsys)
    assert code in (0, 1), err
    assert "did not report" not in out, out
    assert "Traceback" not in out + err
    assert sorted(paths_hit()) == ["/dir/inner.json", "/dir/outer.json"]
    assert ours_only(), Server.hits


# --- without the flag, or beyond what it allows, refused --------------------------------------


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_without_the_flag_a_url_is_refused_and_not_fetched(
    tree: Tree, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    revision = refers(tree, tree.url + "/schema.json")
    code, out, err = run(COMMANDS[command](tree, revision), capsys)
    assert_refused(code, out, err, "a URL (pass --allow-remote-refs to fetch it)", tree)
    assert Server.hits == []


def _redirect(location: str) -> Route:
    return 302, {"Location": location}, b""


def _route(path: str, route: Route) -> Callable[[Tree], str]:
    def make(tree: Tree) -> str:
        Server.routes[path] = route
        return tree.url + path

    return make


def _loop(tree: Tree) -> str:
    for n in range(10):
        Server.routes[f"/hop{n}"] = _redirect(f"/hop{n + 1}")
    return tree.url + "/hop0"


def _cycle(tree: Tree) -> str:
    Server.routes["/c1.json"] = _json({"$ref": "c2.json"})
    Server.routes["/c2.json"] = _json({"$ref": "c1.json"})
    return tree.url + "/c1.json"


def _back_to_a_local_file(tree: Tree) -> str:
    secret = write(tree.api / "sibling.yaml", {"type": "string", "description": MARKER})
    Server.routes["/back.json"] = _json({"$ref": secret.as_uri()})
    return tree.url + "/back.json"


#: (case, the reference to make, what stderr must name).
REFUSED: list[tuple[str, Callable[[Tree], str], str]] = [
    ("file-url", lambda t: (t.api / "base.yaml").as_uri(), "not http(s)"),
    ("data-url", lambda t: "data:application/json,{}", "not http(s)"),
    ("ftp-url", lambda t: "ftp://127.0.0.1/schema.json", "not http(s)"),
    ("protocol-relative", lambda t: "//127.0.0.1/schema.json", "not http(s)"),
    ("redirect-to-file", _route("/to-file", _redirect("file:///etc/passwd")), "redirected to a URL that is not http"),
    ("redirect-loop", _loop, "more than 5 redirects"),
    ("not-found", lambda t: t.url + "/missing.json", "HTTP 404"),
    (
        "announced-over-cap",
        _route("/big", (200, {"Content-Length": str(MAX_BYTES + 1)}, b"")),
        f"larger than {MAX_BYTES} bytes (Content-Length",
    ),
    ("streamed-over-cap", lambda t: t.url + "/stream-huge", f"larger than {MAX_BYTES} bytes"),
    ("stall", lambda t: t.url + "/stall", "timed out"),
    ("alias-bomb", _route("/bomb.yaml", (200, {}, BOMB)), "YAML aliases expand to more than"),
    ("non-utf8", _route("/latin.yaml", (200, {}, b"type: string\ndescription: caf\xe9\n")), "not UTF-8 text"),
    ("remote-cycle", _cycle, "circular $ref"),
    ("remote-to-local-file", _back_to_a_local_file, "not http(s)"),
]


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize(("case", "make", "names"), REFUSED, ids=[case for case, _, _ in REFUSED])
def test_with_the_flag_a_bad_remote_reference_is_refused_in_one_line(
    tree: Tree,
    capsys: pytest.CaptureFixture[str],
    command: str,
    case: str,
    make: Callable[[Tree], str],
    names: str,
) -> None:
    revision = refers(tree, make(tree))
    argv = COMMANDS[command](tree, revision)
    code, out, err = run([argv[0], FLAG, *argv[1:]], capsys)
    assert_refused(code, out, err, names, tree)
    assert ours_only()
    assert len(paths_hit()) == len(set(paths_hit())), "each URL fetched at most once"


def test_a_streamed_response_over_the_cap_is_not_held_in_memory(tree: Tree, capsys: pytest.CaptureFixture[str]) -> None:
    revision = refers(tree, tree.url + "/stream-huge")
    tracemalloc.start()
    try:
        code, _, err = run([*PYTHON_LINT, FLAG, str(revision)], capsys)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert code == 2, err
    assert peak < 3 * MAX_BYTES, peak


def test_a_redirect_to_another_http_url_is_followed(tree: Tree, capsys: pytest.CaptureFixture[str]) -> None:
    Server.routes["/moved"] = _redirect("/schema.json")
    revision = refers(tree, tree.url + "/moved", example="z")
    code, out, err = run([*PYTHON_LINT, FLAG, str(revision)], capsys)
    assert code == 1, err
    assert "'z' is not one of" in out, out
    assert paths_hit() == ["/moved", "/schema.json"]
    assert Server.encodings == ["identity", "identity"]


def test_a_trickling_server_is_stopped_at_the_deadline(
    tree: Tree, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each byte arrives within the timeout, the whole never does."""
    monkeypatch.setattr(remote, "DEADLINE_SECONDS", 0.5)
    revision = refers(tree, tree.url + "/trickle")
    code, out, err = run([*PYTHON_LINT, FLAG, str(revision)], capsys)
    assert_refused(code, out, err, "took longer than 0.5 s", tree)


def test_a_git_revision_may_reach_a_url_with_the_flag(
    tree: Tree, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tree.base, description({"type": "string", "enum": ["a", "b"]}))
    revision = refers(tree, tree.url + "/narrower.json")
    _commit(tree, monkeypatch)
    spec = f"git:HEAD:api/{revision.name}"
    code, out, err = run(["diff", str(tree.base), spec], capsys)
    assert_refused(code, out, err, "a URL (pass --allow-remote-refs to fetch it)", tree)
    code, out, err = run(["diff", FLAG, "--format", "json", str(tree.base), spec], capsys)
    assert code == 0, err
    assert "enum value 'b' removed" in out, out
    assert paths_hit() == ["/narrower.json"]


# --- the mirror the Node linters read -----------------------------------------------------------


def test_the_mirror_keeps_the_root_files_name_and_lines(tree: Tree) -> None:
    url = tree.url + "/dir/outer.json"
    text = yaml.safe_dump(description({"$ref": url + "#"}), sort_keys=False)
    revision = tree.api / "revision.yaml"
    revision.write_text(text, encoding="utf-8")
    write(tree.api / "local.yaml", {"type": "string"})
    spec = load_spec(revision, fetcher=Fetcher())
    with node_view(spec) as view:
        assert view.root.name == "revision.yaml"
        mirrored = view.root.read_text(encoding="utf-8")
        assert url not in mirrored
        assert len(mirrored.splitlines()) == len(text.splitlines())
        outer = parse(mirrored, "m")["components"]["schemas"]["A"]["$ref"]
        copy = (view.root.parent / outer.partition("#")[0]).resolve()
        assert view.shown(str(copy)) == url
        inner = json.loads(copy.read_text(encoding="utf-8"))["$ref"]
        assert view.shown(str((copy.parent / inner).resolve())) == tree.url + "/dir/inner.json"
        assert view.shown(str(view.root)) == "revision.yaml"
    assert not view.root.exists(), "the mirror is removed afterwards"


def test_an_ambiguous_textual_rewrite_falls_back_to_json(tree: Tree) -> None:
    """The URL also appears in a description: rewriting it there would change the document."""
    url = tree.url + "/schema.json"
    data = description({"$ref": url})
    data["info"]["description"] = f"see {url}"
    revision = write(tree.api / "revision.yaml", data)
    spec = load_spec(revision, fetcher=Fetcher())
    with node_view(spec) as view:
        mirrored = json.loads(view.root.read_text(encoding="utf-8"))
        assert mirrored["info"]["description"] == f"see {url}"
        assert mirrored["components"]["schemas"]["A"]["$ref"].startswith("../remote/")


def test_without_remote_documents_the_linters_read_the_description_itself(tree: Tree) -> None:
    spec = load_spec(tree.base, fetcher=Fetcher())
    with node_view(spec) as view:
        assert view.root == tree.base


@pytest.mark.parametrize("ref", ["file:///etc/passwd", "data:application/json,{}", "ftp://127.0.0.1/x.json"])
def test_without_the_flag_other_schemes_do_not_suggest_it(
    tree: Tree, capsys: pytest.CaptureFixture[str], ref: str
) -> None:
    """The flag would not help: the message says so rather than pointing at it."""
    code, out, err = run([*PYTHON_LINT, str(refers(tree, ref))], capsys)
    assert_refused(code, out, err, "refused: a URL that is not http(s)", tree)
    assert FLAG not in err
    assert Server.hits == []


def test_replay_of_a_git_revision_follows_a_sibling_file(
    tree: Tree, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The files a git revision's references reach are known to the schema checks (this was an
    Unresolvable traceback), and no URL is needed for it."""
    _record_a_z(tree)
    write(tree.api / "sibling.yaml", {"type": "string", "enum": ["a"]})
    revision = refers(tree, "sibling.yaml")
    _commit(tree, monkeypatch)
    code, out, err = run(["replay", str(tree.cassette), "--spec", f"git:HEAD:api/{revision.name}"], capsys)
    assert code == 1, err
    assert "'z' is not one of" in out, out
    assert Server.hits == []
