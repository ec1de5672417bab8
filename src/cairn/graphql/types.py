"""Object types: built from db rows; relationship fields go through DataLoaders."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON

from cairn.db.rows import ArtifactRow, JobRunRow, WorkflowRow, WorkflowRunRow
from cairn.db.where import ArtifactCriteria, KeyFilter, WorkflowRunCriteria
from cairn.graphql.arguments import After, Artifacts, First, Sort, WorkflowRuns
from cairn.graphql.context import Info
from cairn.graphql.enums import (
    ARTIFACT_STATUS_OF,
    ARTIFACT_TYPE_OF,
    RUN_STATUS_OF,
    ArtifactSort,
    ArtifactStatus,
    ArtifactType,
    RunStatus,
    SignedUrlDisposition,
)
from cairn.graphql.inputs import WorkflowRunFilter, artifact_criteria
from cairn.graphql.pagination import Connection, add_backward_arguments, page_request
from cairn.graphql.scalars import BigInt
from cairn.services.downloads import signed_download
from cairn.services.kinds import INLINE_TYPES
from cairn.services.previews import DEFAULT_PREVIEW_BYTES, check_max_bytes
from cairn.storage import SignedUrl as StoredSignedUrl


@strawberry.interface(
    description="An object with an id; node(id:) and nodes(ids:) fetch any of them by it."
)
class Node:
    id: strawberry.ID = strawberry.field(
        description="Opaque id (a UUID), unique across Cairn's objects."
    )


@strawberry.type(description="The caller, as its token describes it.")
class Viewer:
    subject: str = strawberry.field(description="The token's `sub` claim.")
    organization_id: str = strawberry.field(
        description=(
            "The token's organization (its org_id claim, or the claim CAIRN_JWT_ORG_CLAIM "
            "names). Every read and write is confined to it."
        )
    )
    scopes: list[str] = strawberry.field(
        description=(
            "The token's scopes, sorted. Cairn checks artifacts:read (queries, subscriptions), "
            "artifacts:write (create and change), artifacts:delete (delete, revoke) and "
            "audit:read (auditEvents)."
        )
    )


@strawberry.type(
    description=(
        "A presigned object-storage URL that works until expiresAt, without a token: "
        "CAIRN_SIGNED_URL_TTL seconds (900 by default) after it was minted, afresh on every "
        "read. Treat it as a secret until then."
    )
)
class SignedUrl:
    url: str = strawberry.field(description="The URL itself, signature included.")
    expires_at: datetime = strawberry.field(description="When the URL stops working.")

    @classmethod
    def of(cls, signed: StoredSignedUrl) -> SignedUrl:
        return cls(url=signed.url, expires_at=signed.expires_at)


@strawberry.type(
    description=(
        "The start of an artifact's content, read with one ranged request (never the whole "
        "object): text, and for CSV and TABLE the header and first rows."
    )
)
class ArtifactPreview:
    text: str | None = strawberry.field(
        description=(
            "The first maxBytes bytes as UTF-8 (invalid bytes replaced, a multi-byte "
            "character cut at the end dropped); MARKDOWN: the markdown, TABLE and LINK: "
            "their JSON. Null for binary types (PNG, JPEG, WEBP, GIF, PDF, BINARY)."
        )
    )
    truncated: bool = strawberry.field(
        description="True when the content is longer than what was read (maxBytes)."
    )
    columns: list[str] | None = strawberry.field(
        description="CSV: the header row; TABLE: its columns; null for other types."
    )
    rows: list[list[str]] | None = strawberry.field(
        description=(
            "CSV: the rows after the header in the bytes read (a row cut at the end dropped), "
            "at most 1,000; TABLE: its first 1,000 rows, cells as text; null for other types."
        )
    )


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


def runs_of(parent_column: str, description: str) -> Any:
    """A parent's workflow-runs connection field (Workflow.runs, JobRun.workflowRuns)."""

    def resolve(
        self: Any, filter: WorkflowRuns = None, first: First = 50, after: After = None
    ) -> Connection[WorkflowRun]:
        return run_connection(_runs(filter), first, after, parent_column, self.row.id)

    return strawberry.field(resolver=resolve, description=description)


def artifacts_of(parent_column: str, description: str) -> Any:
    """A parent's artifacts connection field (on Workflow, JobRun and WorkflowRun)."""

    def resolve(
        self: Any,
        filter: Artifacts = None,
        sort: Sort = ArtifactSort.CREATED_DESC,
        first: First = 50,
        after: After = None,
    ) -> Connection[Artifact]:
        criteria = artifact_criteria(filter)
        return artifact_connection(criteria, sort, first, after, parent_column, self.row.id)

    return strawberry.field(resolver=resolve, description=description)


