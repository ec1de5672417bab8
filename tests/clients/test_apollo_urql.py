"""@apollo/client (PersistedQueryLink + apollo-upload-client) and @urql/core, from npm,
run by node against the live test server (scripts in tests/clients/js)."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any

from tests.support.http import Client, Server, new_org
from tests.support.js_clients import js_ready, node


def run_script(name: str, *args: str, token: str) -> dict[str, Any]:
    script = js_ready() / name
    done = subprocess.run(
        [node(), str(script), *args],
        env={"PATH": "/usr/bin:/bin", "CAIRN_TOKEN": token},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.stdout.strip(), f"{name} printed nothing; stderr: {done.stderr[-3000:]}"
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    assert done.returncode == 0, (result, done.stderr[-3000:])
    return result


def test_apollo_persisted_query_link_misses_falls_back_then_hits_and_uploads(
    server: Server, client: Client, tmp_path: Path
) -> None:
    operation = "Apollo_" + new_org().replace("-", "_")
    content = b"hello from apollo-upload-client\n" * 100
    path = tmp_path / "notes.txt"
    path.write_bytes(content)
    out = run_script("apollo.mjs", server.graphql_url, operation, str(path), token=client.token)
    viewer = {"viewer": {"__typename": "Viewer", "organizationId": client.org_id}}
    assert out["first"] == viewer
    assert out["second"] == viewer
    exchanges = out["exchanges"]
    brief = [(e["method"], e["hasQuery"], e["hashed"], e["codes"]) for e in exchanges]
    assert [e["multipart"] for e in exchanges] == [False, False, False, True, True]
    assert brief == [
        ("GET", False, True, ["PERSISTED_QUERY_NOT_FOUND"]),  # the miss
        ("POST", True, True, []),  # the link's fallback: hash and text, stored
        ("GET", False, True, []),  # the hit: a hash alone, a cacheable GET
        # The upload, multipart (mutations stay POST): a miss, then hash and text.
        ("POST", False, True, ["PERSISTED_QUERY_NOT_FOUND"]),
        ("POST", True, True, []),
    ]
    # Apollo Client 4 asks for application/graphql-response+json and gets it.
    assert all(e["contentType"].startswith("application/graphql-response+json") for e in exchanges)
    uploads = [e for e in exchanges if e["multipart"]]
    assert uploads
    assert uploads[-1]["status"] == 200
    artifact = out["upload"]["uploadArtifact"]
    assert artifact["status"] == "AVAILABLE"
    assert artifact["sizeBytes"] == len(content)
    assert artifact["sha256"] == hashlib.sha256(content).hexdigest()
    listed = client("{ artifacts(filter: {type: [TEXT]}) { nodes { id } } }")
    assert listed["artifacts"]["nodes"] == [{"id": artifact["id"]}]


def test_urql_runs_a_query_and_a_mutation(server: Server, client: Client, other: Client) -> None:
    out = run_script("urql.mjs", server.graphql_url, "urql-run", token=client.token)
    created = out["mutation"]["data"]["createJobRun"]
    assert created["name"] == "urql-run"
    assert created["status"] == "RUNNING"
    assert out["query"]["data"]["jobRun"] == created
    assert out["query"]["data"]["viewer"] == {"organizationId": client.org_id}
    assert out["bad"]["codes"] == ["BAD_USER_INPUT"]
    # Another organization cannot see the run urql created.
    assert other("query($id: ID!) { jobRun(id: $id) { id } }", {"id": created["id"]}) == {
        "jobRun": None
    }
