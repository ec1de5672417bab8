"""artifactPublished over the real WebSocket (graphql-transport-ws), across replicas.

Each test subscribes, waits until the server's Notifier has registered the subscriber
(so no event can slip past before the subscription exists), publishes, and waits a
bounded time for the result.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import secrets
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import httpx
import pytest
import websockets
from websockets.asyncio.client import ClientConnection

from cairn.auth import SCOPE_READ, SCOPE_WRITE, issue_token
from cairn.notify import CHANNEL, Notifier
from tests.support.http import Client, Server, serve
from tests.support.stack import Stack, make_settings

WAIT = 5.0  # seconds: the bound on every wait for something that must happen
QUIET = 0.7  # seconds: how long "nothing arrives" is watched

SUBSCRIBE = """
subscription Published($run: ID, $job: ID, $workflow: ID) {
  artifactPublished(workflowRunId: $run, jobRunId: $job, workflowId: $workflow) {
    id displayName type status data
    workflowRun { id } jobRun { id } workflow { id name }
  }
}
"""


# -- WebSocket helpers -----------------------------------------------------------


def ws_url(server: Server) -> str:
    return server.url.replace("http://", "ws://") + "/graphql"


@asynccontextmanager
async def open_socket(server: Server) -> AsyncIterator[ClientConnection]:
    async with websockets.connect(
        ws_url(server), subprotocols=["graphql-transport-ws"], open_timeout=WAIT
    ) as ws:
        yield ws


async def receive(ws: ClientConnection, within: float = WAIT) -> dict[str, Any]:
    """The next protocol message, answering the server's pings on the way."""
    deadline = time.monotonic() + within
    while True:
        raw = await asyncio.wait_for(ws.recv(), max(0.01, deadline - time.monotonic()))
        # a text frame, as every client requires (json.loads would accept bytes too)
        assert isinstance(raw, str), f"binary WebSocket frame: {raw!r}"
        message: dict[str, Any] = json.loads(raw)
        if message["type"] == "ping":
            await ws.send(json.dumps({"type": "pong"}))
            continue
        return message


@asynccontextmanager
async def connected(server: Server, token: str) -> AsyncIterator[ClientConnection]:
    async with open_socket(server) as ws:
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
        )
        ack = await receive(ws)
        assert ack["type"] == "connection_ack", ack
        yield ws


async def subscribe(
    ws: ClientConnection, server: Server, org_id: str, op_id: str = "1", **ids: str | None
) -> None:
    """Start artifactPublished and wait until the server has registered it."""
    notifier: Notifier = server.app.state.notifier
    before = notifier.subscriber_count(org_id)
    variables = {"run": ids.get("run"), "job": ids.get("job"), "workflow": ids.get("workflow")}
    await ws.send(
        json.dumps(
            {
                "id": op_id,
                "type": "subscribe",
                "payload": {"query": SUBSCRIBE, "variables": variables},
            }
        )
    )
    deadline = time.monotonic() + WAIT
    while notifier.subscriber_count(org_id) <= before:
        assert time.monotonic() < deadline, "the subscription was never registered"
        await asyncio.sleep(0.01)


async def next_artifact(ws: ClientConnection, op_id: str = "1") -> dict[str, Any]:
    message = await receive(ws)
    assert message["type"] == "next", message
    assert message["id"] == op_id
    assert "errors" not in message["payload"], message
    artifact: dict[str, Any] = message["payload"]["data"]["artifactPublished"]
    return artifact


async def assert_quiet(ws: ClientConnection) -> None:
    """Nothing arrives for QUIET seconds."""
    try:
        message = await receive(ws, within=QUIET)
    except TimeoutError:
        return
    pytest.fail(f"expected nothing, got {message}")


# -- data helpers ------------------------------------------------------------------


async def gql(client: Client, query: str, variables: dict[str, Any] | None = None) -> Any:
    """Run the sync HTTP client off the event loop (the WebSocket keeps reading)."""
    return await asyncio.to_thread(client, query, variables)


async def make_run(client: Client, workflow_name: str = "wf") -> dict[str, str]:
    """A workflow, a job run and a workflow run in ``client``'s organization."""
    workflow = await gql(
        client,
        "mutation($n: String!) { createWorkflow(input: {name: $n}) { id } }",
        {"n": workflow_name},
    )
    job = await gql(client, 'mutation { createJobRun(input: {name: "job"}) { id } }')
    run = await gql(
        client,
        "mutation($w: ID!, $j: ID) { createWorkflowRun(input: {workflowId: $w, jobRunId: $j}) { id } }",
        {"w": workflow["createWorkflow"]["id"], "j": job["createJobRun"]["id"]},
    )
    return {
        "workflow": workflow["createWorkflow"]["id"],
        "job": job["createJobRun"]["id"],
        "run": run["createWorkflowRun"]["id"],
    }


