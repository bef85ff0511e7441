"""The proxy forwards exactly: a target that echoes what it got (method, path, query, headers,
body) sees the client's request but for Host and the hop-by-hop headers, and the client gets
the target's answer as sent (status, repeated headers, a chunked or compressed body, HEAD, 204).
The target is a small ASGI app served by uvicorn on loopback, in this process."""

from __future__ import annotations

import asyncio
import gzip
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from contract_tests.target import MAX_RECORDED_BODY

from tests.contract.proxying import Proxy, proxying

#: The size of the answer on /big: more than a recording keeps of a body.
BIG = MAX_RECORDED_BODY + 40_000
#: What the echo target answers on /gzip, compressed as sent.
GZIPPED = gzip.compress(b'{"compressed": true}' * 20, mtime=0)


async def echo(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Answers each request with what it received, or with the answer its path names."""
    if scope["type"] != "http":
        return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    path = scope["path"]
    if path == "/chunked":  # no content-length: the body comes in pieces
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        for piece in (b"one ", b"two ", b"three"):
            await send({"type": "http.response.body", "body": piece, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
        return
    if path == "/gzip":
        headers = [(b"content-type", b"application/json"), (b"content-encoding", b"gzip")]
        headers.append((b"content-length", str(len(GZIPPED)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": GZIPPED})
        return
    if path == "/big":
        big = b"x" * BIG
        headers = [(b"content-type", b"text/plain"), (b"content-length", str(BIG).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": big})
        return
    if path == "/trickle":  # a byte every 0.1 s for 5 s: each read is quick, the whole answer slow
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        for _ in range(50):
            await send({"type": "http.response.body", "body": b".", "more_body": True})
            await asyncio.sleep(0.1)
        await send({"type": "http.response.body", "body": b""})
        return
    if path == "/empty":
        await send({"type": "http.response.start", "status": 204, "headers": [(b"x-u4b-rule", b"R")]})
        await send({"type": "http.response.body", "body": b""})
        return
    seen = {
        "method": scope["method"],
        "raw_path": scope["raw_path"].decode("latin-1"),
        "query": scope["query_string"].decode("latin-1"),
        "headers": [[n.decode("latin-1"), v.decode("latin-1")] for n, v in scope["headers"]],
        "body": body.hex(),
    }
    answer = json.dumps(seen).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"set-cookie", b"a=1"),
        (b"set-cookie", b"b=2"),
        (b"x-custom", b"kept"),
        (b"connection", b"close, x-hop"),
        (b"x-hop", b"dropped"),
        (b"content-length", str(len(answer)).encode()),
    ]
    await send({"type": "http.response.start", "status": 418 if path == "/teapot" else 200, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else answer})


@pytest.fixture(scope="module")
def target() -> Iterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    server = uvicorn.Server(uvicorn.Config(echo, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@pytest.fixture(scope="module")
def proxy(target: str) -> Iterator[Proxy]:
    with proxying(target, ["--quiet"]) as running:
        yield running


def raw_request(url: str, request: bytes) -> bytes:
    """Send ``request`` as written on one connection; what came back, as sent."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_the_request_reaches_the_target_as_the_client_sent_it(proxy: Proxy) -> None:
    body = bytes(range(256))
    request = (
        b"PATCH /v1/some%2Fpath/x?a=1&a=2&b=%2F&c= HTTP/1.1\r\n"
        b"Host: proxy.example\r\n"
        b"X-Custom: one\r\n"
        b"X-Custom: two\r\n"
        b"Authorization: Bearer abcdefghijk\r\n"
        b"Content-Type: application/octet-stream\r\n"
        b"Proxy-Authorization: Basic c2VjcmV0\r\n"
        b"Keep-Alive: timeout=5\r\n"
        b"X-Hop: named by Connection\r\n"
        b"Connection: close, X-Hop\r\n"
        b"Content-Length: 256\r\n\r\n" + body
    )
    answer = raw_request(proxy.url, request)
    seen = json.loads(answer.split(b"\r\n\r\n", 1)[1])
    assert seen["method"] == "PATCH"
    assert seen["raw_path"] == "/v1/some%2Fpath/x"
    assert seen["query"] == "a=1&a=2&b=%2F&c="
    assert bytes.fromhex(seen["body"]) == body
    names = [name for name, _ in seen["headers"]]
    forwarded = [[n, v] for n, v in seen["headers"] if n not in ("host", "content-length")]
    assert forwarded == [
        ["x-custom", "one"],
        ["x-custom", "two"],
        ["authorization", "Bearer abcdefghijk"],
        ["content-type", "application/octet-stream"],
    ]
    assert ["host", proxy.url.removeprefix("http://")] not in seen["headers"]  # Host names the target
    assert dict(seen["headers"])["host"] != "proxy.example"
    assert names.count("content-length") == 1
    assert dict(seen["headers"])["content-length"] == "256"


def test_the_answer_comes_back_as_the_target_sent_it(proxy: Proxy, target: str) -> None:
    direct = httpx.get(target + "/teapot", headers={"Accept-Encoding": "identity"})
    proxied = httpx.get(proxy.url + "/teapot", headers={"Accept-Encoding": "identity"})
    assert proxied.status_code == 418
    # what the target saw is the same both ways, but for the hop-by-hop Connection header
    hop = {"connection"}
    seen = [json.loads(r.content) for r in (direct, proxied)]
    for echoed in seen:
        echoed["headers"] = [h for h in echoed["headers"] if h[0] not in hop]
    assert seen[0] == seen[1]
    kept = [(k, v) for k, v in proxied.headers.multi_items() if k not in ("date", "server")]
    assert kept == [
        ("content-type", "application/json"),
        ("set-cookie", "a=1"),
        ("set-cookie", "b=2"),
        ("x-custom", "kept"),
        ("content-length", str(len(proxied.content))),
    ]


def test_a_chunked_a_compressed_an_empty_and_a_head_answer(proxy: Proxy) -> None:
    chunked = httpx.get(proxy.url + "/chunked")
    assert chunked.content == b"one two three"
    assert chunked.headers["content-length"] == "13"
    gzipped = raw_request(proxy.url, b"GET /gzip HTTP/1.1\r\nHost: p\r\nConnection: close\r\n\r\n")
    head, _, content = gzipped.partition(b"\r\n\r\n")
    assert content == GZIPPED  # bytes as the target sent them, not decoded
    assert b"content-encoding: gzip" in head.lower()
    empty = httpx.get(proxy.url + "/empty")
    assert empty.status_code == 204
    assert empty.content == b""
    assert empty.headers["x-u4b-rule"] == "R"
    assert "content-length" not in empty.headers
    head_answer = httpx.head(proxy.url + "/echo")
    assert head_answer.status_code == 200
    assert head_answer.content == b""
    assert int(head_answer.headers["content-length"]) > 0  # the length of the body HEAD leaves out


def test_a_large_answer_is_forwarded_whole_recorded_cut_and_over_the_cap_is_a_502(target: str, tmp_path: Path) -> None:
    with proxying(target, ["--quiet", "--report-dir", str(tmp_path)]) as proxy:
        whole = httpx.get(proxy.url + "/big")
    assert whole.content == b"x" * BIG
    (entry,) = json.loads((tmp_path / "traffic.har").read_text())["log"]["entries"]
    assert entry["response"]["content"]["text"].endswith(f"...[cut: {BIG} characters in all]")
    with proxying(target, ["--quiet", "--max-body-bytes", str(BIG - 1)]) as capped:
        refused = httpx.get(capped.url + "/big")
    assert refused.status_code == 502
    assert f"larger than {BIG - 1} bytes" in refused.json()["message"]
    assert capped.returncode == 1


def test_an_answer_that_does_not_finish_in_time_is_a_502(target: str) -> None:
    with proxying(target, ["--quiet", "--request-timeout", "0.5"]) as proxy:
        response = httpx.get(proxy.url + "/trickle", timeout=30)
    assert response.status_code == 502
    assert "did not answer within 0.5 s" in response.json()["message"]
