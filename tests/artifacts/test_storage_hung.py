"""A hung object store: every storage call has a deadline, runs in a bounded pool of its
own, and the client is answered before slow clean-up.

The store here is a SeaweedFS of this module's own (pausing the session's would stall
every other test), paused with SIGSTOP: a paused server still accepts connections (the
kernel completes them) and then never answers, which is what a hung store looks like,
unlike a dead port that refuses at once. ``CAIRN_S3_TIMEOUT_SECONDS`` is 3 here. The
deadlines asserted ARE the feature; they are generous (twice the setting plus 5 s) so a
loaded machine does not fail them, yet far below what urllib3 alone would wait (60 s per
read, retried).
"""

from __future__ import annotations

import base64
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from cairn.app import make_store
from cairn.cli.embedded import EmbeddedS3
from cairn.config import Settings, SettingsError, load_settings
from cairn.errors import StorageUnavailable
from cairn.storage import STORAGE_THREADS, MinioStore
from tests.support.http import Client, Server, serve
from tests.support.publish import (
    BEGIN,
    COMPLETE,
    CREATE,
    GET,
    client_for,
    download,
    sha,
    spec,
    upload,
)
from tests.support.stack import Stack, fetch, make_settings, run

TIMEOUT = 3.0
ANSWER_WITHIN = 2 * TIMEOUT + 5  # the deadline, with room for a loaded machine
PROBE_WITHIN = 3.0  # /readyz reports storage down within 3 s
PENDING_ROWS = "SELECT id FROM artifacts WHERE org_id = $1 AND status = 'PENDING'"


@dataclass
class Hung:
    server: Server
    s3: EmbeddedS3
    client: Client

    @contextmanager
    def paused(self) -> Iterator[None]:
        """SeaweedFS stopped (SIGSTOP) for the block; always resumed after it."""
        assert self.s3.process is not None
        pgid = self.s3.process.pid  # started in a session of its own: pgid == pid
        os.killpg(pgid, signal.SIGSTOP)
        try:
            yield
        finally:
            os.killpg(pgid, signal.SIGCONT)


@pytest.fixture(scope="module")
def hung(stack: Stack) -> Iterator[Hung]:
    base = Path(tempfile.mkdtemp(prefix="cairn-hung-s3-"))
    base.chmod(0o755)
    s3 = EmbeddedS3(base / "s3")
    try:
        endpoint = s3.start()
        settings = make_settings(
            stack,
            s3_endpoint=endpoint.url,
            s3_access_key=endpoint.access_key,
            s3_secret_key=endpoint.secret_key,
            s3_timeout_seconds=TIMEOUT,
        )
        with serve(settings) as server:
            client = client_for(server)
            yield Hung(server=server, s3=s3, client=client)
            client.http.close()
    finally:
        if s3.process is not None:  # never leave it stopped, whatever happened
            os.killpg(s3.process.pid, signal.SIGCONT)
        s3.stop()
        shutil.rmtree(base, ignore_errors=True)


