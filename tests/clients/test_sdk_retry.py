"""The SDK's retries against the real service, with the faults injected where they happen:
a loopback proxy in front of the test server that loses answers (forwards the request, then
hangs up) or answers 503 SERVICE_BUSY with Retry-After, and a store on the server side that
fails its next writes (STORAGE_UNAVAILABLE). Attempts are counted, never timed."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from cairn.config import Settings
from cairn.sdk import AsyncCairn, Cairn, CairnApiError, Retry
from tests.support.http import Client, Server, serve
from tests.support.publish import FlakyStore, client_for
from tests.support.sdk import make_file, sha256_of
from tests.support.stack import Stack, fetch, make_settings

FAST = Retry(attempts=5, backoff=0.01, max_delay=0.05)  # keeps the suite quick
KEY = re.compile(rb'"idempotencyKey"\s*:\s*"([^"]+)"')

# --- a proxy that misbehaves on purpose -----------------------------------------------


@dataclass
class Seen:
    method: str
    path: str
    body: bytes


@dataclass
class FaultProxy:
    """HTTP/1.1 on 127.0.0.1 forwarding to ``upstream``. ``fail(marker, actions)`` makes the
    next requests whose body contains ``marker`` take ``actions`` in turn:
    ``lose`` (forward, so the service does the work, then hang up without answering) or
    ``busy:<retry-after>`` (answer 503 SERVICE_BUSY without forwarding)."""

    upstream: str
    seen: list[Seen] = field(default_factory=list)
    plans: list[tuple[bytes, list[str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def fail(self, marker: bytes, *actions: str) -> None:
        with self.lock:
            self.plans.append((marker, list(actions)))

    def count(self, marker: bytes) -> int:
        with self.lock:
            return sum(marker in s.body for s in self.seen)

    def keys(self, marker: bytes) -> list[str]:
        """The idempotency keys of the requests carrying ``marker``, in order."""
        with self.lock:
            found = [KEY.search(s.body) for s in self.seen if marker in s.body]
        return [m.group(1).decode() for m in found if m]

    def decide(self, body: bytes) -> str:
        with self.lock:
            for marker, actions in self.plans:
                if marker in body and actions:
                    return actions.pop(0)
        return "forward"


def _handler(proxy: FaultProxy, upstream: httpx.Client) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _body(self) -> bytes:
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                parts = []
                while size := int(self.rfile.readline().split(b";")[0], 16):
                    parts.append(self.rfile.read(size))
                    self.rfile.readline()
                self.rfile.readline()
                return b"".join(parts)
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def _reply(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _handle(self) -> None:
            body = self._body()
            with proxy.lock:
                proxy.seen.append(Seen(self.command, self.path, body))
            action = proxy.decide(body)
            if action.startswith("busy:"):
                error = {"message": "busy; retry shortly", "extensions": {"code": "SERVICE_BUSY"}}
                self._reply(
                    503,
                    {"Content-Type": "application/json", "Retry-After": action[5:]},
                    json.dumps({"errors": [error]}).encode(),
                )
                return
            keep = {"authorization", "content-type", "apollo-require-preflight", "accept"}
            headers = {k: v for k, v in self.headers.items() if k.lower() in keep}
            answer = upstream.request(self.command, self.path, content=body, headers=headers)
            if action == "lose":  # the service did the work; its answer never arrives
                self.close_connection = True
                return
            self._reply(
                answer.status_code,
                {"Content-Type": answer.headers.get("content-type", "application/json")},
                answer.content,
            )

        def do_POST(self) -> None:
            self._handle()

    return Handler


@pytest.fixture
def proxy(server: Server) -> Iterator[FaultProxy]:
    faults = FaultProxy(upstream=server.url)
    with httpx.Client(base_url=server.url, timeout=60) as upstream:
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(faults, upstream))
        httpd.daemon_threads = True
        faults.url = f"http://127.0.0.1:{httpd.server_address[1]}/graphql"
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield faults
        finally:
            httpd.shutdown()
            httpd.server_close()
            thread.join(10)


def by_key(stack: Stack, org_id: str, key: str) -> list[tuple[int | None, str]]:
    rows = fetch(
        stack.owner_dsn,
        "SELECT version, status FROM artifacts WHERE org_id = $1 AND key = $2 ORDER BY version",
        org_id,
        key,
    )
    return [(r["version"], r["status"]) for r in rows]


def retry_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if hasattr(r, "cairn_retry_delay")]


# --- a lost answer: the retry returns the first attempt's artifact ----------------------


def test_lost_answers_are_retried_without_a_second_version(
    proxy: FaultProxy, client: Client, stack: Stack, tmp_path: Path
) -> None:
    small, large = tmp_path / "small.json", tmp_path / "large.bin"
    small.write_text('{"a": 1}')
    digest = make_file(large, 1024 * 1024 + 7)
    proxy.fail(b"createArtifact(", "lose", "lose")
    proxy.fail(b"uploadArtifact(", "lose")
    proxy.fail(b"beginArtifactUpload(", "lose")
    proxy.fail(b"completeArtifactUpload(", "lose")
    with Cairn(proxy.url, client.token, retry=FAST, multipart_threshold=1024 * 1024) as cairn:
        inline = cairn.publish_text("hello", key="inline")
        multipart = cairn.publish_file(small, key="multipart")
        presigned = cairn.publish_file(large, key="presigned")
        assert cairn.publish_text("again", key="inline").version == 2  # a new call: a new key
    assert (inline.version, multipart.version, presigned.version) == (1, 1, 1)
    assert presigned.sha256 == digest
    assert by_key(stack, client.org_id, "inline") == [(1, "AVAILABLE"), (2, "AVAILABLE")]
    assert by_key(stack, client.org_id, "multipart") == [(1, "AVAILABLE")]
    assert by_key(stack, client.org_id, "presigned") == [(1, "AVAILABLE")]
    # every retry carried its call's key; the second publish_text call had a fresh one
    first, retry1, retry2, second = proxy.keys(b"createArtifact(")
    assert first == retry1 == retry2 != second
    assert first.startswith("sdk-")
    one, two = proxy.keys(b"uploadArtifact(")
    assert one == two
    assert proxy.count(b"beginArtifactUpload(") == 2
    assert proxy.count(b"completeArtifactUpload(") == 2


def test_a_key_given_by_the_caller_is_kept(proxy: FaultProxy, client: Client) -> None:
    proxy.fail(b"createArtifact(", "lose")
    with Cairn(proxy.url, client.token, retry=FAST) as cairn:
        one = cairn.publish_markdown("# x", key="given", idempotency_key="job-42-report")
        two = cairn.publish_markdown("# x", key="given", idempotency_key="job-42-report")
    assert one.id == two.id
    assert proxy.keys(b"createArtifact(") == ["job-42-report"] * 3


def test_a_lost_answer_is_not_retried_for_a_call_that_is_not_idempotent(
    proxy: FaultProxy, client: Client, stack: Stack
) -> None:
    with Cairn(proxy.url, client.token, retry=FAST) as cairn:
        wf = cairn.create_workflow("no-dupes")
        proxy.fail(b"createWorkflowRun(", "lose")
        with pytest.raises(CairnApiError) as lost:
            cairn.create_workflow_run(wf.id)
    assert (lost.value.code, lost.value.ambiguous) == ("NETWORK_ERROR", True)
    assert proxy.count(b"createWorkflowRun(") == 1
    runs = fetch(stack.owner_dsn, "SELECT id FROM workflow_runs WHERE org_id = $1", client.org_id)
    assert len(runs) == 1  # it was made once, and not again behind the caller's back


# --- SERVICE_BUSY and Retry-After -----------------------------------------------------


def test_busy_is_retried_after_the_wait_the_service_asks_for(
    proxy: FaultProxy, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="cairn.sdk")
    proxy.fail(b"createArtifact(", "busy:1", "busy:3600")
    retry = Retry(attempts=4, backoff=0.01, max_delay=1.5)
    with Cairn(proxy.url, client.token, retry=retry) as cairn:
        made = cairn.publish_text("patience", key="busy")
    assert made.version == 1
    assert proxy.count(b"createArtifact(") == 3
    waits = [r.cairn_retry_delay for r in retry_records(caplog)]  # type: ignore[attr-defined]
    assert waits == [1.0, 1.5]  # Retry-After honoured, and capped by max_delay
    assert [r.cairn_retry_code for r in retry_records(caplog)] == ["SERVICE_BUSY"] * 2  # type: ignore[attr-defined]
    assert all(proxy.url not in r.getMessage() for r in caplog.records)


def test_attempts_are_bounded(proxy: FaultProxy, client: Client) -> None:
    proxy.fail(b"artifacts(", *["busy:0"] * 10)
    with (
        Cairn(proxy.url, client.token, retry=Retry(attempts=3, backoff=0.01)) as cairn,
        pytest.raises(CairnApiError) as busy,
    ):
        cairn.list_artifacts()
    assert (busy.value.code, busy.value.status_code, busy.value.retry_after) == (
        "SERVICE_BUSY",
        503,
        0.0,
    )
    assert proxy.count(b"artifacts(") == 3
    with (
        Cairn(proxy.url, client.token, retry=Retry(attempts=1)) as cairn,
        pytest.raises(CairnApiError),
    ):
        cairn.list_artifacts()
    assert proxy.count(b"artifacts(") == 4  # attempts=1: no retry at all


def test_bad_input_is_not_retried(proxy: FaultProxy, client: Client) -> None:
    with Cairn(proxy.url, client.token, retry=FAST) as cairn:
        with pytest.raises(CairnApiError) as bad:
            cairn.publish_link("ftp://example.com/x")
        assert bad.value.code == "BAD_USER_INPUT"
        assert proxy.count(b"createArtifact(") == 1
        with pytest.raises(CairnApiError) as missing:
            cairn.delete_artifact("00000000-0000-0000-0000-000000000000")
        assert missing.value.code == "NOT_FOUND"
        assert proxy.count(b"deleteArtifact(") == 1


def test_a_refused_connection_is_retried_even_when_not_idempotent(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    """Nothing was sent, so nothing can have been done: any call may go again."""
    caplog.set_level(logging.WARNING, logger="cairn.sdk")
    with (
        Cairn("http://127.0.0.1:1/graphql", client.token, retry=Retry(3, 0.01)) as cairn,
        pytest.raises(CairnApiError) as down,
    ):
        cairn.create_job_run("never")
    assert (down.value.code, down.value.ambiguous) == ("NETWORK_ERROR", False)
    assert len(retry_records(caplog)) == 2


@pytest.mark.unit
def test_retry_policy() -> None:
    busy = CairnApiError("SERVICE_BUSY", "x", retry_after=None)
    lost = CairnApiError("NETWORK_ERROR", "x", ambiguous=True)
    retry = Retry(attempts=4, backoff=1.0, max_delay=3.0)
    assert [retry.should_retry(busy, n, idempotent=False) for n in (1, 2, 3, 4)] == [
        True,
        True,
        True,
        False,
    ]
    assert not retry.should_retry(lost, 1, idempotent=False)
    assert retry.should_retry(lost, 1, idempotent=True)
    assert not retry.should_retry(CairnApiError("CONFLICT", "x"), 1, idempotent=True)
    assert retry.should_retry(CairnApiError("HTTP_ERROR", "x", status_code=502), 1, idempotent=True)
    assert not retry.should_retry(
        CairnApiError("HTTP_ERROR", "x", status_code=404), 1, idempotent=True
    )
    for attempt, ceiling in ((1, 1.0), (2, 2.0), (3, 3.0), (9, 3.0)):
        wait = retry.delay(busy, attempt)
        assert ceiling / 2 <= wait <= ceiling
    with pytest.raises(ValueError, match="1 or more"):
        Retry(attempts=0)


# --- STORAGE_UNAVAILABLE from the server's own store --------------------------------------


class FailNext(FlakyStore):
    """Fails the next ``n`` calls of an operation, then works again."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.budget: dict[str, int] = {}

    def _maybe_fail(self, name: str) -> None:
        if self.budget.get(name, 0) > 0:
            self.budget[name] -= 1
            self.failing.add(name)
        try:
            super()._maybe_fail(name)
        finally:
            self.failing.discard(name)


