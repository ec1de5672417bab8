"""CAIRN_CORS_ORIGINS: preflights, response headers, the WebSocket origin check, the
embedded bucket's CORS rule, and the setting's validation."""

from __future__ import annotations

import asyncio
import secrets
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import websockets
from websockets.exceptions import InvalidStatus

from cairn.auth import issue_token
from cairn.cli.embedded import S3Endpoint, set_bucket_cors
from cairn.config import SettingsError, load_settings
from cairn.storage import MinioStore
from tests.support.http import Server, serve
from tests.support.js_clients import ws_url
from tests.support.processes import start_serve
from tests.support.stack import Stack, make_settings

ALLOWED = "http://app.example.test:5173"
LOOPBACK_DEV = "http://localhost:41234"  # matched by http://localhost:*
FOREIGN = "https://evil.example.test"


@pytest.fixture(scope="module")
def cors_server(stack: Stack) -> Iterator[Server]:
    settings = make_settings(stack, cors_origins=f"{ALLOWED}, http://localhost:*")
    with serve(settings) as running:
        yield running


def preflight(
    server: Server, origin: str, headers: str = "authorization, content-type"
) -> httpx.Response:
    return preflight_url(server.graphql_url, origin, headers)


def preflight_url(
    url: str, origin: str, headers: str = "authorization, content-type"
) -> httpx.Response:
    return httpx.options(
        url,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": headers,
        },
    )


@pytest.mark.parametrize("origin", [ALLOWED, LOOPBACK_DEV])
def test_preflight_from_an_allowed_origin_is_204(cors_server: Server, origin: str) -> None:
    response = preflight(
        cors_server, origin, "authorization, content-type, apollo-require-preflight"
    )
    assert response.status_code == 204
    assert response.content == b""
    assert response.headers["access-control-allow-origin"] == origin
    assert "POST" in response.headers["access-control-allow-methods"]
    allowed = response.headers["access-control-allow-headers"].lower()
    for header in ("authorization", "content-type", "apollo-require-preflight"):
        assert header in allowed
    assert "access-control-allow-credentials" not in response.headers  # bearer, not cookies
    assert "Origin" in response.headers["vary"]


@pytest.mark.parametrize("origin", [FOREIGN, "http://localhost.evil.test:80", "null"])
def test_preflight_from_another_origin_gets_no_cors_headers(
    cors_server: Server, origin: str
) -> None:
    response = preflight(cors_server, origin)
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers


def test_responses_carry_cors_headers_for_allowed_origins_only(cors_server: Server) -> None:
    token = issue_token(cors_server.settings, org_id="org-cors", subject="page")
    query = {"query": "{ viewer { organizationId } }"}
    auth = {"Authorization": f"Bearer {token}"}
    ok = httpx.post(cors_server.graphql_url, json=query, headers={**auth, "Origin": ALLOWED})
    assert ok.json() == {"data": {"viewer": {"organizationId": "org-cors"}}}
    assert ok.headers["access-control-allow-origin"] == ALLOWED
    assert "Retry-After" in ok.headers["access-control-expose-headers"]
    # an error the page must be able to read: 401 with the header too
    denied = httpx.post(cors_server.graphql_url, json=query, headers={"Origin": ALLOWED})
    assert denied.status_code == 401
    assert denied.headers["access-control-allow-origin"] == ALLOWED
    foreign = httpx.post(cors_server.graphql_url, json=query, headers={**auth, "Origin": FOREIGN})
    assert "access-control-allow-origin" not in foreign.headers


def test_without_the_setting_there_is_no_cross_origin_access(server: Server) -> None:
    response = preflight(server, ALLOWED)
    assert response.status_code == 405
    assert not [h for h in response.headers if h.lower().startswith("access-control-")]