def timed(fn: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    started = time.monotonic()
    result = fn(*args, **kwargs)
    return result, time.monotonic() - started


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors") or []]


def storage_threads() -> int:
    return sum(t.name.startswith("cairn-storage") for t in threading.enumerate())


@pytest.mark.slow
def test_publishing_answers_storage_unavailable_within_the_deadline(hung: Hung) -> None:
    client = hung.client
    payload = os.urandom(4096)
    ticket = client(
        BEGIN,
        {
            "input": spec("BINARY", "late.bin", key="late"),
            "size": len(payload),
            "sha": sha(payload),
        },
    )["beginArtifactUpload"]
    assert httpx.put(ticket["uploadUrl"]["url"], content=payload, timeout=30).status_code == 200
    art_id = ticket["artifact"]["id"]
    create_vars = {
        "input": spec("BINARY", "x.bin", key="down"),
        "b64": base64.b64encode(b"x").decode(),
    }

    with hung.paused():
        body, took = timed(lambda: client.raw(CREATE, create_vars).json())
        assert codes(body) == ["STORAGE_UNAVAILABLE"], body
        assert "retry" in body["errors"][0]["message"]
        assert took < ANSWER_WITHIN, took

        response, took = timed(upload, client, spec("BINARY", "u.bin", key="down"), b"bytes")
        assert codes(response.json()) == ["STORAGE_UNAVAILABLE"], response.text
        assert took < ANSWER_WITHIN, took

        body, took = timed(lambda: client.raw(COMPLETE, {"id": art_id}).json())
        assert codes(body) == ["STORAGE_UNAVAILABLE"], body
        assert took < ANSWER_WITHIN, took
        # a transient failure: the upload can still be completed later
        assert client(GET, {"id": art_id})["artifact"]["status"] == "PENDING"
        # beginning an upload needs no storage (presigning is local)
        began = client(BEGIN, {"input": spec("BINARY", "b.bin"), "size": 1, "sha": sha(b"b")})[
            "beginArtifactUpload"
        ]
        assert began["artifact"]["status"] == "PENDING"
        assert storage_threads() <= 2 * STORAGE_THREADS  # this store's pool, and the session's

    # After resuming: publishing works at once, no restart.
    done, took = timed(lambda: client(CREATE, create_vars)["createArtifact"])
    assert (done["status"], done["version"]) == ("AVAILABLE", 1)  # the failures used none
    assert download(done["signedUrl"]["url"]).content == b"x"
    assert took < ANSWER_WITHIN, took
    completed = client(COMPLETE, {"id": art_id})["completeArtifactUpload"]
    assert completed["status"] == "AVAILABLE"
    assert download(completed["signedUrl"]["url"]).content == payload
    listed = client('{ artifacts(filter: {key: {eq: "down"}}) { nodes { id } } }')
    assert listed["artifacts"]["nodes"] == [{"id": done["id"]}]  # the failures never show


@pytest.mark.slow
def test_database_only_requests_are_unaffected_while_storage_calls_hang(
    hung: Hung, stack: Stack
) -> None:
    client = client_for(hung.server)
    create_vars = {"input": spec("BINARY", "y.bin"), "b64": base64.b64encode(b"y").decode()}
    with hung.paused(), ThreadPoolExecutor(8) as pool:
        stuck = [pool.submit(lambda: client.raw(CREATE, create_vars).json()) for _ in range(8)]
        # all eight are past their row's insert, so inside their storage call, hanging
        deadline = time.monotonic() + ANSWER_WITHIN
        while len(fetch(stack.owner_dsn, PENDING_ROWS, client.org_id)) < 8:
            assert time.monotonic() < deadline, "the publishes never reached storage"
        for i in range(10):
            answer, took = timed(
                client,
                "mutation($n: String!) { createWorkflow(input: {name: $n}) { id } }",
                {"n": f"wf-{i}"},
            )
            assert answer["createWorkflow"]["id"]
            # answered without waiting on storage (whose calls take the deadline: TIMEOUT)
            assert took < TIMEOUT, took
            listed, took = timed(client, "{ workflows { totalCount } }")
            assert listed["workflows"]["totalCount"] == i + 1
            assert took < TIMEOUT, took
            health, took = timed(httpx.get, f"{hung.server.url}/healthz")
            assert health.status_code == 200
            assert took < TIMEOUT, took
            if i == 0:  # the first round was answered while every storage call hung
                assert not any(f.done() for f in stuck)
        for future in stuck:
            assert codes(future.result(timeout=60)) == ["STORAGE_UNAVAILABLE"]
    client.http.close()


@pytest.mark.slow
def test_readyz_reports_storage_down_quickly_without_leaking_threads(hung: Hung) -> None:
    url = f"{hung.server.url}/readyz"
    assert httpx.get(url, timeout=30).status_code == 200
    with hung.paused():
        counts = []
        for _ in range(12):
            response, took = timed(httpx.get, url, timeout=30)
            assert response.status_code == 503
            assert response.json() == {
                "status": "unavailable",
                "database": "ok",
                "storage": "unreachable",
            }
            assert took < PROBE_WITHIN, took
            counts.append(threading.active_count())
        # one probe at a time holds one thread: the count does not grow with the probes
        assert max(counts) - counts[0] <= 1, counts
    deadline = time.monotonic() + 30
    while httpx.get(url, timeout=30).status_code != 200:
        assert time.monotonic() < deadline, "storage was not reported ready again"
    assert threading.active_count() <= counts[0] + 1


class _Counting(BaseHTTPRequestHandler):
    """Answers every request 503 and counts them by method."""

    seen: dict[str, int]

    def _answer(self) -> None:
        self.seen[self.command] = self.seen.get(self.command, 0) + 1
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.send_response(503)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        self._answer()

    def do_HEAD(self) -> None:
        self._answer()

    def do_PUT(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def do_DELETE(self) -> None:
        self._answer()

    def log_message(self, *args: object) -> None:
        return None


@pytest.mark.unit
def test_only_idempotent_requests_are_retried() -> None:
    seen: dict[str, int] = {}
    handler = type("Handler", (_Counting,), {"seen": seen})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    store = MinioStore(
        f"http://127.0.0.1:{httpd.server_address[1]}", "ak", "sk", "bucket", timeout=TIMEOUT
    )

    async def attempt(name: str) -> None:
        calls = {
            "GET": lambda: store.read("staging/x"),
            "HEAD": lambda: store.stat("staging/x"),
            "DELETE": lambda: store.delete("staging/x"),
            "PUT": lambda: store.put_bytes("staging/x", b"data", "x/y"),
        }
        with pytest.raises(StorageUnavailable):
            await calls[name]()

    try:
        for method in ("GET", "HEAD", "DELETE", "PUT"):
            run(attempt(method))
    finally:
        httpd.shutdown()
        httpd.server_close()
        run(store.close())
    # GET, HEAD and DELETE: the first try and two retries; a PUT is sent once
    assert seen == {"GET": 3, "HEAD": 3, "DELETE": 3, "PUT": 1}


@pytest.mark.unit
def test_the_timeout_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings(_env_file=None).s3_timeout_seconds == 10  # type: ignore[call-arg]
    monkeypatch.setenv("CAIRN_S3_TIMEOUT_SECONDS", "2.5")
    settings = load_settings(s3_endpoint="http://127.0.0.1:9", s3_access_key="a", s3_secret_key="b")
    assert make_store(settings).timeout == 2.5
    assert load_settings().s3_timeout_seconds == 2.5
    for bad in ("0", "-1", "soon"):
        monkeypatch.setenv("CAIRN_S3_TIMEOUT_SECONDS", bad)
        with pytest.raises(SettingsError, match="CAIRN_S3_TIMEOUT_SECONDS"):
            load_settings()