@strawberry.type(
    description=(
        "A named kind of task (e.g. nightly-etl) whose runs publish artifacts; names are "
        "unique in an organization."
    )
)
class Workflow(Node):
    row: strawberry.Private[WorkflowRow]
    id: strawberry.ID = strawberry.field(description="Opaque id (a UUID).")
    name: str = strawberry.field(description="Unique in the organization; 1-200 characters.")
    description: str | None = strawberry.field(description="Free text, up to 10,000 characters.")
    tags: list[str] = strawberry.field(
        description="Labels to find it by (WorkflowFilter.tags); [] when none."
    )
    created_at: datetime = strawberry.field(description="When it was created.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
    retention_days: int | None = strawberry.field(
        description=(
            "Days its artifacts are kept unless their own retentionDays says otherwise; "
            "0 keeps them forever; null: the service default (CAIRN_RETENTION_DAYS)."
        )
    )

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
            retention_days=row.retention_days,
        )

    runs: Connection[WorkflowRun] = runs_of("workflow_id", "Its workflow runs, newest first.")

    artifacts: Connection[Artifact] = artifacts_of(
        "workflow_id", "Artifacts published to its runs."
    )


@strawberry.type(description="What job runs and workflow runs share: status and its timings.")
class RunLifecycle(Node):
    """Not in the schema itself (nothing returns it): JobRun and WorkflowRun inherit its fields."""

    id: strawberry.ID = strawberry.field(description="Opaque id (a UUID).")
    name: str | None = strawberry.field(description="Up to 200 characters; null if not given.")
    status: RunStatus = strawberry.field(description="Where it is in its life.")
    created_at: datetime = strawberry.field(description="When it was created.")
    started_at: datetime | None = strawberry.field(
        description="When it first became RUNNING; null until then."
    )
    ended_at: datetime | None = strawberry.field(
        description="When it became COMPLETED, FAILED or CANCELLED; null while PENDING or RUNNING."
    )


def _lifecycle(row: JobRunRow | WorkflowRunRow) -> dict[str, Any]:
    return {
        "id": strawberry.ID(str(row.id)),
        "name": row.name,
        "status": RUN_STATUS_OF[row.status],
        "created_at": row.created_at,
        "started_at": row.started_at,
        "ended_at": row.ended_at,
    }


@strawberry.type(
    description=(
        "The overall execution that triggered workflow runs (e.g. one pipeline or one "
        "scheduled batch); its runs may be of different workflows."
    )
)
class JobRun(RunLifecycle):
    row: strawberry.Private[JobRunRow]
    metadata: JSON = strawberry.field(description="A JSON object of your own; {} if not given.")

    @classmethod
    def from_row(cls, row: JobRunRow) -> JobRun:
        return cls(row=row, metadata=row.metadata, **_lifecycle(row))

    workflow_runs: Connection[WorkflowRun] = runs_of(
        "job_run_id", "The workflow runs that belong to it, newest first."
    )

    artifacts: Connection[Artifact] = artifacts_of(
        "job_run_id", "Roll-up over all its runs: the artifacts of every one of them."
    )


@strawberry.type(
    description="One execution of a workflow, optionally part of a job run; artifacts belong to it."
)
class WorkflowRun(RunLifecycle):
    row: strawberry.Private[WorkflowRunRow]
    parameters: JSON = strawberry.field(description="Its inputs as a JSON object; {} if not given.")

    @classmethod
    def from_row(cls, row: WorkflowRunRow) -> WorkflowRun:
        return cls(row=row, parameters=row.parameters, **_lifecycle(row))

    @strawberry.field(description="The workflow it is a run of.")
    async def workflow(self, info: Info) -> Workflow:
        row = await info.context.loaders.workflows.load(self.row.workflow_id)
        if row is None:  # a run's workflow cannot be deleted while the run exists
            raise LookupError(f"workflow {self.row.workflow_id} of run {self.row.id} is missing")
        return Workflow.from_row(row)

    @strawberry.field(description="The job run it belongs to; null if none.")
    async def job_run(self, info: Info) -> JobRun | None:
        if self.row.job_run_id is None:
            return None
        row = await info.context.loaders.job_runs.load(self.row.job_run_id)
        return None if row is None else JobRun.from_row(row)

    artifacts: Connection[Artifact] = artifacts_of(
        "workflow_run_id", "The artifacts published to this run."
    )


