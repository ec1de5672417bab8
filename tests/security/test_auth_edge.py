"""Authentication at the HTTP edge: 401 + UNAUTHENTICATED, and the routes that need none."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import websockets
from jose import jwt
from websockets.exceptions import ConnectionClosed

from cairn.auth import SCOPE_READ, SCOPE_WRITE, issue_token
from tests.support.http import Client, Server, new_org
from tests.support.stack import JWT_SECRET
from tests.support.tokens import claims, sign

VIEWER = {"query": "{ viewer { organizationId } }"}


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _claims(**overrides: object) -> dict[str, object]:
    now = int(time.time())
    claims: dict[str, object] = {
        "sub": "tester",
        "org_id": new_org(),
        "scope": "artifacts:read",
        "iat": now,
        "exp": now + 600,
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


BAD_HEADERS = {
    "missing": None,
    "bare scheme": "Bearer",
    "basic scheme": "Basic dXNlcjpwYXNz",
    "garbage": "Bearer not.a.jwt",
    "wrong secret": "Bearer " + jwt.encode(_claims(), "another-secret-" + "y" * 30),
    "expired": "Bearer " + jwt.encode(_claims(exp=int(time.time()) - 3600), JWT_SECRET),
    "no org claim": "Bearer " + jwt.encode(_claims(org_id=None), JWT_SECRET),
    "bad org claim": "Bearer " + jwt.encode(_claims(org_id="a b"), JWT_SECRET),
    "no subject": "Bearer " + jwt.encode(_claims(sub=None), JWT_SECRET),
    "alg none": "Bearer " + _b64({"alg": "none", "typ": "JWT"}) + "." + _b64(_claims()) + ".",
}


@pytest.mark.parametrize("name", sorted(BAD_HEADERS))
def test_bad_or_missing_token_is_401_unauthenticated(server: Server, name: str) -> None:
    header = BAD_HEADERS[name]
    headers = {"Authorization": header} if header is not None else {}
    response = httpx.post(server.graphql_url, json=VIEWER, headers=headers, timeout=30)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    body = response.json()
    assert body["data"] is None
    assert len(body["errors"]) == 1
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert body["errors"][0]["message"]


def test_get_query_needs_a_token_too(server: Server, client: Client) -> None:
    params = {"query": "{ viewer { organizationId } }"}
    anonymous = httpx.get(server.graphql_url, params=params, timeout=30)
    assert anonymous.status_code == 401
    assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    signed = client.http.get("/graphql", params=params)
    assert signed.status_code == 200
    assert signed.json() == {"data": {"viewer": {"organizationId": client.org_id}}}


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics"])
def test_operational_routes_need_no_token(server: Server, path: str) -> None:
    response = httpx.get(server.url + path, timeout=30)
    assert response.status_code == 200


def test_health_bodies(server: Server) -> None:
    assert httpx.get(server.url + "/healthz").json() == {"status": "ok"}
    assert httpx.get(server.url + "/readyz").json() == {
        "status": "ready",
        "database": "ok",
        "storage": "ok",
    }
    httpx.post(server.graphql_url, json=VIEWER)  # one 401, counted below
    metrics = httpx.get(server.url + "/metrics").text
    assert 'cairn_http_requests_total{path="/graphql",status="401"}' in metrics
    assert "cairn_http_request_seconds_bucket" in metrics


def test_graphiql_page_needs_no_token(server: Server) -> None:
    response = httpx.get(server.graphql_url, headers={"Accept": "text/html"}, timeout=30)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()


def test_viewer_reports_the_token(client_factory: Callable[..., Client]) -> None:
    reader = client_factory(scopes=(SCOPE_READ,))
    data = reader("{ viewer { subject organizationId scopes } }")
    assert data == {
        "viewer": {"subject": "tester", "organizationId": reader.org_id, "scopes": [SCOPE_READ]}
    }


def test_scopes_are_enforced(client_factory: Callable[..., Client]) -> None:
    reader = client_factory(scopes=(SCOPE_READ,))
    writer = client_factory(scopes=(SCOPE_WRITE,))
    create = 'mutation { createWorkflow(input: {name: "w"}) { id } }'
    assert reader.errors(create).codes == ["FORBIDDEN"]
    assert writer(create)["createWorkflow"]["id"]
    assert writer.errors("{ workflows { totalCount } }").codes == ["FORBIDDEN"]
    assert reader("{ workflows { totalCount } }") == {"workflows": {"totalCount": 0}}


# ------------------------------------------------------------------------------------------
# Merged from tests/test_websocket_auth.py:
# WebSocket /graphql (graphql-transport-ws): authenticated from connection_init only.


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