CREATE = """
mutation Create($input: ArtifactInput!, $data: JSON) {
  createArtifact(input: $input, data: $data) { id status }
}
"""


async def publish(client: Client, ids: dict[str, str] | None, name: str) -> str:
    """Publish a MARKDOWN artifact through the service (createArtifact); its id."""
    run = (ids or {}).get("run")
    spec = {"type": "MARKDOWN", "displayName": name, "workflowRunId": run}
    created = (await gql(client, CREATE, {"input": spec, "data": "# hi"}))["createArtifact"]
    assert created["status"] == "AVAILABLE"
    return str(created["id"])


async def insert_raw(stack: Stack, org_id: str, ids: dict[str, str], name: str) -> str:
    """An AVAILABLE row written as the table owner, with no notification; its id."""
    artifact_id = uuid.uuid4()
    conn = await asyncpg.connect(stack.owner_dsn)
    try:
        await conn.execute(
            """
            INSERT INTO artifacts (org_id, id, type, display_name, mime_type, status, data,
                workflow_run_id, job_run_id, workflow_id, created_by, published_at)
            VALUES ($1, $2, 'MARKDOWN', $3, 'text/markdown', 'AVAILABLE', '"# hi"'::jsonb,
                $4, $5, $6, 'tester', now())
            """,
            org_id,
            artifact_id,
            name,
            *(uuid.UUID(ids[k]) for k in ("run", "job", "workflow")),
        )
    finally:
        await conn.close()
    return str(artifact_id)


async def notify(stack: Stack, payload: dict[str, Any]) -> None:
    conn = await asyncpg.connect(stack.owner_dsn)
    try:
        await conn.execute("SELECT pg_notify($1, $2)", CHANNEL, json.dumps(payload))
    finally:
        await conn.close()


def token_for(server: Server, org_id: str, scopes: tuple[str, ...] = (SCOPE_READ,)) -> str:
    return issue_token(server.settings, org_id=org_id, subject="watcher", scopes=scopes)


# -- tests -----------------------------------------------------------------------------


async def test_subscriber_receives_the_published_artifact(server: Server, client: Client) -> None:
    ids = await make_run(client)
    async with connected(server, token_for(server, client.org_id)) as ws:
        await subscribe(ws, server, client.org_id)
        artifact_id = await publish(client, ids, "r.md")
        artifact = await next_artifact(ws)
    assert artifact == {
        "id": artifact_id,
        "displayName": "r.md",
        "type": "MARKDOWN",
        "status": "AVAILABLE",
        "data": "# hi",
        "workflowRun": {"id": ids["run"]},
        "jobRun": {"id": ids["job"]},
        "workflow": {"id": ids["workflow"], "name": "wf"},
    }


@pytest.mark.parametrize("by", ["run", "job", "workflow"])
async def test_filters_select_only_matching_artifacts(
    server: Server, client: Client, by: str
) -> None:
    mine = await make_run(client, "wf-a")
    others = await make_run(client, "wf-b")
    async with connected(server, token_for(server, client.org_id)) as ws:
        await subscribe(ws, server, client.org_id, **{by: mine[by]})
        await publish(client, others, "skip.md")
        await publish(client, None, "no-run.md")
        wanted = await publish(client, mine, "take.md")
        artifact = await next_artifact(ws)
        assert (artifact["id"], artifact["displayName"]) == (wanted, "take.md")
        await assert_quiet(ws)


async def test_filters_combine_and_an_invalid_id_matches_nothing(
    server: Server, client: Client
) -> None:
    a = await make_run(client, "wf-a")
    b = await make_run(client, "wf-b")
    async with connected(server, token_for(server, client.org_id)) as ws:
        await subscribe(ws, server, client.org_id, "both", run=a["run"], workflow=a["workflow"])
        await subscribe(ws, server, client.org_id, "mixed", run=a["run"], workflow=b["workflow"])
        await subscribe(ws, server, client.org_id, "bad", run="not-a-uuid")
        wanted = await publish(client, a, "a.md")
        assert (await next_artifact(ws, "both"))["id"] == wanted
        await assert_quiet(ws)