@strawberry.type(
    description=(
        "A published output: a file, report, table or link, usually of a workflow run. "
        "Artifacts that share a key are the versions of one lineage."
    )
)
class Artifact(Node):
    row: strawberry.Private[ArtifactRow]
    id: strawberry.ID = strawberry.field(description="Opaque id (a UUID).")
    key: str | None = strawberry.field(
        description=(
            "Lineage: lowercase letters, digits and dashes (1-200); null for a one-off artifact."
        )
    )
    version: int | None = strawberry.field(
        description=(
            "1, 2, 3 ... per key in publish order, with no gaps; null without a key and "
            "until the artifact is AVAILABLE."
        )
    )
    is_latest: bool = strawberry.field(
        description=(
            "True for the newest AVAILABLE version of its key and for AVAILABLE artifacts "
            "without a key; false while PENDING or FAILED."
        )
    )
    type: ArtifactType = strawberry.field(description="The format of the content.")
    category: str | None = strawberry.field(
        description="Free-form grouping: extracted_data, screenshot, log_file ...; null if none."
    )
    display_name: str = strawberry.field(
        description="The file name shown and used for downloads, e.g. report.json."
    )
    description: str | None = strawberry.field(description="Markdown; null if none.")
    mime_type: str = strawberry.field(
        description=(
            "The declared MIME type (lower-cased) or the type's default. Downloads use it "
            "only for safe types; markup and unknown types download as "
            "application/octet-stream."
        )
    )
    size_bytes: BigInt = strawberry.field(
        description=(
            "Size of the stored bytes (inline kinds: of their canonical JSON); while PENDING, "
            "the size declared to beginArtifactUpload."
        )
    )
    sha256: str = strawberry.field(
        description=(
            "Hex SHA-256 digest of the stored bytes (inline kinds: of their canonical JSON, "
            "sorted keys and no whitespace)."
        )
    )
    status: ArtifactStatus = strawberry.field(description="Where it is in publishing.")
    data: JSON | None = strawberry.field(
        description="MARKDOWN: string; TABLE: {columns, rows}; LINK: {url, text}; else null."
    )
    metadata: JSON = strawberry.field(description="A JSON object of your own; {} if not given.")
    storage_path: str | None = strawberry.field(
        description="Internal reference: bucket/object key; null for inline kinds."
    )
    created_by: str = strawberry.field(description="The `sub` of the token that published it.")
    created_at: datetime = strawberry.field(description="When publishing began.")
    updated_at: datetime = strawberry.field(
        description="When it last changed: published, updated, or its isLatest moved."
    )
    expires_at: datetime | None = strawberry.field(
        description=(
            "When it expires (null: never): from then on it is never listed, counted or "
            "signed, and the sweep (or cairn gc) deletes its row and bytes. Set from "
            "retentionDays at publish; updateArtifact(expiresAt:) changes it."
        )
    )

    @classmethod
    def from_row(cls, row: ArtifactRow) -> Artifact:
        return cls(
            row=row,
            id=strawberry.ID(str(row.id)),
            key=row.key,
            version=row.version,
            is_latest=row.is_latest,
            type=ARTIFACT_TYPE_OF[row.type],
            category=row.category,
            display_name=row.display_name,
            description=row.description,
            mime_type=row.mime_type,
            size_bytes=BigInt(row.size_bytes),
            sha256=row.sha256,
            status=ARTIFACT_STATUS_OF[row.status],
            data=row.data if row.type in INLINE_TYPES else None,
            metadata=row.metadata,
            storage_path=row.storage_path,
            created_by=row.created_by,
            created_at=row.created_at,
            updated_at=row.updated_at,
            expires_at=row.expires_at,
        )

    @strawberry.field(
        description=(
            "A fresh presigned GET URL for the bytes, minted on every read, served as an "
            "attachment named displayName. AVAILABLE files only: null for inline kinds "
            "(read `data`) and for PENDING or FAILED artifacts. OBJECT_MISSING when cairn gc "
            "found its bytes missing from storage (the artifact stays listed)."
        )
    )
    def signed_url(
        self,
        info: Info,
        disposition: Annotated[
            SignedUrlDisposition,
            strawberry.argument(
                description=(
                    "ATTACHMENT (the default) or INLINE; INLINE is honoured only for "
                    "PNG, JPEG, WEBP, GIF, PDF and plain text, else ATTACHMENT."
                )
            ),
        ] = SignedUrlDisposition.ATTACHMENT,
    ) -> SignedUrl | None:
        ctx = info.context
        inline = disposition is SignedUrlDisposition.INLINE
        signed = signed_download(
            ctx.store, self.row, ctx.settings.signed_url_ttl, ctx.audit, inline=inline
        )
        return None if signed is None else SignedUrl.of(signed)

    @strawberry.field(
        description=(
            "The start of the content, for showing it: one ranged read of at most maxBytes "
            "from storage (inline kinds from `data`, without storage). AVAILABLE artifacts "
            "only (null otherwise). At most 100 previews that read storage per request; "
            "more fail with QUERY_TOO_COMPLEX."
        )
    )
    async def preview(
        self,
        info: Info,
        max_bytes: Annotated[
            int,
            strawberry.argument(
                description="How many bytes to read, 1 to 1048576 (1 MiB); 65536 by default."
            ),
        ] = DEFAULT_PREVIEW_BYTES,
    ) -> ArtifactPreview | None:
        check_max_bytes(max_bytes)
        found = await info.context.previewer.preview(self.row, max_bytes)
        if found is None:
            return None
        return ArtifactPreview(
            text=found.text, truncated=found.truncated, columns=found.columns, rows=found.rows
        )

    @strawberry.field(description="The workflow of its run; null outside a run.")
    async def workflow(self, info: Info) -> Workflow | None:
        if self.row.workflow_id is None:
            return None
        row = await info.context.loaders.workflows.load(self.row.workflow_id)
        return None if row is None else Workflow.from_row(row)

    @strawberry.field(description="The run it was published to; null outside a run.")
    async def workflow_run(self, info: Info) -> WorkflowRun | None:
        if self.row.workflow_run_id is None:
            return None
        row = await info.context.loaders.workflow_runs.load(self.row.workflow_run_id)
        return None if row is None else WorkflowRun.from_row(row)

    @strawberry.field(description="The job run of its run; null if none.")
    async def job_run(self, info: Info) -> JobRun | None:
        if self.row.job_run_id is None:
            return None
        row = await info.context.loaders.job_runs.load(self.row.job_run_id)
        return None if row is None else JobRun.from_row(row)

    @strawberry.field(
        description=(
            "All AVAILABLE versions of this key, highest version first (an artifact without "
            "a key: itself alone)."
        )
    )
    def versions(self, first: First = 50, after: After = None) -> Connection[Artifact]:
        if self.row.key is None:  # its own only version; batched by id like keyed ones by key
            criteria = ArtifactCriteria(status=None)
            return artifact_connection(
                criteria, ArtifactSort.VERSION_DESC, first, after, "id", self.row.id
            )
        criteria = ArtifactCriteria(key=KeyFilter(exists=True))
        return artifact_connection(
            criteria, ArtifactSort.VERSION_DESC, first, after, "key", self.row.key
        )


