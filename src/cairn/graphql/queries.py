"""Query root: thin resolvers over the DataLoaders."""

from __future__ import annotations

from uuid import UUID

import strawberry

from cairn.auth import SCOPE_READ
from cairn.db.where import JobRunCriteria, WorkflowCriteria, WorkflowRunCriteria
from cairn.graphql.context import Info
from cairn.graphql.enums import ArtifactSort
from cairn.graphql.inputs import (
    ArtifactFilter,
    JobRunFilter,
    WorkflowFilter,
    WorkflowRunFilter,
    artifact_criteria,
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
from cairn.services.validation import uuid_or_none


def _read_id(info: Info, ident: str) -> UUID | None:
    """Check the read scope; the id as a UUID, or None when it names nothing."""
    info.context.require(SCOPE_READ)
    return uuid_or_none(ident)


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
        uuid = _read_id(info, id)
        row = None if uuid is None else await info.context.loaders.workflows.load(uuid)
        return None if row is None else Workflow.from_row(row)

    @strawberry.field
    async def workflow_by_name(self, info: Info, name: str) -> Workflow | None:
        info.context.require(SCOPE_READ)
        row = await info.context.loaders.workflow_by_name.load(name)
        return None if row is None else Workflow.from_row(row)

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
        uuid = _read_id(info, id)
        row = None if uuid is None else await info.context.loaders.job_runs.load(uuid)
        return None if row is None else JobRun.from_row(row)

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
        uuid = _read_id(info, id)
        row = None if uuid is None else await info.context.loaders.workflow_runs.load(uuid)
        return None if row is None else WorkflowRun.from_row(row)

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
        uuid = _read_id(info, id)
        row = None if uuid is None else await info.context.loaders.artifacts.load(uuid)
        return None if row is None else Artifact.from_row(row)

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