@pytest.fixture(scope="module")
def flaky(stack: Stack) -> Iterator[tuple[Server, FailNext, Settings]]:
    from cairn.app import make_store

    settings = make_settings(stack)
    store = make_store(settings, FailNext)
    with serve(settings, store=store) as server:
        yield server, store, settings


def test_storage_unavailable_is_retried(
    flaky: tuple[Server, FailNext, Settings], stack: Stack, tmp_path: Path
) -> None:
    server, store, _ = flaky
    client = client_for(server)
    source = tmp_path / "data.csv"
    make_file(source, 50_000, text=True)
    store.budget = {"put_bytes": 2, "put_stream": 1}
    with Cairn(server.graphql_url, client.token, retry=FAST) as cairn:
        inline = cairn.publish_bytes(b"abc", display_name="a.bin", key="stored")
        uploaded = cairn.publish_file(source, key="stored")
        store.budget = {"put_bytes": 10}
        with pytest.raises(CairnApiError) as down:
            cairn.publish_bytes(b"abc", display_name="a.bin", key="stored")
    assert down.value.code == "STORAGE_UNAVAILABLE"
    assert store.calls.count("put_bytes") == 3 + FAST.attempts
    assert store.calls.count("put_stream") == 2
    assert (inline.version, uploaded.version) == (1, 2)
    assert by_key(stack, client.org_id, "stored") == [(1, "AVAILABLE"), (2, "AVAILABLE")]
    client.http.close()


