"""Object types: built from db rows; relationship fields go through DataLoaders."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

from cairn.db.rows import ArtifactRow, JobRunRow, WorkflowRow, WorkflowRunRow
from cairn.db.where import ArtifactCriteria, KeyFilter, WorkflowRunCriteria
from cairn.graphql.context import Info
from cairn.graphql.enums import ArtifactSort, ArtifactStatus, ArtifactType, RunStatus
from cairn.graphql.inputs import ArtifactFilter, WorkflowRunFilter, artifact_criteria
from cairn.graphql.pagination import Connection, add_backward_arguments, page_request
from cairn.graphql.scalars import BigInt
from cairn.services.downloads import signed_download
from cairn.services.kinds import INLINE_TYPES
from cairn.storage import SignedUrl as StoredSignedUrl


@strawberry.interface(
    description="An object with an id; node(id:) and nodes(ids:) fetch any of them by it."
)
class Node:
    id: strawberry.ID


@strawberry.type
class Viewer:
    subject: str
    organization_id: str
    scopes: list[str]


@strawberry.type(description="A URL that works until expiresAt; minted afresh on every read.")
class SignedUrl:
    url: str
    expires_at: datetime

    @classmethod
    def of(cls, signed: StoredSignedUrl) -> SignedUrl:
        return cls(url=signed.url, expires_at=signed.expires_at)


def _runs(criteria: WorkflowRunFilter | None) -> WorkflowRunCriteria:
    return criteria.to_db() if criteria is not None else WorkflowRunCriteria()


def run_connection(
    criteria: WorkflowRunCriteria,
    first: int | None,
    after: str | None,
    parent_column: str | None = None,
    parent: Any = None,
) -> Connection[WorkflowRun]:
    request = page_request(
        "workflow_runs", criteria, first=first, after=after, parent_column=parent_column
    )
    return Connection(request=request, parent=parent, to_node=WorkflowRun.from_row)


def artifact_connection(
    criteria: ArtifactCriteria,
    sort: ArtifactSort | None,
    first: int | None,
    after: str | None,
    parent_column: str | None = None,
    parent: Any = None,
) -> Connection[Artifact]:
    request = page_request(
        "artifacts",
        criteria,
        first=first,
        after=after,
        sort=(sort or ArtifactSort.CREATED_DESC).value,
        parent_column=parent_column,
    )
    return Connection(request=request, parent=parent, to_node=Artifact.from_row)


@strawberry.type
class Workflow(Node):
    row: strawberry.Private[WorkflowRow]
    id: strawberry.ID
    name: str
    description: str | None
    tags: list[str]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: WorkflowRow) -> Workflow:
        return cls(
            row=row,
            id=strawberry.ID(str(row.id)),
            name=row.name,
            description=row.description,
            tags=list(row.tags),
            created_at=row.created_at,
            updated_at=row.updated_at,
        )

    @strawberry.field
    def runs(
        self,
        filter: WorkflowRunFilter | None = None,
        first: int | None = 50,
        after: str | None = None,
    ) -> Connection[WorkflowRun]:
        return run_connection(_runs(filter), first, after, "workflow_id", self.row.id)

    @strawberry.field
    def artifacts(
        self,
        filter: ArtifactFilter | None = None,
        sort: ArtifactSort | None = ArtifactSort.CREATED_DESC,
        first: int | None = 50,
        after: str | None = None,
    ) -> Connection[Artifact]:
        return artifact_connection(
            artifact_criteria(filter), sort, first, after, "workflow_id", self.row.id
        )


@strawberry.type(description="The overall execution that triggered workflow runs.")
class JobRun(Node):
    row: strawberry.Private[JobRunRow]
    id: strawberry.ID
    name: str | None
    status: RunStatus
    metadata: JSON
    created_at: datetime
    started_at: datetime | None
    ended_at: datetime | None

    @classmethod
    def from_row(cls, row: JobRunRow) -> JobRun:
        return cls(
            row=row,
            id=strawberry.ID(str(row.id)),
            name=row.name,
            status=RunStatus(row.status),
            metadata=row.metadata,
            created_at=row.created_at,
            started_at=row.started_at,
            ended_at=row.ended_at,
        )

    @strawberry.field
    def workflow_runs(
        self,
        filter: WorkflowRunFilter | None = None,
        first: int | None = 50,
        after: str | None = None,
    ) -> Connection[WorkflowRun]:
        return run_connection(_runs(filter), first, after, "job_run_id", self.row.id)

    @strawberry.field(description="Roll-up over all its runs.")
    def artifacts(
        self,
        filter: ArtifactFilter | None = None,
        sort: ArtifactSort | None = ArtifactSort.CREATED_DESC,
        first: int | None = 50,
        after: str | None = None,
    ) -> Connection[Artifact]:
        return artifact_connection(
            artifact_criteria(filter), sort, first, after, "job_run_id", self.row.id
        )


@strawberry.type
class WorkflowRun(Node):
    row: strawberry.Private[WorkflowRunRow]
    id: strawberry.ID
    name: str | None
    status: RunStatus
    parameters: JSON
    created_at: datetime
    started_at: datetime | None
    ended_at: datetime | None

    @classmethod
    def from_row(cls, row: WorkflowRunRow) -> WorkflowRun:
        return cls(
            row=row,
            id=strawberry.ID(str(row.id)),
            name=row.name,
            status=RunStatus(row.status),
            parameters=row.parameters,
            created_at=row.created_at,
            started_at=row.started_at,
            ended_at=row.ended_at,
        )

    @strawberry.field
    async def workflow(self, info: Info) -> Workflow:
        row = await info.context.loaders.workflows.load(self.row.workflow_id)
        if row is None:  # a run's workflow cannot be deleted while the run exists
            raise LookupError(f"workflow {self.row.workflow_id} of run {self.row.id} is missing")
        return Workflow.from_row(row)

    @strawberry.field
    async def job_run(self, info: Info) -> JobRun | None:
        if self.row.job_run_id is None:
            return None
        row = await info.context.loaders.job_runs.load(self.row.job_run_id)
        return None if row is None else JobRun.from_row(row)

    @strawberry.field
    def artifacts(
        self,
        filter: ArtifactFilter | None = None,
        sort: ArtifactSort | None = ArtifactSort.CREATED_DESC,
        first: int | None = 50,
        after: str | None = None,
    ) -> Connection[Artifact]:
        return artifact_connection(
            artifact_criteria(filter), sort, first, after, "workflow_run_id", self.row.id
        )


@strawberry.type
class Artifact(Node):
    row: strawberry.Private[ArtifactRow]
    id: strawberry.ID
    key: str | None = strawberry.field(description="Lineage: lowercase letters, digits and dashes.")
    version: int | None = strawberry.field(
        description="1, 2, 3 ... per key in publish order; null without a key."
    )
    is_latest: bool
    type: ArtifactType
    category: str | None
    display_name: str
    description: str | None
    mime_type: str
    size_bytes: BigInt
    sha256: str
    status: ArtifactStatus
    data: JSON | None = strawberry.field(
        description="MARKDOWN: string; TABLE: {columns, rows}; LINK: {url, text}; else null."
    )
    metadata: JSON
    storage_path: str | None = strawberry.field(
        description="Internal reference: bucket/object key; null for inline kinds."
    )
    created_by: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: ArtifactRow) -> Artifact:
        return cls(
            row=row,
            id=strawberry.ID(str(row.id)),
            key=row.key,
            version=row.version,
            is_latest=row.is_latest,
            type=ArtifactType(row.type),
            category=row.category,
            display_name=row.display_name,
            description=row.description,
            mime_type=row.mime_type,
            size_bytes=BigInt(row.size_bytes),
            sha256=row.sha256,
            status=ArtifactStatus(row.status),
            data=row.data if row.type in INLINE_TYPES else None,
            metadata=row.metadata,
            storage_path=row.storage_path,
            created_by=row.created_by,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )

    @strawberry.field(description="Fresh on every read; AVAILABLE files only.")
    def signed_url(self, info: Info) -> SignedUrl | None:
        ctx = info.context
        signed = signed_download(ctx.store, self.row, ctx.settings.signed_url_ttl)
        return None if signed is None else SignedUrl.of(signed)

    @strawberry.field
    async def workflow(self, info: Info) -> Workflow | None:
        if self.row.workflow_id is None:
            return None
        row = await info.context.loaders.workflows.load(self.row.workflow_id)
        return None if row is None else Workflow.from_row(row)

    @strawberry.field
    async def workflow_run(self, info: Info) -> WorkflowRun | None:
        if self.row.workflow_run_id is None:
            return None
        row = await info.context.loaders.workflow_runs.load(self.row.workflow_run_id)
        return None if row is None else WorkflowRun.from_row(row)

    @strawberry.field
    async def job_run(self, info: Info) -> JobRun | None:
        if self.row.job_run_id is None:
            return None
        row = await info.context.loaders.job_runs.load(self.row.job_run_id)
        return None if row is None else JobRun.from_row(row)

    @strawberry.field(description="All versions of this key, newest first.")
    def versions(self, first: int | None = 50, after: str | None = None) -> Connection[Artifact]:
        if self.row.key is None:  # its own only version; batched by id like keyed ones by key
            criteria = ArtifactCriteria(status=None)
            return artifact_connection(
                criteria, ArtifactSort.VERSION_DESC, first, after, "id", self.row.id
            )
        criteria = ArtifactCriteria(key=KeyFilter(exists=True))
        return artifact_connection(
            criteria, ArtifactSort.VERSION_DESC, first, after, "key", self.row.key
        )


@strawberry.type
class ArtifactUpload:
    artifact: Artifact
    upload_url: SignedUrl
    method: str
    headers: JSON


@strawberry.type
class DeleteResult:
    deleted_count: int


add_backward_arguments(Workflow, JobRun, WorkflowRun, Artifact)