async def test_websocket_origin_check_follows_the_list(cors_server: Server, server: Server) -> None:
    for origin in (ALLOWED, LOOPBACK_DEV):
        async with websockets.connect(
            ws_url(cors_server),
            subprotocols=["graphql-transport-ws"],
            origin=origin,  # type: ignore[list-item,arg-type]
        ) as ws:
            assert ws.subprotocol == "graphql-transport-ws"
    for target, origin in ((cors_server, FOREIGN), (server, ALLOWED)):
        with pytest.raises(InvalidStatus) as refused:
            async with websockets.connect(
                ws_url(target),
                subprotocols=["graphql-transport-ws"],
                origin=origin,  # type: ignore[list-item,arg-type]
            ):
                pass
        assert refused.value.response.status_code == 403
    # a client that sends no Origin is not a browser: it connects (and must authenticate)
    async with websockets.connect(ws_url(server), subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        assert ws.subprotocol == "graphql-transport-ws"


async def test_embedded_bucket_cors_rule_lets_allowed_pages_use_signed_urls(stack: Stack) -> None:
    bucket = "cairn-cors-" + secrets.token_hex(4)
    endpoint = S3Endpoint(stack.s3_url, stack.s3_access_key, stack.s3_secret_key)
    await asyncio.to_thread(set_bucket_cors, endpoint, bucket, [ALLOWED, "http://localhost:*"])
    store = MinioStore(stack.s3_url, stack.s3_access_key, stack.s3_secret_key, bucket)
    await store.put_bytes("k", b"hello", "text/plain")
    get_url = store.presign_get("k", filename="a.txt", content_type=None, ttl=60).url
    put_url = store.presign_put("k2", ttl=60).url
    async with httpx.AsyncClient() as http:
        for origin in (ALLOWED, LOOPBACK_DEV):
            for url, method in ((get_url, "GET"), (put_url, "PUT")):
                answer = await http.options(
                    url,
                    headers={
                        "Origin": origin,
                        "Access-Control-Request-Method": method,
                        "Access-Control-Request-Headers": "content-type",
                    },
                )
                assert answer.status_code == 200, (origin, method, answer.status_code)
                assert answer.headers["access-control-allow-origin"] == origin
                assert method in answer.headers["access-control-allow-methods"]
            got = await http.get(get_url, headers={"Origin": origin})
            assert got.content == b"hello"
            assert got.headers["access-control-allow-origin"] == origin
        refused = await http.options(
            get_url, headers={"Origin": FOREIGN, "Access-Control-Request-Method": "GET"}
        )
        assert "access-control-allow-origin" not in refused.headers
    await store.delete("k")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", []),
        ("HTTPS://App.Example.com:443/", ["https://app.example.com"]),
        (
            "http://localhost:*, http://127.0.0.1:5173",
            ["http://localhost:*", "http://127.0.0.1:5173"],
        ),
        ("*", ["*"]),
    ],
)
def test_cors_origins_setting_is_normalized(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: list[str]
) -> None:
    monkeypatch.setenv("CAIRN_CORS_ORIGINS", value)
    assert load_settings(_env_file=None).cors_origins == expected


@pytest.mark.parametrize(
    "value", ["app.example.com", "https://app.example.com/path", "ftp://x", "http://x:0"]
)
def test_a_bad_cors_origin_stops_start_up_in_one_line(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("CAIRN_CORS_ORIGINS", value)
    with pytest.raises(SettingsError) as bad:
        load_settings(_env_file=None)
    message = str(bad.value)
    assert message.startswith("invalid setting CAIRN_CORS_ORIGINS")
    assert "\n" not in message
    assert "scheme://host" in message or "port" in message


@pytest.mark.slow
def test_embedded_serve_allows_loopback_dev_servers(tmp_path: Path) -> None:
    """``cairn serve`` on the embedded stack: http://localhost:* and http://127.0.0.1:* plus
    CAIRN_CORS_ORIGINS reach the API, and the embedded bucket lets them use signed URLs."""
    base = Path(tempfile.mkdtemp(prefix="cairn-serve-cors-"))
    served = start_serve(base / "data", tmp_path, CAIRN_CORS_ORIGINS=ALLOWED)
    try:
        served.wait_healthy()
        for origin in ("http://localhost:5173", "http://127.0.0.1:3000", ALLOWED):
            assert preflight_url(f"{served.url}/graphql", origin).status_code == 204, origin
        assert preflight_url(f"{served.url}/graphql", FOREIGN).status_code == 400
        created = served.graphql(
            'mutation { createArtifact(input: {type: TEXT, displayName: "a.txt"}, '
            'contentBase64: "aGk=") { signedUrl { url } } }'
        )
        signed = created["createArtifact"]["signedUrl"]["url"]
        answer = httpx.options(
            signed,
            headers={"Origin": "http://localhost:5173", "Access-Control-Request-Method": "GET"},
        )
        assert answer.status_code == 200
        assert answer.headers["access-control-allow-origin"] == "http://localhost:5173"
    finally:
        served.process.send_signal(signal.SIGTERM)
        try:
            served.process.wait(90)
        except subprocess.TimeoutExpired:
            served.kill_all()
        shutil.rmtree(base, ignore_errors=True)