BEGIN = """
mutation Begin($input: ArtifactInput!, $size: BigInt!, $sha: String!) {
  beginArtifactUpload(input: $input, sizeBytes: $size, sha256: $sha) {
    artifact { id status } uploadUrl { url } method headers
  }
}
"""
COMPLETE = "mutation($id: ID!) { completeArtifactUpload(id: $id) { id status } }"


async def test_only_artifacts_that_become_available_arrive(server: Server, client: Client) -> None:
    ids = await make_run(client)
    body = b"a presigned upload"
    async with connected(server, token_for(server, client.org_id)) as ws:
        await subscribe(ws, server, client.org_id)
        # A publish that fails (not an http(s) link) rolls back: nothing is announced.
        link = {"type": "LINK", "displayName": "l", "workflowRunId": ids["run"]}
        failed = await asyncio.to_thread(
            client.errors, CREATE, {"input": link, "data": {"url": "ftp://example.com/x"}}
        )
        assert failed.codes == ["BAD_USER_INPUT"]
        # A presigned upload: nothing while PENDING, the artifact once completed.
        spec = {"type": "TEXT", "displayName": "big.txt", "workflowRunId": ids["run"]}
        variables = {"input": spec, "size": len(body), "sha": hashlib.sha256(body).hexdigest()}
        begun = (await gql(client, BEGIN, variables))["beginArtifactUpload"]
        assert begun["artifact"]["status"] == "PENDING"
        await assert_quiet(ws)
        async with httpx.AsyncClient(timeout=WAIT) as storage:
            put = await storage.request(
                begun["method"], begun["uploadUrl"]["url"], content=body, headers=begun["headers"]
            )
            assert put.status_code == 200, put.text
        await assert_quiet(ws)  # stored, but not yet verified and published
        done = await gql(client, COMPLETE, {"id": begun["artifact"]["id"]})
        assert done["completeArtifactUpload"]["status"] == "AVAILABLE"
        artifact = await next_artifact(ws)
        assert (artifact["id"], artifact["displayName"], artifact["status"]) == (
            begun["artifact"]["id"],
            "big.txt",
            "AVAILABLE",
        )
        await assert_quiet(ws)  # exactly once


async def test_another_organization_receives_nothing(
    server: Server, client: Client, other: Client
) -> None:
    ids = await make_run(client)
    async with (
        connected(server, token_for(server, client.org_id)) as mine,
        connected(server, token_for(server, other.org_id)) as theirs,
    ):
        await subscribe(theirs, server, other.org_id)
        # The other organization even filters on this run's id: still nothing.
        await subscribe(theirs, server, other.org_id, "by-id", run=ids["run"])
        await subscribe(mine, server, client.org_id)
        artifact_id = await publish(client, ids, "secret.md")
        assert (await next_artifact(mine))["id"] == artifact_id
        await assert_quiet(theirs)


async def test_an_event_naming_a_foreign_row_is_not_delivered(
    server: Server, stack: Stack, client: Client, other: Client
) -> None:
    """Defence in depth: a NOTIFY claiming org A for org B's row yields nothing (RLS)."""
    ids = await make_run(other)
    foreign = await insert_raw(stack, other.org_id, ids, "theirs.md")
    async with connected(server, token_for(server, client.org_id)) as ws:
        await subscribe(ws, server, client.org_id)
        await notify(stack, {"org_id": client.org_id, "id": foreign})
        await assert_quiet(ws)
        # The same path does deliver a row of the subscriber's own organization.
        mine = await insert_raw(stack, client.org_id, await make_run(client), "mine.md")
        await notify(stack, {"org_id": client.org_id, "id": mine})
        assert (await next_artifact(ws))["id"] == mine


async def test_connection_init_without_a_valid_token_is_refused(server: Server) -> None:
    for payload in ({}, {"Authorization": "Bearer not-a-token"}):
        async with open_socket(server) as ws:
            await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await receive(ws)
            assert closed.value.rcvd is not None
            assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (4403, "Forbidden")


async def test_subscribe_before_connection_init_is_refused(server: Server) -> None:
    async with open_socket(server) as ws:
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}}))
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await receive(ws)
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 4401


async def test_a_token_without_read_scope_is_forbidden(server: Server) -> None:
    org = "org-" + secrets.token_hex(6)
    async with connected(server, token_for(server, org, scopes=(SCOPE_WRITE,))) as ws:
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}}))
        message = await receive(ws)
    assert message["type"] == "error"
    assert message["id"] == "1"
    [error] = message["payload"]
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert "artifacts:read" in error["message"]
    assert server.app.state.notifier.subscriber_count(org) == 0


