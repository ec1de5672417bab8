"""Scale-out: three `cairn serve` processes on one PostgreSQL and one S3. Publishers on
every replica publish to shared keys at once while a subscriber on every replica listens
and `cairn gc` runs: versions stay gapless and unique, one latest per key, every published
artifact's bytes verify, every subscriber gets every event, and gc removes nothing live.
Bounded: 3 replicas x 2 publishers x 6 artifacts, loopback only."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import websockets

from cairn.auth import issue_token
from tests.support.http import new_org
from tests.support.processes import Served, cairn_env, run_cairn, start_serve
from tests.support.stack import JWT_SECRET, Stack, fetch, make_settings

pytestmark = pytest.mark.slow

REPLICAS = 3
PUBLISHERS = 2  # per replica
EACH = 6  # artifacts per publisher
KEYS = ("shared-a", "shared-b", "shared-c")
WAIT = 60.0
CREATE = """mutation($input: ArtifactInput!, $b64: String) {
  createArtifact(input: $input, contentBase64: $b64) { id key version sha256 } }"""
SUBSCRIBE = "subscription { artifactPublished { id key version } }"
READ = """query($key: String!) { artifacts(filter: {key: {eq: $key}}, first: 500) {
  nodes { id version isLatest sha256 signedUrl { url } } } }"""


@pytest.fixture
def replicas(stack: Stack) -> Iterator[list[Served]]:
    base = Path(tempfile.mkdtemp(prefix="cairn-scale-"))
    settings = make_settings(stack)
    env = {
        "CAIRN_DATABASE_URL": stack.service_dsn,
        "CAIRN_S3_ENDPOINT": stack.s3_url,
        "CAIRN_S3_ACCESS_KEY": stack.s3_access_key,
        "CAIRN_S3_SECRET_KEY": stack.s3_secret_key,
        "CAIRN_S3_BUCKET": settings.s3_bucket,
        "CAIRN_JWT_SECRET": JWT_SECRET,
        # every replica runs the background round too, under the same advisory lock
        "CAIRN_SWEEP_INTERVAL_SECONDS": "1",
        "CAIRN_SWEEP_GRACE_SECONDS": "0",
    }
    started: list[Served] = []
    try:
        for i in range(REPLICAS):
            started.append(start_serve(base / f"data-{i}", base, **env))
        for served in started:
            served.wait_healthy()
        yield started
    finally:
        for served in started:
            served.kill_all()
        shutil.rmtree(base, ignore_errors=True)


async def _listen(url: str, token: str, seen: set[str], ready: asyncio.Event) -> None:
    async with websockets.connect(
        url.replace("http://", "ws://") + "/graphql",
        subprotocols=["graphql-transport-ws"],
        open_timeout=WAIT,
    ) as ws:
        init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
        await ws.send(json.dumps(init))
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}}))
        while True:
            message = json.loads(await ws.recv())
            if message["type"] == "ping":
                await ws.send(json.dumps({"type": "pong"}))
            elif message["type"] == "next":
                seen.add(message["payload"]["data"]["artifactPublished"]["id"])
                ready.set()


async def _publish(http: httpx.AsyncClient, key: str, payload: bytes) -> dict[str, Any]:
    variables = {
        "input": {"type": "BINARY", "displayName": "x.bin", "key": key},
        "b64": base64.b64encode(payload).decode(),
    }
    for _ in range(20):  # SERVICE_BUSY on a loaded machine: retry as a client would
        body = (await http.post("/graphql", json={"query": CREATE, "variables": variables})).json()
        if not body.get("errors"):
            return dict(body["data"]["createArtifact"])
        assert body["errors"][0]["extensions"]["code"] == "SERVICE_BUSY", body
        await asyncio.sleep(0.5)
    raise AssertionError("still busy after 20 tries")


async def _scenario(
    replicas: list[Served], token: str, env: dict[str, str], cwd: Path
) -> tuple[list[dict[str, Any]], list[set[str]], Any, dict[str, bytes]]:
    headers = {"Authorization": f"Bearer {token}"}
    clients = [httpx.AsyncClient(base_url=r.url, headers=headers, timeout=WAIT) for r in replicas]
    seen: list[set[str]] = [set() for _ in replicas]
    ready = [asyncio.Event() for _ in replicas]
    listeners = [
        asyncio.create_task(_listen(r.url, token, seen[i], ready[i]))
        for i, r in enumerate(replicas)
    ]
    try:
        # each subscription is live once it has seen a probe (published until it has)
        deadline = time.monotonic() + WAIT
        while not all(e.is_set() for e in ready):
            assert time.monotonic() < deadline, "a replica's subscription never started"
            await _publish(clients[0], "probe", b"probe")
            await asyncio.sleep(0.3)
        payloads: dict[str, bytes] = {}

        async def publisher(client: httpx.AsyncClient, n: int) -> list[dict[str, Any]]:
            done = []
            for i in range(EACH):
                data = secrets.token_bytes(64 + n + i)
                art = await _publish(client, KEYS[(n + i) % len(KEYS)], data)
                payloads[art["id"]] = data
                done.append(art)
            return done

        gc = asyncio.create_task(
            asyncio.to_thread(run_cairn, "gc", "--json", env=env, cwd=cwd, timeout=120)
        )
        batches = await asyncio.gather(
            *(
                publisher(client, r * PUBLISHERS + p)
                for r, client in enumerate(clients)
                for p in range(PUBLISHERS)
            )
        )
        gc_done = await gc
        published = [a for batch in batches for a in batch]
        ids = {a["id"] for a in published}
        deadline = time.monotonic() + WAIT
        while not all(ids <= s for s in seen):
            assert time.monotonic() < deadline, [len(ids - s) for s in seen]
            await asyncio.sleep(0.1)
        return published, seen, gc_done, payloads
    finally:
        for task in listeners:
            task.cancel()
        await asyncio.gather(*listeners, return_exceptions=True)
        for client in clients:
            await client.aclose()


def test_three_replicas_publish_subscribe_and_gc(
    replicas: list[Served], stack: Stack, tmp_path: Path
) -> None:
    org = new_org()
    settings = make_settings(stack)
    token = issue_token(settings, org_id=org, subject="scale")
    env = cairn_env(
        CAIRN_DATABASE_URL=stack.service_dsn,
        CAIRN_S3_ENDPOINT=stack.s3_url,
        CAIRN_S3_ACCESS_KEY=stack.s3_access_key,
        CAIRN_S3_SECRET_KEY=stack.s3_secret_key,
        CAIRN_S3_BUCKET=settings.s3_bucket,
        CAIRN_SWEEP_GRACE_SECONDS="0",
    )
    published, seen, gc_done, payloads = asyncio.run(_scenario(replicas, token, env, tmp_path))
    assert len(published) == REPLICAS * PUBLISHERS * EACH
    # every subscriber on every replica got every event (checked in the scenario)
    assert all({a["id"] for a in published} <= s for s in seen)
    # gc ran while they published and removed nothing of this organization
    assert gc_done.returncode == 0, gc_done.stderr
    report = orjson.loads(gc_done.stdout)
    assert [i for i in report["removed"] + report["missing"] if i["organization"] == org] == []

    with httpx.Client(
        base_url=replicas[1].url, headers={"Authorization": f"Bearer {token}"}, timeout=WAIT
    ) as http:
        for key in KEYS:
            body = http.post("/graphql", json={"query": READ, "variables": {"key": key}}).json()
            nodes = body["data"]["artifacts"]["nodes"]
            mine = [a for a in published if a["key"] == key]
            assert len(nodes) == len(mine)
            assert sorted(n["version"] for n in nodes) == list(range(1, len(mine) + 1))
            assert [n["version"] for n in nodes if n["isLatest"]] == [len(mine)]
            for node in nodes:
                data = httpx.get(node["signedUrl"]["url"], timeout=WAIT).content
                assert data == payloads[node["id"]]
                assert hashlib.sha256(data).hexdigest() == node["sha256"]
    rows = fetch(
        stack.owner_dsn,
        "SELECT count(*) AS n FROM artifacts WHERE org_id = $1 AND status <> 'AVAILABLE'",
        org,
    )
    assert rows[0]["n"] == 0
    keys = fetch(
        stack.owner_dsn,
        "SELECT key, last_version FROM artifact_keys WHERE org_id = $1 AND key <> 'probe' "
        "ORDER BY key",
        org,
    )
    assert [(r["key"], r["last_version"]) for r in keys] == [
        (key, sum(1 for a in published if a["key"] == key)) for key in KEYS
    ]
