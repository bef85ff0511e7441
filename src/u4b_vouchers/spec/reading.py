"""Bounded reading of description and recording files: regular files only, a size cap,
strict UTF-8, YAML aliases and nesting depth counted before anything is built from them."""

from __future__ import annotations

import gc
import json
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from .errors import SpecError

#: The largest file any command reads as a description or a recording.
MAX_BYTES = 16 * 1024 * 1024
#: Nodes a YAML document may stand for once its aliases are expanded (a billion-laughs
#: document of 1.3 kB stands for hundreds of millions).
MAX_EXPANDED_NODES = 1_000_000
#: Mappings and sequences nested inside each other.
MAX_DEPTH = 256

#: libyaml's composer recurses in C with no depth check: tens of thousands of nested levels
#: overflow the stack and kill the process. Documents that might nest this deep are read with
#: the pure-Python loader instead, which stops at Python's recursion limit with an error.
C_LOADER_MAX_DEPTH = 10_000
_BRACKETS = re.compile(r"[\[\]{}]")

TOO_DEEP = "nested too deeply to read"


class _FastLoader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """libyaml when available: large descriptions load several times faster."""


def read_text(path: str | Path, *, shown: str | None = None) -> str:
    """The UTF-8 text of a regular file of at most :data:`MAX_BYTES`; SpecError otherwise.

    A FIFO, device or directory is refused before it is opened, so reading never blocks.
    """
    where = shown or str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise SpecError("no such file", path=where) from None
    except (OSError, ValueError) as exc:
        raise SpecError(f"cannot read: {getattr(exc, 'strerror', None) or exc}", path=where) from None
    if stat.S_ISDIR(info.st_mode):
        raise SpecError("is a directory, not a file", path=where)
    if not stat.S_ISREG(info.st_mode):
        raise SpecError("not a regular file (a device, FIFO or socket is never read)", path=where)
    if info.st_size > MAX_BYTES:
        raise SpecError(f"larger than {MAX_BYTES} bytes ({info.st_size})", path=where)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise SpecError("not a regular file", path=where)
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise SpecError(f"cannot read: {exc.strerror}", path=where) from None
    if len(raw) > MAX_BYTES:
        raise SpecError(f"larger than {MAX_BYTES} bytes", path=where)
    return decode(raw, where)


def decode(raw: bytes, where: str) -> str:
    """``raw`` as UTF-8; a one-line SpecError naming the first bad byte otherwise."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SpecError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})", path=where) from None


def _depth_bound(text: str) -> int:
    """An upper bound of the nesting depth: flow brackets open at once, plus twice the longest
    line (block nesting costs a line at least one character of indentation or ``- `` per two
    levels)."""
    depth = deepest = 0
    for match in _BRACKETS.finditer(text):
        depth = depth + 1 if match.group() in "[{" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    return deepest + 2 * max((len(line) for line in text.split("\n")), default=0)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


@contextmanager
def no_collection() -> Iterator[None]:
    """The cyclic garbage collector paused: building a large node graph or document allocates
    hundreds of thousands of containers, and each collection pass walks all those still alive
    (a 7 MB description composes in 0.5 s without it, 4 s with it). Nothing built here forms
    a cycle that outlives the call, except through a recursive alias, which is refused."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _within_bounds(root: yaml.Node) -> bool:
    """Whether the graph expands to at most :data:`MAX_EXPANDED_NODES` nodes, none deeper
    than :data:`MAX_DEPTH`: one walk that follows every alias again, stopped as soon as it has
    counted more nodes than allowed (a recursive alias never ends, so it is stopped too). The
    common case, no or few aliases, in one pass; :func:`check_graph` says why otherwise."""
    mapping, sequence = yaml.MappingNode, yaml.SequenceNode
    budget = MAX_EXPANDED_NODES
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    pop, push = stack.pop, stack.append
    while stack:
        node, level = pop()
        budget -= 1
        if budget < 0 or level > MAX_DEPTH:
            return False
        kind = node.__class__
        if kind is mapping:
            for key, value in node.value:
                push((key, level + 1))
                push((value, level + 1))
        elif kind is sequence:
            for item in node.value:
                push((item, level + 1))
        elif kind is not yaml.ScalarNode:  # a subclass: the general walk decides
            return False
    return True


def check_graph(root: yaml.Node, where: str) -> None:
    """Refuse a node graph whose aliases expand past :data:`MAX_EXPANDED_NODES`, that nests
    deeper than :data:`MAX_DEPTH`, or whose aliases are recursive. Each distinct node is
    visited once, so a bomb is refused in time linear in its text."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            kids = _children(node)
            size[key] = 1 + sum(size[id(k)] for k in kids)
            depth[key] = 1 + max((depth[id(k)] for k in kids), default=0)
            open_nodes.discard(key)
            if size[key] > MAX_EXPANDED_NODES:
                raise SpecError(
                    f"YAML aliases expand to more than {MAX_EXPANDED_NODES} nodes (refused)",
                    path=where,
                    line=node.start_mark.line + 1,
                )
            if depth[key] > MAX_DEPTH:
                raise SpecError(f"{TOO_DEEP} (more than {MAX_DEPTH} levels)", path=where)
            continue
        if key in size:
            continue
        if key in open_nodes:
            raise SpecError("recursive YAML alias (refused)", path=where, line=node.start_mark.line + 1)
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in size)


def check_depth(data: Any, where: str) -> None:
    """Refuse parsed data (from JSON, say) nested deeper than :data:`MAX_DEPTH`."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, level = stack.pop()
        if level > MAX_DEPTH:
            raise SpecError(f"{TOO_DEEP} (more than {MAX_DEPTH} levels)", path=where)
        if isinstance(node, dict):
            stack.extend((value, level + 1) for value in node.values())
        elif isinstance(node, list):
            stack.extend((item, level + 1) for item in node)


