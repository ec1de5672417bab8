"""The npm ``graphql-ws`` client (what Apollo Client, urql and Relay use) against Cairn.

It refuses binary frames ("Message is missing the 'type' property"), so these tests fail
if any protocol message goes out as anything but a text frame.
"""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any

from cairn.auth import issue_token
from tests.support.http import Client, Server
from tests.support.js_clients import (
    SUBSCRIPTION,
    js_ready,
    node,
    publish,
    until_subscribed,
    ws_url,
)


async def run_subscriber(server: Server, token: str) -> asyncio.subprocess.Process:
    script = js_ready() / "subscribe.mjs"
    return await asyncio.create_subprocess_exec(
        node(),
        str(script),
        ws_url(server),
        SUBSCRIPTION,
        env={**os.environ, "CAIRN_TOKEN": token},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def events_of(process: asyncio.subprocess.Process) -> list[dict[str, Any]]:
    stdout, stderr = await asyncio.wait_for(process.communicate(), 90)
    lines = [json.loads(line) for line in stdout.decode().splitlines() if line.strip()]
    assert lines, f"graphql-ws printed nothing; stderr: {stderr.decode()[-2000:]}"
    return lines


async def test_graphql_ws_receives_an_artifact_published_over_http(
    server: Server, client: Client, other: Client
) -> None:
    subscriber = await run_subscriber(server, client.token)
    await until_subscribed(server, client.org_id)
    # Another organization's artifact, published first, must never reach this subscriber.
    await asyncio.to_thread(publish, other, "foreign.md")
    artifact_id = await asyncio.to_thread(publish, client, "notes.md")
    events = await events_of(subscriber)
    assert events[0] == {"event": "connected"}
    assert events[-1] == {
        "event": "next",
        "result": {
            "data": {
                "artifactPublished": {
                    "id": artifact_id,
                    "displayName": "notes.md",
                    "type": "MARKDOWN",
                }
            }
        },
    }
    assert subscriber.returncode == 0


async def test_graphql_ws_with_a_bad_token_is_closed_4403(server: Server) -> None:
    wrong = issue_token(
        server.settings.model_copy(update={"jwt_secret": "another-secret-" + "y" * 40}),
        org_id="org-x",
        subject="s",
    )
    events = await events_of(await run_subscriber(server, wrong))
    assert events == [{"event": "error", "code": 4403, "reason": "Forbidden"}]
