"""Python ``gql`` against Cairn: HTTP queries, multipart uploads, and subscriptions over
both WebSocket subprotocols (graphql-transport-ws and the legacy graphql-ws that older
Apollo clients speak). gql refuses binary frames ("Binary data received in the websocket").
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
from typing import Any

import httpx
import pytest
import websockets
from gql import Client as GqlClient
from gql import FileVar, gql
from gql.transport.exceptions import TransportQueryError
from gql.transport.httpx import HTTPXAsyncTransport
from gql.transport.websockets import WebsocketsTransport
from websockets.exceptions import ConnectionClosed

from tests.support.http import Client, Server
from tests.support.js_clients import SUBSCRIPTION, WAIT, publish, until_subscribed, ws_url

TRANSPORT_WS = WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL  # "graphql-transport-ws"
LEGACY_WS = WebsocketsTransport.APOLLO_SUBPROTOCOL  # "graphql-ws"

UPLOAD = gql(
    """mutation($input: ArtifactInput!, $file: Upload!) {
      uploadArtifact(input: $input, file: $file) {
        id status sizeBytes sha256 displayName signedUrl { url }
      }
    }"""
)


def http_transport(server: Server, token: str, **headers: str) -> HTTPXAsyncTransport:
    return HTTPXAsyncTransport(
        url=server.graphql_url, headers={"Authorization": f"Bearer {token}", **headers}
    )


async def test_gql_over_http_queries_and_sees_typed_errors(server: Server, client: Client) -> None:
    async with GqlClient(transport=http_transport(server, client.token)) as session:
        result = await session.execute(gql("{ viewer { organizationId subject } }"))
        assert result == {"viewer": {"organizationId": client.org_id, "subject": "tester"}}
        too_many = gql("query($n: Int) { artifacts(first: $n) { totalCount } }")
        too_many.variable_values = {"n": 501}
        with pytest.raises(TransportQueryError) as failed:
            await session.execute(too_many)
    assert failed.value.errors is not None
    assert failed.value.errors[0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_gql_multipart_upload(server: Server, client: Client, other: Client) -> None:
    content = b"a,b\n" + b"1,2\n" * 5000
    request = UPLOAD
    request.variable_values = {
        "input": {"type": "CSV", "displayName": "table.csv"},
        "file": FileVar(io.BytesIO(content), filename="table.csv", content_type="text/csv"),
    }
    transport = http_transport(server, client.token, **{"Apollo-Require-Preflight": "true"})
    async with GqlClient(transport=transport) as session:
        uploaded = (await session.execute(request, upload_files=True))["uploadArtifact"]
    assert uploaded["status"] == "AVAILABLE"
    assert uploaded["sizeBytes"] == len(content)
    assert uploaded["sha256"] == hashlib.sha256(content).hexdigest()
    async with httpx.AsyncClient() as http:
        downloaded = await http.get(uploaded["signedUrl"]["url"])
    assert downloaded.content == content
    # the artifact is its organization's alone
    found = other("query($id: ID!) { artifact(id: $id) { id } }", {"id": uploaded["id"]})
    assert found == {"artifact": None}


@pytest.mark.parametrize("subprotocol", [TRANSPORT_WS, LEGACY_WS])
async def test_gql_subscription_over_websocket(
    server: Server, client: Client, other: Client, subprotocol: str
) -> None:
    transport = WebsocketsTransport(
        url=ws_url(server),
        init_payload={"Authorization": f"Bearer {client.token}"},
        subprotocols=[subprotocol],
    )
    async with GqlClient(transport=transport) as session:
        assert transport.subprotocol == subprotocol

        async def first() -> dict[str, Any]:
            async for result in session.subscribe(gql(SUBSCRIPTION)):
                return dict(result["artifactPublished"])
            raise AssertionError("the subscription ended without a result")

        received = asyncio.create_task(first())
        await until_subscribed(server, client.org_id)
        await asyncio.to_thread(publish, other, "foreign.md")  # never delivered here
        artifact_id = await asyncio.to_thread(publish, client, "mine.md")
        artifact = await asyncio.wait_for(received, WAIT)
    assert artifact == {"id": artifact_id, "displayName": "mine.md", "type": "MARKDOWN"}


@pytest.mark.parametrize("subprotocol", [TRANSPORT_WS, LEGACY_WS])
async def test_gql_websocket_with_a_bad_token_is_refused(server: Server, subprotocol: str) -> None:
    transport = WebsocketsTransport(
        url=ws_url(server),
        init_payload={"Authorization": "Bearer not-a-token"},
        subprotocols=[subprotocol],
    )
    with pytest.raises(Exception) as refused:  # noqa: PT011 - each protocol fails its own way
        async with GqlClient(transport=transport) as session:
            await session.execute(gql("{ viewer { subject } }"))
    assert "Binary data" not in str(refused.value)
    if subprotocol == LEGACY_WS:  # connection_error carries the typed error
        assert "UNAUTHENTICATED" in str(refused.value)
    else:  # graphql-transport-ws closes with 4403 Forbidden
        closed = refused.value.__cause__
        assert isinstance(closed, ConnectionClosed), repr(refused.value)
        assert closed.rcvd is not None
        assert closed.rcvd.code == 4403


async def legacy_socket_closed_or_answered(server: Server, messages: list[object]) -> Any:
    """Send ``messages`` on a legacy-protocol socket; the first answer, or the close."""
    async with websockets.connect(ws_url(server), subprotocols=[LEGACY_WS]) as ws:  # type: ignore[list-item]
        for message in messages:
            await ws.send(json.dumps(message))
        try:
            while True:
                raw = await asyncio.wait_for(ws.recv(), WAIT)
                assert isinstance(raw, str), "binary frame"
                answer = json.loads(raw)
                if answer["type"] not in ("ka", "connection_ack"):
                    return answer
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd is not None else None


async def test_legacy_protocol_refuses_an_operation_before_connection_init(
    server: Server,
) -> None:
    start = {"type": "start", "id": "1", "payload": {"query": "{ viewer { subject } }"}}
    assert await legacy_socket_closed_or_answered(server, [start]) == 4401


async def test_legacy_protocol_answers_a_malformed_start_with_a_typed_error(
    server: Server, client: Client
) -> None:
    init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {client.token}"}}
    answer = await legacy_socket_closed_or_answered(
        server, [init, {"type": "start", "id": "7", "payload": {"variables": {}}}]
    )
    assert answer["type"] == "error"
    assert answer["id"] == "7"
    assert answer["payload"]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "payload.query" in answer["payload"]["message"]
