"""Slow clients: a request whose headers or body stall is answered 408 and closed within
CAIRN_HTTP_REQUEST_TIMEOUT_SECONDS, connections beyond CAIRN_HTTP_MAX_CONNECTIONS get 503,
and normal requests and WebSockets are served meanwhile. Raw sockets on loopback."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
import pytest
import uvicorn
import websockets

from cairn.app import create_app
from cairn.auth import issue_token
from cairn.cli.embedded import free_ports
from cairn.http_server import MAX_HEAD_BYTES, uvicorn_config
from tests.support.http import new_org
from tests.support.stack import Stack, make_settings

TIMEOUT = 1.0  # the request timeout these servers run with
BOUND = (
    15.0  # generous: how long a close may take on a loaded machine (the deadline is the feature)
)


@dataclass
class Running:
    url: str
    port: int
    server: uvicorn.Server

    @property
    def open_connections(self) -> int:
        return len(self.server.server_state.connections)


@contextmanager
def serve_limited(stack: Stack, **limits: object) -> Iterator[Running]:
    settings = make_settings(stack, **limits)
    port = free_ports(1)[0]
    config = uvicorn_config(
        create_app(settings), settings, host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive(), "the server did not start"
        assert time.monotonic() < deadline, "the server did not start in time"
        time.sleep(0.02)
    try:
        yield Running(f"http://127.0.0.1:{port}", port, server)
    finally:
        server.should_exit = True
        thread.join(30)


@pytest.fixture(scope="module")
def quick(stack: Stack) -> Iterator[Running]:
    with serve_limited(stack, http_request_timeout_seconds=TIMEOUT) as running:
        yield running


OPENED: dict[int, float] = {}  # socket fileno -> when it connected


def raw(running: Running, data: bytes = b"") -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", running.port), timeout=BOUND)
    OPENED[sock.fileno()] = time.monotonic()
    if data:
        sock.sendall(data)
    return sock


def read_until_closed(sock: socket.socket) -> tuple[bytes, float]:
    """Everything the server sends until it closes; and how long after connecting."""
    opened = OPENED.pop(sock.fileno(), time.monotonic())
    received = b""
    with sock:
        while chunk := sock.recv(65536):
            received += chunk
    return received, time.monotonic() - opened


def assert_timed_out(received: bytes, waited: float, part: str) -> None:
    assert received.startswith(b"HTTP/1.1 408 "), received
    body = json.loads(received.split(b"\r\n\r\n", 1)[1])
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert f"request's {part} did not arrive within 1 s" in body["errors"][0]["message"]
    assert TIMEOUT * 0.8 <= waited < BOUND, waited


def test_a_connection_that_sends_nothing_is_closed(quick: Running) -> None:
    assert_timed_out(*read_until_closed(raw(quick)), "headers")


def test_headers_that_never_finish_are_closed_while_others_are_served(quick: Running) -> None:
    stalled = [
        raw(quick, b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: app") for _ in range(5)
    ]
    with httpx.Client(base_url=quick.url, timeout=BOUND) as http:
        assert http.get("/healthz").status_code == 200  # served meanwhile
    for sock in stalled:
        assert_timed_out(*read_until_closed(sock), "headers")


def test_headers_sent_byte_by_byte_are_bounded_in_total(quick: Running) -> None:
    """Slowloris: progress on the head does not extend its deadline."""
    sock = raw(quick)
    started = time.monotonic()
    head = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 100
    try:
        for byte in head:
            sock.sendall(bytes([byte]))
            time.sleep(0.05)
    except OSError:
        pass  # closed by the server mid-way: expected
    received, _ = read_until_closed(sock)
    assert received.startswith(b"HTTP/1.1 408 "), received
    assert time.monotonic() - started < BOUND


def test_a_request_head_over_16_kib_is_refused_and_one_under_is_served(quick: Running) -> None:
    """httptools sets no bound on a request head: Cairn's protocol does (h11's 16 KiB)."""
    for header, status in ((b"a" * 15_000, b"200"), (b"a" * (MAX_HEAD_BYTES + 1), b"400")):
        sock = raw(quick, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + header + b"\r\n")
        sock.sendall(b"Connection: close\r\n\r\n")
        received, waited = read_until_closed(sock)
        assert received.startswith(b"HTTP/1.1 " + status + b" "), received[:200]
        assert waited < BOUND
    # Many headers add up the same way; the connection is closed, not left open.
    many = b"".join(b"X-H%d: %s\r\n" % (n, b"v" * 100) for n in range(200))
    sock = raw(quick, b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + many + b"\r\n")
    received, _ = read_until_closed(sock)
    assert received.startswith(b"HTTP/1.1 400 "), received[:200]


def test_a_stalled_body_is_closed(quick: Running, stack: Stack) -> None:
    token = issue_token(make_settings(stack), org_id=new_org(), subject="stall")
    sock = raw(
        quick,
        b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + f"Authorization: Bearer {token}\r\nContent-Length: 100\r\n\r\n".encode()
        + b'{"query":',
    )
    assert_timed_out(*read_until_closed(sock), "body")


def test_a_stalled_body_the_app_refused_early_is_closed_too(quick: Running) -> None:
    """Without a token the answer (401) comes at once; the stalled rest still ends it."""
    sock = raw(
        quick,
        b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b'Content-Length: 100\r\n\r\n{"query":',
    )
    received, waited = read_until_closed(sock)
    assert received.startswith(b"HTTP/1.1 401 "), received
    assert TIMEOUT * 0.8 <= waited < BOUND


def test_a_slow_body_that_keeps_moving_is_served(quick: Running, stack: Stack) -> None:
    settings = make_settings(stack, http_request_timeout_seconds=TIMEOUT)
    token = issue_token(settings, org_id=new_org(), subject="slow")
    body = b'{"query": "{ viewer { subject } }"}'
    sock = raw(
        quick,
        b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + f"Authorization: Bearer {token}\r\nContent-Length: {len(body)}\r\n\r\n".encode(),
    )
    started = time.monotonic()
    for i in range(0, len(body), 4):  # takes > 2 timeouts, but never pauses for one
        sock.sendall(body[i : i + 4])
        time.sleep(TIMEOUT / 4)
    assert time.monotonic() - started > 2 * TIMEOUT
    sock.shutdown(socket.SHUT_WR)
    received, _ = read_until_closed(sock)
    assert received.startswith(b"HTTP/1.1 200 "), received
    assert b'"subject":"slow"' in received


async def test_a_websocket_outlives_the_request_timeout(quick: Running, stack: Stack) -> None:
    settings = make_settings(stack)
    token = issue_token(settings, org_id=new_org(), subject="ws")
    url = quick.url.replace("http://", "ws://") + "/graphql"
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as ws:
        await asyncio.sleep(3 * TIMEOUT)  # idle past the request deadline: still open
        init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
        await ws.send(json.dumps(init))
        assert json.loads(await asyncio.wait_for(ws.recv(), BOUND))["type"] == "connection_ack"


def test_connections_over_the_limit_get_503_and_the_limit_frees_up(stack: Stack) -> None:
    with serve_limited(stack, http_max_connections=5) as limited:
        held = [raw(limited) for _ in range(5)]
        deadline = time.monotonic() + BOUND
        while limited.open_connections < 5:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        extra = raw(limited, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        received, _ = read_until_closed(extra)
        assert received.startswith(b"HTTP/1.1 503 "), received
        assert b"retry-after: 1\r\n" in received.lower()
        assert b"SERVICE_BUSY" in received
        for sock in held:
            sock.close()
        while limited.open_connections > 0:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        with httpx.Client(base_url=limited.url, timeout=BOUND) as http:
            assert http.get("/healthz").status_code == 200
