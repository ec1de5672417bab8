"""What the third-party client tests share: the npm packages, node, and publishing."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import time
from pathlib import Path

from cairn.notify import Notifier
from tests.support.http import Client, Server

JS_DIR = Path(__file__).parents[1] / "clients" / "js"
WAIT = 30.0  # seconds: the bound on waiting for something that must happen

PUBLISH = """mutation($input: ArtifactInput!) {
  createArtifact(input: $input, data: "# hello") { id displayName }
}"""
SUBSCRIPTION = "subscription { artifactPublished { id displayName type } }"


def node() -> str:
    found = shutil.which("node")
    assert found, "node is required for the client suite (apt-get install nodejs)"
    return found


def js_ready() -> Path:
    """tests/clients/js with its locked packages (.ci/run installs them; else npm ci now)."""
    if not (JS_DIR / "node_modules" / ".package-lock.json").exists():
        npm = shutil.which("npm")
        assert npm, "npm is required to install tests/clients/js (apt-get install npm)"
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=JS_DIR, check=True, timeout=600)
    return JS_DIR


def ws_url(server: Server) -> str:
    return server.url.replace("http://", "ws://") + "/graphql"


def publish(client: Client, name: str) -> str:
    """Publish a MARKDOWN artifact over HTTP; its id."""
    created = client(PUBLISH, {"input": {"type": "MARKDOWN", "displayName": name}})
    return str(created["createArtifact"]["id"])


async def until_subscribed(server: Server, org_id: str, before: int = 0) -> None:
    """Wait until the server has registered one more subscriber for ``org_id``."""
    notifier: Notifier = server.app.state.notifier
    deadline = time.monotonic() + WAIT
    while notifier.subscriber_count(org_id) <= before:
        assert time.monotonic() < deadline, "the subscription was never registered"
        await asyncio.sleep(0.02)


def publish_as(server: Server, token: str, name: str) -> str:
    """Publish a MARKDOWN artifact with ``token``; its id."""
    import httpx

    with httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=60
    ) as http:
        client = Client(http=http, org_id="", token=token)
        return publish(client, name)