def compose(text: str, where: str) -> yaml.Node | None:
    """The checked node graph of ``text`` (YAML 1.1 safe subset, which includes JSON)."""
    loader_class = _FastLoader if _depth_bound(text) < C_LOADER_MAX_DEPTH else yaml.SafeLoader
    loader = loader_class(text)
    try:
        with no_collection():
            node = loader.get_single_node()
    except RecursionError:
        raise SpecError(TOO_DEEP, path=where) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        problem = exc.problem or "invalid YAML"
        raise SpecError(
            TOO_DEEP if "nesting depth" in problem else f"invalid YAML: {problem}",
            path=where,
            line=mark.line + 1 if mark is not None else None,
        ) from None
    except yaml.YAMLError as exc:
        raise SpecError(f"invalid YAML: {str(exc).splitlines()[0]}", path=where) from None
    finally:
        loader.dispose()
    if node is not None and not _within_bounds(node):
        check_graph(node, where)
    return node


_STR, _MAP, _SEQ, _MERGE = (f"tag:yaml.org,2002:{name}" for name in ("str", "map", "seq", "merge"))


class _Unusual(Exception):
    """A node :func:`_build` leaves to PyYAML's constructor (the whole document then)."""


def _build(root: yaml.Node, constructor: yaml.SafeLoader) -> Any:
    """The data of a checked (finite, bounded) node graph, built in one walk without recursion:
    mappings, sequences and strings here, other scalars (numbers, booleans, null, dates) by
    ``constructor``. Anything else (a merge key ``<<``, a tagged collection such as ``!!set``,
    a mapping or sequence as a key) raises :class:`_Unusual`: PyYAML's own constructor, slower,
    then builds the document (and says what is wrong, if anything is)."""
    mapping, sequence, scalar = yaml.MappingNode, yaml.SequenceNode, yaml.ScalarNode
    built: dict[int, Any] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    pop, push = stack.pop, stack.append
    while stack:
        node, ready = pop()
        key = id(node)
        kind = node.__class__
        if kind is scalar:
            if key not in built:
                built[key] = node.value if node.tag == _STR else constructor.construct_object(node)
        elif ready:
            if kind is mapping:
                data: dict[Any, Any] = {}
                for key_node, value_node in node.value:
                    name = built[id(key_node)]
                    if name.__class__ is dict or name.__class__ is list:
                        raise _Unusual
                    data[name] = built[id(value_node)]
                built[key] = data
            else:
                built[key] = [built[id(item)] for item in node.value]
        elif key in built:
            continue
        elif kind is mapping and node.tag == _MAP:
            push((node, True))
            for key_node, value_node in node.value:
                if key_node.tag == _MERGE:
                    raise _Unusual
                push((key_node, False))
                push((value_node, False))
        elif kind is sequence and node.tag == _SEQ:
            push((node, True))
            for item in node.value:
                push((item, False))
        else:
            raise _Unusual
    return built[id(root)]


def construct(node: yaml.Node | None, where: str) -> Any:
    """Python data from a checked node graph (the same as PyYAML's SafeLoader builds)."""
    if node is None:
        return None
    loader = yaml.SafeLoader("")
    try:
        with no_collection():
            try:
                return _build(node, loader)
            except _Unusual:
                return yaml.SafeLoader("").construct_document(node)
    except RecursionError:
        raise SpecError(TOO_DEEP, path=where) from None
    except yaml.YAMLError as exc:
        raise SpecError(f"invalid YAML: {str(exc).splitlines()[0]}", path=where) from None


def parse(text: str, where: str) -> Any:
    """Data from YAML or JSON text, bounded as above. JSON is tried first (it is YAML too, and
    parses a hundred times faster)."""
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except RecursionError:
            raise SpecError(TOO_DEEP, path=where) from None
        except ValueError:
            pass
        else:
            check_depth(data, where)
            return data
    with no_collection():  # resumed once the node graph is gone: only the data is left to scan
        return construct(compose(text, where), where)


def parse_json(text: str, where: str) -> Any:
    """Data from JSON text (a recording, say), bounded in depth; SpecError when not JSON."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise SpecError(TOO_DEEP, path=where) from None
    except ValueError as exc:
        raise SpecError(f"not JSON ({exc})", path=where) from None
    check_depth(data, where)
    return data
