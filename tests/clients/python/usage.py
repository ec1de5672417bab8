"""Typed use of the ariadne-codegen client, checked by `mypy --strict` (tests/clients/test_typed_clients.py).

`cairn_client` exists only in the test's temporary directory. The `type: ignore[...]` lines are
expected errors: with warn_unused_ignores mypy fails if one of them stops being an error (a
nullable field turned non-null, an enum accepting any string), as @ts-expect-error does in tsc.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

import httpx
from cairn_client import (
    ArtifactFilter,
    ArtifactInput,
    ArtifactSort,
    ArtifactType,
    CairnClient,
    CreateWorkflowInput,
    CreateWorkflowRunInput,
    IDFilter,
    RunStatus,
)


async def publish_report(client: CairnClient, payload: bytes) -> str | None:
    """Publish a JSON report into a new run, then return a download URL for the newest one."""
    workflow = (await client.create_workflow(CreateWorkflowInput(name="nightly"))).create_workflow
    run = (
        await client.create_workflow_run(CreateWorkflowRunInput(workflow_id=workflow.id))
    ).create_workflow_run
    status: RunStatus = run.status

    spec = ArtifactInput(
        type_=ArtifactType.JSON, display_name="report.json", key="report", workflow_run_id=run.id
    )
    digest = hashlib.sha256(payload).hexdigest()
    ticket = (await client.begin_artifact_upload(spec, len(payload), digest)).begin_artifact_upload
    headers: object = ticket.headers  # JSON scalar: Any
    async with httpx.AsyncClient() as http:
        await http.request(ticket.method, ticket.upload_url.url, content=payload)
    done = (await client.complete_artifact_upload(ticket.artifact.id)).complete_artifact_upload
    expires: datetime | None = done.signed_url.expires_at if done.signed_url else None

    page = (
        await client.artifacts(
            filter_=ArtifactFilter(workflow_run_id=IDFilter(eq=run.id), type_=[ArtifactType.JSON]),
            sort=ArtifactSort.CREATED_DESC,
            first=1,
        )
    ).artifacts
    total: int = page.total_count
    cursor: str | None = page.page_info.end_cursor
    if not page.edges:
        return None
    node = page.edges[0].node
    size: int = node.size_bytes
    version: int | None = node.version
    print(status, headers, expires, total, cursor, size, version)
    return node.signed_url.url if node.signed_url is not None else None


async def mistakes(client: CairnClient, artifact_id: str) -> None:
    one = (await client.artifact(artifact_id)).artifact
    print(one.id)  # type: ignore[union-attr]  # artifact(id) is nullable
    if one is not None:
        print(one.signed_url.url)  # type: ignore[union-attr]  # inline kinds have none
        key: str = one.key  # type: ignore[assignment]  # key is nullable
        print(key, one.versions.nodes[0].version + 1)  # type: ignore[operator]  # version too
    ArtifactInput(type_="MARKDOWNX", display_name="x")  # type: ignore[arg-type]
    ArtifactInput(type_=ArtifactType.MARKDOWN)  # type: ignore[call-arg]  # displayName required
    await client.artifacts(sort="NEWEST")  # type: ignore[arg-type]