# --- async: the same loop, awaited ------------------------------------------------------


async def test_async_retries_lost_answers_and_busy(
    proxy: FaultProxy, client: Client, stack: Stack, tmp_path: Path
) -> None:
    source = tmp_path / "big.bin"
    digest = make_file(source, 2 * 1024 * 1024)
    proxy.fail(b"createArtifact(", "lose", "busy:0")
    proxy.fail(b"completeArtifactUpload(", "lose")
    async with AsyncCairn(
        proxy.url, client.token, retry=FAST, multipart_threshold=1024 * 1024
    ) as cairn:
        note = await cairn.publish_markdown("*hi*", key="async-note")
        big = await cairn.publish_file(source, key="async-big")
        got = await cairn.download(big.id, tmp_path / "copy.bin")
    assert (note.version, big.version, sha256_of(got)) == (1, 1, digest)
    assert proxy.count(b"createArtifact(") == 3
    assert len(set(proxy.keys(b"createArtifact("))) == 1
    for key in ("async-note", "async-big"):
        assert await asyncio.to_thread(by_key, stack, client.org_id, key) == [(1, "AVAILABLE")]


# --- the service's own SERVICE_BUSY: every pooled connection stays in use -----------------


@pytest.fixture(scope="module")
def one_connection(stack: Stack) -> Iterator[Server]:
    settings = make_settings(stack, db_pool_max=1, db_pool_timeout_seconds=0.3)
    with serve(settings) as running:
        yield running