@strawberry.type(
    description=(
        "What beginArtifactUpload answers: the PENDING artifact and how to send its bytes. "
        "Send them with `method` and `headers` to `uploadUrl`, then call completeArtifactUpload."
    )
)
class ArtifactUpload:
    artifact: Artifact = strawberry.field(
        description="The new artifact, PENDING until completeArtifactUpload verifies it."
    )
    upload_url: SignedUrl = strawberry.field(
        description=(
            "Where to send the bytes: valid for CAIRN_SIGNED_URL_TTL seconds (900 by default)."
        )
    )
    method: str = strawberry.field(description="The HTTP method for uploadUrl: PUT.")
    headers: JSON = strawberry.field(
        description="Headers to send with it, as a JSON object: Content-Type (the mimeType)."
    )


@strawberry.type(description="What a delete removed.")
class DeleteResult:
    deleted_count: int = strawberry.field(
        description="How many artifacts were removed, rows and stored bytes."
    )


add_backward_arguments(Workflow, JobRun, WorkflowRun, Artifact)


# Artifact fields whose answer is the row's column as stored (ids as text, enums by their
# stored names, times in UTC), so that a list selecting only these (and __typename) may
# be answered from PostgreSQL's values alone (listing.ARTIFACT_VALUES, CycleFreeExecution).
# Not data (inline kinds only) nor metadata (JSON), nor anything with a resolver.
ARTIFACT_VALUE_FIELDS = frozenset(
    {
        "id",
        "key",
        "version",
        "is_latest",
        "type",
        "category",
        "display_name",
        "description",
        "mime_type",
        "size_bytes",
        "sha256",
        "status",
        "storage_path",
        "created_by",
        "created_at",
        "updated_at",
        "expires_at",
    }
)
