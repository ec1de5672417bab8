"""Query root: thin resolvers over the DataLoaders."""

from __future__ import annotations

import strawberry

from cairn.auth import SCOPE_READ
from cairn.db import listing
from cairn.db.where import JobRunCriteria, TextFilter, WorkflowCriteria, WorkflowRunCriteria
from cairn.graphql.context import Info
from cairn.graphql.enums import ArtifactSort
from cairn.graphql.inputs import (
    ArtifactFilter,
    JobRunFilter,
    WorkflowFilter,
    WorkflowRunFilter,
    artifact_criteria,
    parse_uuid,
)
from cairn.graphql.pagination import Connection, page_request
from cairn.graphql.types import (
    Artifact,
    JobRun,
    Viewer,
    Workflow,
    WorkflowRun,
    artifact_connection,
    run_connection,
)


async def _by_id(info: Info, table: listing.Table, ident: str) -> object | None:
    info.context.require(SCOPE_READ)
    uuid = parse_uuid(ident)
    if uuid is None:
        return None
    row: object | None = await info.context.loaders.by_id(table).load(uuid)
    return row


@strawberry.type
class Query:
    @strawberry.field
    def viewer(self, info: Info) -> Viewer:
        principal = info.context.require(SCOPE_READ)
        return Viewer(
            subject=principal.subject,
            organization_id=principal.org_id,
            scopes=sorted(principal.scopes),
        )

    @strawberry.field
    async def workflow(self, info: Info, id: strawberry.ID) -> Workflow | None:
        row = await _by_id(info, "workflows", id)
        return None if row is None else Workflow.from_row(row)  # type: ignore[arg-type]

    @strawberry.field
    async def workflow_by_name(self, info: Info, name: str) -> Workflow | None:
        info.context.require(SCOPE_READ)
        ctx = info.context
        async with ctx.db.scoped(ctx.org_id, readonly=True) as conn:
            request = page_request(
                "workflows", WorkflowCriteria(name=_exact(name)), first=1, after=None
            )
            page = await listing.fetch_page(conn, ctx.org_id, request)
        return Workflow.from_row(page.rows[0]) if page.rows else None

    @strawberry.field
    def workflows(
        self,
        info: Info,
        filter: WorkflowFilter | None = None,
        first: int | None = 50,
        after: str | None = None,
    ) -> Connection[Workflow]:
        info.context.require(SCOPE_READ)
        criteria = filter.to_db() if filter else WorkflowCriteria()
        request = page_request("workflows", criteria, first=first, after=after)
        return Connection(request=request, parent=None, to_node=Workflow.from_row)

    @strawberry.field
    async def job_run(self, info: Info, id: strawberry.ID) -> JobRun | None:
        row = await _by_id(info, "job_runs", id)
        return None if row is None else JobRun.from_row(row)  # type: ignore[arg-type]

    @strawberry.field
    def job_runs(
        self,
        info: Info,
        filter: JobRunFilter | None = None,
        first: int | None = 50,
        after: str | None = None,
    ) -> Connection[JobRun]:
        info.context.require(SCOPE_READ)
        criteria = filter.to_db() if filter else JobRunCriteria()
        request = page_request("job_runs", criteria, first=first, after=after)
        return Connection(request=request, parent=None, to_node=JobRun.from_row)

    @strawberry.field
    async def workflow_run(self, info: Info, id: strawberry.ID) -> WorkflowRun | None:
        row = await _by_id(info, "workflow_runs", id)
        return None if row is None else WorkflowRun.from_row(row)  # type: ignore[arg-type]

    @strawberry.field
    def workflow_runs(
        self,
        info: Info,
        filter: WorkflowRunFilter | None = None,
        first: int | None = 50,
        after: str | None = None,
    ) -> Connection[WorkflowRun]:
        info.context.require(SCOPE_READ)
        criteria = filter.to_db() if filter else WorkflowRunCriteria()
        return run_connection(criteria, first, after)

    @strawberry.field(description="Any status.")
    async def artifact(self, info: Info, id: strawberry.ID) -> Artifact | None:
        row = await _by_id(info, "artifacts", id)
        return None if row is None else Artifact.from_row(row)  # type: ignore[arg-type]

    @strawberry.field
    def artifacts(
        self,
        info: Info,
        filter: ArtifactFilter | None = None,
        sort: ArtifactSort | None = ArtifactSort.CREATED_DESC,
        first: int | None = 50,
        after: str | None = None,
    ) -> Connection[Artifact]:
        info.context.require(SCOPE_READ)
        return artifact_connection(artifact_criteria(filter), sort, first, after)

    @strawberry.field(description="The newest version of each key.")
    def latest_artifacts(
        self,
        info: Info,
        filter: ArtifactFilter | None = None,
        sort: ArtifactSort | None = ArtifactSort.CREATED_DESC,
        first: int | None = 50,
        after: str | None = None,
    ) -> Connection[Artifact]:
        info.context.require(SCOPE_READ)
        return artifact_connection(artifact_criteria(filter, latest_only=True), sort, first, after)


def _exact(name: str) -> TextFilter:
    return TextFilter(eq=name)