class LockedArtifacts:
    """ACCESS EXCLUSIVE on the artifacts table, held from a thread of its own until
    ``release()``: a request reading artifacts then holds the service's only pooled
    connection, stuck behind it, and the next request waits for the pool and is turned away."""

    def __init__(self, dsn: str) -> None:
        self._dsn = dsn
        self._locked, self._release, self._released = (threading.Event() for _ in range(3))
        self._thread = threading.Thread(target=lambda: asyncio.run(self._hold()), daemon=True)
        self._thread.start()
        assert self._locked.wait(60), "could not lock the artifacts table"

    async def _hold(self) -> None:
        import asyncpg

        connection = await asyncpg.connect(self._dsn)
        try:
            async with connection.transaction():
                await connection.execute("LOCK TABLE artifacts IN ACCESS EXCLUSIVE MODE")
                self._locked.set()
                await asyncio.to_thread(self._release.wait, 120)
        finally:
            await connection.close()
            self._released.set()

    def release(self) -> None:
        self._release.set()  # a second call finds it released already
        assert self._released.wait(60)


class OnFirstRetry(logging.Handler):
    def __init__(self, action: Any) -> None:
        super().__init__()
        self.action, self.fired = action, 0

    def emit(self, record: logging.LogRecord) -> None:
        if hasattr(record, "cairn_retry_delay") and not self.fired:
            self.fired += 1
            self.action(record)


