"""WebSocket /graphql (graphql-transport-ws): authenticated from connection_init only."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
import websockets
from websockets.exceptions import ConnectionClosed

from cairn.auth import issue_token
from tests.conftest import Server, new_org
from tests.helpers_security import claims, sign

PROTOCOL = "graphql-transport-ws"


def ws_url(server: Server) -> str:
    return server.url.replace("http://", "ws://") + "/graphql"


def text_frame(raw: str | bytes) -> dict[str, Any]:
    """One protocol message; it must have come as a text frame (clients refuse binary)."""
    assert isinstance(raw, str), f"binary WebSocket frame: {raw!r}"
    message: dict[str, Any] = json.loads(raw)
    return message


async def recv(ws: Any) -> dict[str, Any]:
    while True:
        message = text_frame(await ws.recv())
        if message["type"] not in ("ping", "pong"):
            return dict(message)


async def closed_with(server: Server, payload: object, *, init: bool = True) -> int:
    """Connect, send connection_init with ``payload`` (or a subscribe instead), and
    return the close code the server chose."""
    async with websockets.connect(ws_url(server), subprotocols=[PROTOCOL]) as ws:  # type: ignore[list-item]
        if init:
            await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        else:
            await ws.send(
                json.dumps(
                    {"type": "subscribe", "id": "1", "payload": {"query": "{ viewer { subject } }"}}
                )
            )
        with pytest.raises(ConnectionClosed) as closed:
            await _drain(ws)
        assert closed.value.rcvd is not None
        return int(closed.value.rcvd.code)


async def _drain(ws: Any) -> None:
    """Read until the server closes; it must never acknowledge or answer."""
    while True:
        message = text_frame(await ws.recv())
        assert message["type"] != "connection_ack", message
        assert message["type"] != "next", message


async def test_valid_token_in_connection_init(server: Server) -> None:
    org = new_org()
    token = issue_token(server.settings, org_id=org, subject="socket-user")
    async with websockets.connect(ws_url(server), subprotocols=[PROTOCOL]) as ws:  # type: ignore[list-item]
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
        )
        assert (await recv(ws))["type"] == "connection_ack"
        query = "{ viewer { subject organizationId } }"
        await ws.send(json.dumps({"type": "subscribe", "id": "q1", "payload": {"query": query}}))
        message = await recv(ws)
        assert message["type"] == "next", message
        assert message["payload"]["data"]["viewer"] == {
            "subject": "socket-user",
            "organizationId": org,
        }
        assert (await recv(ws))["type"] == "complete"


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"Authorization": "Bearer not-a-token"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": 42},
        {"token": "garbage"},
        {"headers": {"Authorization": "Bearer x"}},
    ],
)
async def test_bad_or_missing_credentials_close_4403(server: Server, payload: object) -> None:
    assert await closed_with(server, payload) == 4403


async def test_expired_and_foreign_key_tokens_close_4403(server: Server) -> None:
    expired = issue_token(server.settings, org_id=new_org(), ttl_seconds=-120)
    assert await closed_with(server, {"Authorization": f"Bearer {expired}"}) == 4403
    forged = sign(claims(exp=int(time.time()) + 60), "another-secret-" + "y" * 40, "HS256")
    assert await closed_with(server, {"Authorization": f"Bearer {forged}"}) == 4403
    truncated = issue_token(server.settings, org_id=new_org())[:-10]
    assert await closed_with(server, {"Authorization": f"Bearer {truncated}"}) == 4403


async def test_subscribe_before_init_is_refused(server: Server) -> None:
    assert await closed_with(server, None, init=False) == 4401


async def test_non_object_payload_is_refused(server: Server) -> None:
    code = await closed_with(server, "Bearer x")
    assert code in (4400, 4403)
