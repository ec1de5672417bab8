"""The storage layer's streaming writes, and uploads that end badly on the wire."""

from __future__ import annotations

import asyncio
import hashlib
import os
import socket
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from cairn.errors import PayloadTooLarge, StorageUnavailable
from cairn.storage import MinioStore
from tests.support.http import Client, Server
from tests.support.publish import BEGIN, COMPLETE, multipart_parts, objects, sha, spec
from tests.support.stack import Stack, fetch

MiB = 1024 * 1024


def _store(stack: Stack, bucket: str) -> MinioStore:
    return MinioStore(stack.s3_url, stack.s3_access_key, stack.s3_secret_key, bucket)


async def _chunks(total: int, fail_after: int | None = None) -> AsyncIterator[bytes]:
    block = b"\x07" * MiB
    sent = 0
    while sent < total:
        if fail_after is not None and sent >= fail_after:
            raise PayloadTooLarge("too large")
        piece = block[: min(MiB, total - sent)]
        sent += len(piece)
        yield piece


@pytest.mark.parametrize("sized", [True, False], ids=["single-put", "multipart"])
def test_put_stream_stores_exact_bytes(server: Server, stack: Stack, sized: bool) -> None:
    store = _store(stack, server.settings.s3_bucket)
    total = 20 * MiB + 3  # three parts when unsized
    key = f"test/{os.urandom(6).hex()}"

    async def go() -> None:
        await store.put_stream(
            key, _chunks(total), "application/octet-stream", total if sized else None
        )
        stored = await store.hash_object(key)
        assert stored is not None
        assert stored.size == total
        assert stored.sha256 == hashlib.sha256(b"\x07" * total).hexdigest()
        await store.delete(key)
        assert await store.hash_object(key) is None

    asyncio.run(go())


@pytest.mark.parametrize("sized", [True, False], ids=["single-put", "multipart"])
def test_put_stream_failure_raises_the_source_error_and_leaves_nothing(
    server: Server, stack: Stack, sized: bool
) -> None:
    store = _store(stack, server.settings.s3_bucket)
    total = 20 * MiB
    key = f"test/{os.urandom(6).hex()}"

    async def go() -> None:
        with pytest.raises(PayloadTooLarge):
            await store.put_stream(
                key, _chunks(total, fail_after=10 * MiB), "x/y", total if sized else None
            )
        assert await store.hash_object(key) is None

    asyncio.run(go())


def test_put_stream_shorter_than_announced_is_refused(server: Server, stack: Stack) -> None:
    store = _store(stack, server.settings.s3_bucket)
    key = f"test/{os.urandom(6).hex()}"

    async def go() -> None:
        with pytest.raises(StorageUnavailable):
            await store.put_stream(key, _chunks(MiB), "x/y", 2 * MiB)
        assert await store.hash_object(key) is None

    asyncio.run(go())


def test_client_gone_mid_upload_leaves_nothing(
    client: Client, server: Server, stack: Stack
) -> None:
    staging_before = objects(stack, server.settings.s3_bucket, "staging/")
    announced = 8 * MiB
    content_type, body, overhead = multipart_parts(
        spec("BINARY", "cut.bin", key="cut"), iter([b"\x01" * MiB])
    )
    host, port = server.url.removeprefix("http://").split(":")
    head = (
        "POST /graphql HTTP/1.1\r\n"
        f"Host: {host}:{port}\r\n"
        f"Authorization: Bearer {client.token}\r\n"
        "Apollo-Require-Preflight: true\r\n"
        f"Content-Type: {content_type}\r\n"
        f"Content-Length: {announced + (overhead or 0)}\r\n\r\n"
    ).encode()
    handled = graphql_requests(server)
    with socket.create_connection((host, int(port))) as sock:
        sock.sendall(head)
        for part in body:
            if part.startswith(b"\r\n--"):
                break  # the closing boundary never comes: the client goes away
            sock.sendall(part)
    # Wait until the server has finished with that request (its metrics count it when
    # it ends, however it ends), then look at what it left.
    deadline = time.monotonic() + 30
    while graphql_requests(server) == handled:
        assert time.monotonic() < deadline, "the server never finished the request"
        time.sleep(0.05)
    assert graphql_requests(server) == handled + 1
    assert fetch(stack.owner_dsn, "SELECT id FROM artifacts WHERE org_id = $1", client.org_id) == []
    assert objects(stack, server.settings.s3_bucket, "staging/") == staging_before
    assert client("{ viewer { organizationId } }")["viewer"]["organizationId"] == client.org_id


def graphql_requests(server: Server) -> float:
    """How many /graphql requests the server has finished (its Prometheus counter)."""
    text = httpx.get(f"{server.url}/metrics", timeout=30).text
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith('cairn_http_requests_total{path="/graphql"')
    )


def test_concurrent_completes_publish_once(
    client_factory: Callable[..., Client], client: Client
) -> None:
    payload = os.urandom(50_000)
    ticket = client(
        BEGIN,
        {"input": spec("BINARY", "c.bin", key="cc"), "size": len(payload), "sha": sha(payload)},
    )["beginArtifactUpload"]
    assert httpx.put(ticket["uploadUrl"]["url"], content=payload).status_code == 200
    clients = [client_factory(org_id=client.org_id) for _ in range(5)]
    art_id = ticket["artifact"]["id"]
    with ThreadPoolExecutor(5) as pool:
        results = list(pool.map(lambda c: c.raw(COMPLETE, {"id": art_id}).json(), clients))
    done = [r["data"]["completeArtifactUpload"] for r in results if r.get("data")]
    assert len(done) == 5, results
    assert {(d["id"], d["version"], d["status"]) for d in done} == {(art_id, 1, "AVAILABLE")}
    after = client(
        'mutation($i: ArtifactInput!) { createArtifact(input: $i, data: "x") { version } }',
        {"i": spec("MARKDOWN", "m", key="cc")},
    )
    assert after["createArtifact"]["version"] == 2  # exactly one version was taken