def test_the_services_own_service_busy_is_retried(one_connection: Server, stack: Stack) -> None:
    server = one_connection
    client = client_for(server)
    lock = LockedArtifacts(stack.owner_dsn)
    blocker = threading.Thread(
        target=lambda: client.http.post(
            "/graphql", json={"query": "{ artifacts(first: 1) { nodes { id } } }"}
        )
    )
    blocker.start()
    db = server.app.state.db
    deadline = time.monotonic() + 60  # a hang guard: waits for a state, asserts nothing timed
    while db.in_use < 1:
        assert time.monotonic() < deadline, "the blocking request never took the connection"
        time.sleep(0.02)
    waits: list[tuple[str, float]] = []

    def free_the_pool(record: logging.LogRecord) -> None:
        waits.append((record.cairn_retry_code, record.cairn_retry_delay))  # type: ignore[attr-defined]
        lock.release()
        blocker.join(60)

    handler = OnFirstRetry(free_the_pool)
    logging.getLogger("cairn.sdk").addHandler(handler)
    try:
        with Cairn(server.graphql_url, client.token, retry=Retry(3, 0.01, 5.0)) as cairn:
            made = cairn.publish_text("after the wait", key="busy-pool")
    finally:
        logging.getLogger("cairn.sdk").removeHandler(handler)
        lock.release()  # also when the test failed: the table must not stay locked
        blocker.join(60)
        client.http.close()
    assert waits == [("SERVICE_BUSY", 1.0)]  # the service's Retry-After: 1
    assert made.version == 1
    assert by_key(stack, client.org_id, "busy-pool") == [(1, "AVAILABLE")]


@pytest.mark.unit
def test_an_error_beside_answered_fields_counts_as_maybe_done() -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        body = {
            "data": {"first": {"id": "1"}, "second": None},
            "errors": [{"message": "busy", "extensions": {"code": "SERVICE_BUSY"}}],
        }
        return httpx.Response(200, json=body)

    document = 'mutation { first: createWorkflow(input: {name: "a"}) { id } second: createJobRun(input: {}) { id } }'
    transport = httpx.MockTransport(answer)
    with Cairn("http://api.test/graphql", "t", transport=transport, retry=FAST) as cairn:
        with pytest.raises(CairnApiError) as partly:
            cairn.execute(document)
        assert (partly.value.code, partly.value.ambiguous) == ("SERVICE_BUSY", True)
        assert len(sent) == 1  # the first field took effect: not repeated behind our back
        with pytest.raises(CairnApiError):
            cairn.execute(document, idempotent=True)  # the caller says: safe to repeat
        assert len(sent) == 1 + FAST.attempts
