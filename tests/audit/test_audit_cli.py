"""``cairn audit ls`` and ``cairn artifact revoke`` in-process, and the SDK calls behind them."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from cairn.auth import SCOPE_READ
from cairn.cli.main import main
from cairn.sdk import Cairn
from tests.support.http import Client, Server
from tests.support.publish import b64, create, spec

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(
    server: Server,
    client: Client,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Cli:
    monkeypatch.setenv("CAIRN_API_URL", server.graphql_url)
    monkeypatch.setenv("CAIRN_API_TOKEN", client.token)

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            status = main(list(args))
        except SystemExit as exit:
            status = int(exit.code or 0)
        out, err = capsys.readouterr()
        return status, out, err

    return run


def _json(cli: Cli, *args: str) -> Any:
    status, out, err = cli(*args, "--json")
    assert (status, err) == (0, ""), err
    return json.loads(out)


def test_revoke_and_list(cli: Cli, client: Client) -> None:
    data = b"cli bytes"
    art = create(client, spec(), b64=b64(data))
    old = art["signedUrl"]["url"]
    status, out, err = cli("artifact", "revoke", art["id"])
    assert (status, err) == (0, ""), err
    assert "revoked every signed URL" in out
    assert httpx.get(old, timeout=30).status_code in (403, 404)

    found = _json(cli, "audit", "ls", "--artifact", art["id"])
    assert [e["action"] for e in found] == ["url.revoked", "url.signed", "artifact.published"]
    assert {e["subject"] for e in found} == {"tester"}
    assert _json(cli, "audit", "ls", "--subject", "nobody") == []
    since = found[0]["created_at"]
    assert [e["action"] for e in _json(cli, "audit", "ls", "--since", since)] == ["url.revoked"]
    status, out, _ = cli("audit", "ls", "--artifact", art["id"])
    assert status == 0
    assert "ACTION" in out.splitlines()[0]
    assert "url.revoked" in out


def test_errors_are_one_line(cli: Cli, client: Client) -> None:
    status, _, err = cli("artifact", "revoke", "00000000-0000-0000-0000-000000000000")
    assert status == 1
    assert err.startswith("cairn: NOT_FOUND:")
    status, _, err = cli("audit", "ls", "--since", "yesterday")
    assert status == 2
    assert "ISO 8601" in err


def test_audit_ls_needs_audit_read(
    cli: Cli, client_factory: Callable[..., Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    reader = client_factory(scopes=(SCOPE_READ,))
    monkeypatch.setenv("CAIRN_API_TOKEN", reader.token)
    status, _, err = cli("audit", "ls")
    assert status == 1
    assert err.startswith("cairn: FORBIDDEN:")
    assert "audit:read" in err


def test_sdk_pages_through_events(server: Server, client: Client) -> None:
    art = create(client, spec(), b64=b64(b"sdk"))
    for _ in range(3):
        client("query($id: ID!) { artifact(id: $id) { signedUrl { url } } }", {"id": art["id"]})
    with Cairn(server.graphql_url, token=client.token) as cairn:
        every = cairn.audit_events(artifact_id=art["id"], limit=None)
        assert len(every) == 5
        assert [e.action for e in cairn.audit_events(action=["artifact.published"])] == [
            "artifact.published"
        ]
        revoked = cairn.revoke_signed_urls(art["id"])
        assert revoked.sha256 == art["sha256"]
