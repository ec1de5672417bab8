"""storageUsage: the caller's organization's AVAILABLE artifacts by count and bytes, per
type and per workflow, from the counters sql/0008 keeps in the publish and delete
transactions."""

from __future__ import annotations

from typing import Any

from cairn.auth import SCOPE_WRITE
from tests.support.catalog import create_run, create_workflow
from tests.support.http import Client
from tests.support.publish import BEGIN, DELETE, b64, create, spec
from tests.support.publish import sha as sha_of

USAGE = """{ storageUsage { artifactCount totalBytes byType { type artifactCount totalBytes }
  byWorkflow(first: 10) { workflow { id name } artifactCount totalBytes } } }"""


def usage(client: Client) -> dict[str, Any]:
    return dict(client(USAGE)["storageUsage"])


def test_counts_publish_and_delete(client: Client, other: Client) -> None:
    assert usage(client) == {"artifactCount": 0, "totalBytes": 0, "byType": [], "byWorkflow": []}
    wf = create_workflow(client, "usage-wf")
    run = create_run(client, wf["id"])
    big = create(client, spec("BINARY", "a.bin", workflowRunId=run["id"]), b64=b64(b"x" * 1000))
    create(client, spec("TEXT", "b.txt", workflowRunId=run["id"]), b64=b64(b"y" * 10))
    create(client, spec("TEXT", "c.txt"), b64=b64(b"z" * 5))
    # a begun, never completed upload uses nothing yet
    client(BEGIN, {"input": spec("BINARY", "p.bin"), "size": 9, "sha": sha_of(b"123456789")})
    got = usage(client)
    assert got["artifactCount"] == 3
    assert got["totalBytes"] == 1015
    assert got["byType"] == [
        {"type": "BINARY", "artifactCount": 1, "totalBytes": 1000},
        {"type": "TEXT", "artifactCount": 2, "totalBytes": 15},
    ]
    assert got["byWorkflow"] == [
        {"workflow": {"id": wf["id"], "name": "usage-wf"}, "artifactCount": 2, "totalBytes": 1010},
        {"workflow": None, "artifactCount": 1, "totalBytes": 5},
    ]
    first = client("{ storageUsage { byWorkflow(first: 1) { totalBytes } } }")["storageUsage"]
    assert first == {"byWorkflow": [{"totalBytes": 1010}]}
    # another organization sees none of it
    assert usage(other)["artifactCount"] == 0
    client(DELETE, {"id": big["id"]})
    after = usage(client)
    assert (after["artifactCount"], after["totalBytes"]) == (2, 15)
    assert [t["type"] for t in after["byType"]] == ["TEXT"]


def test_scope_and_bad_first(client: Client, client_factory: Any) -> None:
    writer = client_factory(client.org_id, scopes=(SCOPE_WRITE,))
    assert writer.errors(USAGE).codes == ["FORBIDDEN"]
    bad = client.errors("{ storageUsage { byWorkflow(first: 501) { totalBytes } } }")
    assert bad.codes == ["BAD_USER_INPUT"]