async def test_errors_over_the_socket_carry_the_contract_codes(server: Server) -> None:
    """Operations over the socket get the same error shape as over HTTP."""
    org = "org-" + secrets.token_hex(6)
    async with connected(server, token_for(server, org)) as ws:
        mutation = 'mutation { createJobRun(input: {name: "x"}) { id } }'
        await ws.send(json.dumps({"id": "m", "type": "subscribe", "payload": {"query": mutation}}))
        result = await receive(ws)
        assert (result["type"], result["id"]) == ("next", "m")
        [forbidden] = result["payload"]["errors"]
        assert forbidden["extensions"]["code"] == "FORBIDDEN"
        assert (await receive(ws))["type"] == "complete"

        invalid = "subscription { artifactPublished { nope } }"
        await ws.send(json.dumps({"id": "v", "type": "subscribe", "payload": {"query": invalid}}))
        result = await receive(ws)
        assert (result["type"], result["id"]) == ("error", "v")
        [bad] = result["payload"]
        assert bad["extensions"]["code"] == "BAD_USER_INPUT"
        assert "nope" in bad["message"]


def test_a_subscription_over_plain_http_is_a_bad_request(client: Client) -> None:
    response = client.raw("subscription { artifactPublished { id } }")
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "open a WebSocket to /graphql" in error["message"]


async def test_complete_unregisters_the_subscriber(server: Server, client: Client) -> None:
    notifier: Notifier = server.app.state.notifier
    async with connected(server, token_for(server, client.org_id)) as ws:
        await subscribe(ws, server, client.org_id)
        await ws.send(json.dumps({"id": "1", "type": "complete"}))
        deadline = time.monotonic() + WAIT
        while notifier.subscriber_count(client.org_id):
            assert time.monotonic() < deadline, "complete did not unregister the subscriber"
            await asyncio.sleep(0.01)
    assert notifier.subscriber_count(client.org_id) == 0


async def test_subscribers_on_every_replica_receive_it(
    server: Server, stack: Stack, client: Client
) -> None:
    ids = await make_run(client)
    with serve(make_settings(stack)) as second:
        listener_pid = second.app.state.notifier._conn.get_server_pid()
        assert await listener_queries(stack, listener_pid) == [f'LISTEN "{CHANNEL}"']
        async with (
            connected(server, token_for(server, client.org_id)) as one,
            connected(second, token_for(second, client.org_id)) as two,
        ):
            await subscribe(one, server, client.org_id)
            await subscribe(two, second, client.org_id, run=ids["run"])
            artifact_id = await publish(client, ids, "both.md")  # through server 1
            got_one, got_two = await asyncio.gather(next_artifact(one), next_artifact(two))
    assert got_one["id"] == got_two["id"] == artifact_id
    assert got_two["workflowRun"] == {"id": ids["run"]}
    # The listener's connection lives exactly as long as the app: gone after shutdown
    # (polled: the backend exits just after the client's Terminate message).
    deadline = time.monotonic() + WAIT
    while await listener_queries(stack, listener_pid):
        assert time.monotonic() < deadline, "the LISTEN connection outlived the app"
        await asyncio.sleep(0.05)


async def listener_queries(stack: Stack, pid: int) -> list[str]:
    conn = await asyncpg.connect(stack.owner_dsn)
    try:
        rows = await conn.fetch("SELECT query FROM pg_stat_activity WHERE pid = $1", pid)
    finally:
        await conn.close()
    return [row["query"] for row in rows]


async def test_a_subscription_ends_when_its_token_expires(stack: Stack) -> None:
    """A WebSocket may outlive its token; the stream then ends with UNAUTHENTICATED."""
    settings = make_settings(stack, jwt_leeway_seconds=0)
    org = "org-" + secrets.token_hex(6)
    with serve(settings) as short:
        token = issue_token(settings, org_id=org, scopes=(SCOPE_READ,), ttl_seconds=2)
        async with connected(short, token) as ws:
            await subscribe(ws, short, org)
            started = time.monotonic()
            message = await receive(ws, within=10)
            waited = time.monotonic() - started
            errors = (
                message["payload"] if message["type"] == "error" else message["payload"]["errors"]
            )
            assert message["id"] == "1"
            assert [e["extensions"]["code"] for e in errors] == ["UNAUTHENTICATED"]
            assert "expired" in errors[0]["message"]
            assert 0.5 < waited < 5
            assert short.app.state.notifier.subscriber_count(org) == 0
