"""Retention: ArtifactInput.retentionDays, CreateWorkflowInput.retentionDays,
CAIRN_RETENTION_DAYS, Artifact.expiresAt, updateArtifact(expiresAt:). Expired artifacts
are never listed, counted or signed, even before the sweep deletes them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from cairn.auth import SCOPE_READ, issue_token
from tests.support.catalog import create_run, create_workflow
from tests.support.http import Client, Server, new_org, serve
from tests.support.publish import b64, create, spec
from tests.support.stack import Stack, make_settings

DAY = timedelta(days=1)
READ = """query($id: ID!) { artifact(id: $id) { id expiresAt signedUrl { url } } }"""
LIST = """query($key: String) {
  artifacts(filter: {key: {eq: $key}}) { totalCount nodes { id } }
  latestArtifacts(filter: {key: {eq: $key}}) { totalCount nodes { id version } }
}"""
EXPIRE = """mutation($id: ID!, $at: DateTime) {
  updateArtifact(id: $id, expiresAt: $at) { id expiresAt }
}"""
WORKFLOW = """mutation($input: CreateWorkflowInput!) {
  createWorkflow(input: $input) { id retentionDays }
}"""


def when(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def publish(client: Client, **extra: Any) -> dict[str, Any]:
    fields = spec("TEXT", "a.txt", **extra)
    return create(client, fields, b64=b64(b"hello"))


def close_to(value: datetime | None, expected: datetime) -> bool:
    return value is not None and abs(value - expected) < timedelta(minutes=5)


def test_retention_days_sets_expires_at(client: Client) -> None:
    art = publish(client, retentionDays=7)
    read = client(READ, {"id": art["id"]})["artifact"]
    assert close_to(when(read["expiresAt"]), datetime.now(UTC) + 7 * DAY)
    assert read["signedUrl"]["url"]
    forever = publish(client)
    assert client(READ, {"id": forever["id"]})["artifact"]["expiresAt"] is None


def test_workflow_default_and_override(client: Client) -> None:
    wf = client(WORKFLOW, {"input": {"name": "wf-ret", "retentionDays": 3}})["createWorkflow"]
    assert wf["retentionDays"] == 3
    run = create_run(client, wf["id"])
    inherited = publish(client, workflowRunId=run["id"])
    kept = publish(client, workflowRunId=run["id"], retentionDays=0)
    longer = publish(client, workflowRunId=run["id"], retentionDays=30)
    now = datetime.now(UTC)
    assert close_to(
        when(client(READ, {"id": inherited["id"]})["artifact"]["expiresAt"]), now + 3 * DAY
    )
    assert client(READ, {"id": kept["id"]})["artifact"]["expiresAt"] is None
    assert close_to(
        when(client(READ, {"id": longer["id"]})["artifact"]["expiresAt"]), now + 30 * DAY
    )
    plain = create_workflow(client, "wf-plain")
    assert client("query($id: ID!) { workflow(id: $id) { retentionDays } }", {"id": plain["id"]})[
        "workflow"
    ] == {"retentionDays": None}


@pytest.mark.parametrize("days", [-1, 36501])
def test_bad_retention_days(client: Client, days: int) -> None:
    error = client.errors(
        """mutation($input: ArtifactInput!, $b64: String) {
             createArtifact(input: $input, contentBase64: $b64) { id } }""",
        {"input": spec("TEXT", "a.txt", key="bad-ret", retentionDays=days), "b64": b64(b"x")},
    )
    assert error.codes == ["BAD_USER_INPUT"]
    assert "retentionDays" in error.errors[0]["message"]
    assert client(LIST, {"key": "bad-ret"})["artifacts"]["totalCount"] == 0
    wf_error = client.errors(WORKFLOW, {"input": {"name": "wf-bad", "retentionDays": days}})
    assert wf_error.codes == ["BAD_USER_INPUT"]
    assert client('{ workflowByName(name: "wf-bad") { id } }')["workflowByName"] is None


@pytest.fixture(scope="module")
def defaulted(stack: Stack) -> Iterator[Server]:
    with serve(make_settings(stack, retention_days=30)) as running:
        yield running


def test_service_default(defaulted: Server) -> None:
    token = issue_token(defaulted.settings, org_id=new_org(), subject="t")
    with httpx.Client(
        base_url=defaulted.url, headers={"Authorization": f"Bearer {token}"}, timeout=60
    ) as http:
        client = Client(http=http, org_id="", token=token)
        art = publish(client)
        assert close_to(
            when(client(READ, {"id": art["id"]})["artifact"]["expiresAt"]),
            datetime.now(UTC) + 30 * DAY,
        )
        assert (
            client(READ, {"id": publish(client, retentionDays=0)["id"]})["artifact"]["expiresAt"]
            is None
        )
        wf = client(WORKFLOW, {"input": {"name": "forever", "retentionDays": 0}})["createWorkflow"]
        run = create_run(client, wf["id"])
        kept = publish(client, workflowRunId=run["id"])
        assert client(READ, {"id": kept["id"]})["artifact"]["expiresAt"] is None


def test_expired_is_never_listed_counted_or_signed(client: Client) -> None:
    v1 = publish(client, key="exp-key")
    v2 = publish(client, key="exp-key")
    later = (datetime.now(UTC) + 2 * DAY).isoformat()
    extended = client(EXPIRE, {"id": v1["id"], "at": later})["updateArtifact"]
    assert close_to(when(extended["expiresAt"]), datetime.now(UTC) + 2 * DAY)
    past = (datetime.now(UTC) - timedelta(seconds=1)).isoformat()
    client(EXPIRE, {"id": v2["id"], "at": past})
    assert client(READ, {"id": v2["id"]})["artifact"] is None
    assert client("query($id: ID!) { node(id: $id) { id } }", {"id": v2["id"]})["node"] is None
    listed = client(LIST, {"key": "exp-key"})
    assert listed["artifacts"] == {"totalCount": 1, "nodes": [{"id": v1["id"]}]}
    # the latest version expired: the key has no latest until the sweep re-points it
    assert listed["latestArtifacts"]["totalCount"] == 0
    versions = client(
        "query($id: ID!) { artifact(id: $id) { versions { totalCount nodes { id } } } }",
        {"id": v1["id"]},
    )["artifact"]["versions"]
    assert versions == {"totalCount": 1, "nodes": [{"id": v1["id"]}]}
    # an expired artifact cannot be changed any more (it is as good as deleted)
    assert client.errors(EXPIRE, {"id": v2["id"], "at": later}).codes == ["NOT_FOUND"]
    # null: keep forever
    assert client(EXPIRE, {"id": v1["id"], "at": None})["updateArtifact"]["expiresAt"] is None


def test_update_expires_at_refusals(client: Client, other: Client, client_factory: Any) -> None:
    art = publish(client)
    later = (datetime.now(UTC) + DAY).isoformat()
    naive = client.errors(EXPIRE, {"id": art["id"], "at": "2030-01-01T00:00:00"})
    assert naive.codes == ["BAD_USER_INPUT"]
    assert other.errors(EXPIRE, {"id": art["id"], "at": later}).codes == ["NOT_FOUND"]
    reader = client_factory(client.org_id, scopes=(SCOPE_READ,))
    assert reader.errors(EXPIRE, {"id": art["id"], "at": later}).codes == ["FORBIDDEN"]
    assert client(READ, {"id": art["id"]})["artifact"]["expiresAt"] is None
