"""GraphQL input types and their conversion to the db layer's criteria."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from cairn.db import where as w
from cairn.graphql.enums import ArtifactStatus, ArtifactType, RunStatus
from cairn.services.validation import ArtifactSpec, uuid_or_none


@strawberry.input(
    description=(
        "Matches an id; given fields AND together. An id that is not a UUID, or another "
        "organization's, matches nothing."
    )
)
class IDFilter:
    eq: strawberry.ID | None = strawberry.field(default=None, description="Exactly this id.")
    in_: list[strawberry.ID] | None = strawberry.field(
        name="in", default=None, description="Any of these ids ([] matches nothing)."
    )

    def to_db(self) -> w.IdFilter:
        eq = uuid_or_none(self.eq) if self.eq is not None else None
        parsed = [uuid_or_none(v) for v in self.in_] if self.in_ is not None else None
        impossible = (self.eq is not None and eq is None) or (
            parsed is not None and parsed and all(p is None for p in parsed)
        )
        return w.IdFilter(
            eq=eq,
            in_=tuple(p for p in parsed if p is not None) if parsed is not None else None,
            impossible=bool(impossible),
        )


@strawberry.input(description="Matches text; given fields AND together.")
class StringFilter:
    eq: str | None = strawberry.field(default=None, description="Exactly this (case-sensitive).")
    in_: list[str] | None = strawberry.field(
        name="in", default=None, description="Exactly one of these ([] matches nothing)."
    )
    contains: str | None = strawberry.field(
        default=None, description="Contains this text, ignoring case."
    )
    starts_with: str | None = strawberry.field(
        default=None, description="Starts with this text (case-sensitive)."
    )

    def to_db(self) -> w.TextFilter:
        return w.TextFilter(
            eq=self.eq,
            in_=tuple(self.in_) if self.in_ is not None else None,
            contains=self.contains,
            starts_with=self.starts_with,
        )


@strawberry.input(description="Matches an artifact's key; given fields AND together.")
class KeyFilter:
    eq: str | None = strawberry.field(default=None, description="Exactly this key.")
    in_: list[str] | None = strawberry.field(
        name="in", default=None, description="One of these keys ([] matches nothing)."
    )
    exists: bool | None = strawberry.field(
        default=None,
        description="true: only artifacts with a key; false: only those without one.",
    )
    starts_with: str | None = strawberry.field(
        default=None, description="Keys that start with this, e.g. 'etl-'."
    )

    def to_db(self) -> w.KeyFilter:
        return w.KeyFilter(
            eq=self.eq,
            in_=tuple(self.in_) if self.in_ is not None else None,
            exists=self.exists,
            starts_with=self.starts_with,
        )


@strawberry.input(description="A time range; both bounds are inclusive, either may be omitted.")
class DateTimeFilter:
    before: datetime | None = strawberry.field(default=None, description="At or before this time.")
    after: datetime | None = strawberry.field(default=None, description="At or after this time.")

    def to_db(self) -> w.TimeRange:
        return w.TimeRange(before=self.before, after=self.after)


def _ids(f: IDFilter | None) -> w.IdFilter | None:
    return f.to_db() if f is not None else None


def _names(
    values: list[RunStatus] | list[ArtifactStatus] | list[ArtifactType] | None,
) -> tuple[str, ...] | None:
    return tuple(v.value for v in values) if values is not None else None


@strawberry.input(description="Which workflows to list; given fields AND together.")
class WorkflowFilter:
    id: IDFilter | None = strawberry.field(default=None, description="Matches the workflow's id.")
    name: StringFilter | None = strawberry.field(
        default=None, description="Matches the workflow's name."
    )
    tags: list[str] | None = strawberry.field(
        default=None, description="Workflows that have all of these tags."
    )

    def to_db(self) -> w.WorkflowCriteria:
        return w.WorkflowCriteria(
            id=_ids(self.id),
            name=self.name.to_db() if self.name else None,
            tags=tuple(self.tags) if self.tags is not None else None,
        )


@strawberry.input(description="Which job runs to list; given fields AND together.")
class JobRunFilter:
    id: IDFilter | None = strawberry.field(default=None, description="Matches the job run's id.")
    status: list[RunStatus] | None = strawberry.field(
        default=None, description="Any of these statuses."
    )
    created_at: DateTimeFilter | None = strawberry.field(
        default=None, description="Created within this range."
    )

    def to_db(self) -> w.JobRunCriteria:
        return w.JobRunCriteria(
            id=_ids(self.id),
            status=_names(self.status),
            created_at=self.created_at.to_db() if self.created_at else None,
        )


@strawberry.input(description="Which workflow runs to list; given fields AND together.")
class WorkflowRunFilter:
    id: IDFilter | None = strawberry.field(default=None, description="Matches the run's id.")
    workflow_id: IDFilter | None = strawberry.field(
        default=None, description="Runs of these workflows."
    )
    job_run_id: IDFilter | None = strawberry.field(
        default=None, description="Runs that belong to these job runs."
    )
    status: list[RunStatus] | None = strawberry.field(
        default=None, description="Any of these statuses."
    )
    created_at: DateTimeFilter | None = strawberry.field(
        default=None, description="Created within this range."
    )

    def to_db(self) -> w.WorkflowRunCriteria:
        return w.WorkflowRunCriteria(
            id=_ids(self.id),
            workflow_id=_ids(self.workflow_id),
            job_run_id=_ids(self.job_run_id),
            status=_names(self.status),
            created_at=self.created_at.to_db() if self.created_at else None,
        )


@strawberry.input(
    description=(
        "Which artifacts to list; given fields AND together. Without `status`, only "
        "AVAILABLE artifacts are listed."
    )
)
class ArtifactFilter:
    id: IDFilter | None = strawberry.field(default=None, description="Matches the artifact's id.")
    key: KeyFilter | None = strawberry.field(default=None, description="Matches its key.")
    type: list[ArtifactType] | None = strawberry.field(
        default=None, description="Any of these types."
    )
    category: StringFilter | None = strawberry.field(
        default=None, description="Matches its category."
    )
    mime_type: StringFilter | None = strawberry.field(
        default=None, description="Matches its MIME type (stored lower-cased)."
    )
    display_name: StringFilter | None = strawberry.field(
        default=None, description="Matches its display name."
    )
    status: list[ArtifactStatus] | None = strawberry.field(
        default=None, description="Any of these statuses; [AVAILABLE] when omitted or null."
    )
    workflow_id: IDFilter | None = strawberry.field(
        default=None, description="Artifacts of runs of these workflows."
    )
    workflow_run_id: IDFilter | None = strawberry.field(
        default=None, description="Artifacts published to these workflow runs."
    )
    job_run_id: IDFilter | None = strawberry.field(
        default=None, description="Artifacts of runs that belong to these job runs."
    )
    created_at: DateTimeFilter | None = strawberry.field(
        default=None, description="Created (publishing begun) within this range."
    )
    workflow_run: WorkflowRunFilter | None = strawberry.field(
        default=None, description="Filter by the related run, e.g. its status."
    )

    def to_db(self, *, latest_only: bool = False) -> w.ArtifactCriteria:
        return w.ArtifactCriteria(
            id=_ids(self.id),
            key=self.key.to_db() if self.key else None,
            type=_names(self.type),
            category=self.category.to_db() if self.category else None,
            mime_type=self.mime_type.to_db() if self.mime_type else None,
            display_name=self.display_name.to_db() if self.display_name else None,
            status=_names(self.status) if self.status is not None else ("AVAILABLE",),
            workflow_id=_ids(self.workflow_id),
            workflow_run_id=_ids(self.workflow_run_id),
            job_run_id=_ids(self.job_run_id),
            created_at=self.created_at.to_db() if self.created_at else None,
            workflow_run=self.workflow_run.to_db() if self.workflow_run else None,
            latest_only=latest_only,
        )


def artifact_criteria(f: ArtifactFilter | None, *, latest_only: bool = False) -> w.ArtifactCriteria:
    if f is None:
        return w.ArtifactCriteria(latest_only=latest_only)
    return f.to_db(latest_only=latest_only)


@strawberry.input(
    description="A workflow to create (or find: createWorkflow is idempotent on name)."
)
class CreateWorkflowInput:
    name: str = strawberry.field(
        description=(
            "Unique in the organization: 1-200 characters, trimmed. An existing name returns "
            "that workflow unchanged."
        )
    )
    description: str | None = strawberry.field(
        default=None, description="Free text, up to 10,000 characters."
    )
    tags: list[str] | None = strawberry.field(
        default=None,
        description="Labels to find it by: at most 50, each 1-100 characters; duplicates drop.",
    )
    retention_days: int | None = strawberry.field(
        default=None,
        description=(
            "Days its artifacts are kept (1-36500) unless their own retentionDays says "
            "otherwise; 0 keeps them forever; omitted: the service default."
        ),
    )


@strawberry.input(description="A job run to create.")
class CreateJobRunInput:
    name: str | None = strawberry.field(default=None, description="Up to 200 characters.")
    status: RunStatus = strawberry.field(
        default=RunStatus.RUNNING,
        description="Its first status; RUNNING (which stamps startedAt) when omitted.",
    )
    metadata: JSON | None = strawberry.field(
        default=None,
        description="A JSON object of your own, at most 64 KiB as JSON; {} when omitted.",
    )


@strawberry.input(description="A workflow run to create.")
class CreateWorkflowRunInput:
    workflow_id: strawberry.ID = strawberry.field(
        description="The workflow it is a run of; NOT_FOUND unless it is this organization's."
    )
    job_run_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The job run it belongs to, if any; NOT_FOUND unless this organization's.",
    )
    name: str | None = strawberry.field(default=None, description="Up to 200 characters.")
    status: RunStatus = strawberry.field(
        default=RunStatus.RUNNING,
        description="Its first status; RUNNING (which stamps startedAt) when omitted.",
    )
    parameters: JSON | None = strawberry.field(
        default=None,
        description="The run's inputs as a JSON object, at most 64 KiB as JSON; {} when omitted.",
    )


@strawberry.input(
    description=(
        "What every way of publishing shares (createArtifact, uploadArtifact, "
        "beginArtifactUpload). A field that breaks its rule is BAD_USER_INPUT, and nothing "
        "is published."
    )
)
class ArtifactInput:
    workflow_run_id: strawberry.ID | None = strawberry.field(
        default=None,
        description=(
            "The run it belongs to. Optional: artifacts may live outside a run. NOT_FOUND "
            "unless it is this organization's run."
        ),
    )
    key: str | None = strawberry.field(
        default=None,
        description=(
            "Publishes the next version of this lineage: 1-200 lowercase letters, digits and "
            "dashes, starting and ending with a letter or digit (e.g. daily-report). Omit it "
            "for a one-off artifact without versions."
        ),
    )
    type: ArtifactType = strawberry.field(
        description="The content's format; the content must fit it."
    )
    category: str | None = strawberry.field(
        default=None,
        description="Free-form grouping, e.g. screenshot or log_file: 1-100 characters, one line.",
    )
    display_name: str = strawberry.field(
        description="The file name shown and used on download, e.g. report.json: 1-255 "
        "characters, one line."
    )
    description: str | None = strawberry.field(
        default=None, description="Markdown about the artifact, up to 10,000 characters."
    )
    mime_type: str | None = strawberry.field(
        default=None,
        description=(
            "e.g. text/plain; the type's default when omitted. Markup and script types "
            "(html, xml, svg, javascript...) only with type HTML, SVG or XML; one with a "
            "signature (image/png, application/pdf...) must match the bytes."
        ),
    )
    metadata: JSON | None = strawberry.field(
        default=None,
        description="A JSON object of your own, at most 64 KiB as JSON; {} when omitted.",
    )
    idempotency_key: str | None = strawberry.field(
        default=None,
        description=(
            "The same key again returns the first result instead of a new artifact (1-200 "
            "characters, e.g. a UUID); the same key with a different request is CONFLICT."
        ),
    )
    retention_days: int | None = strawberry.field(
        default=None,
        description=(
            "Days to keep it (1-36500) from publishing: then it expires (see "
            "Artifact.expiresAt). 0 keeps it forever; omitted: its workflow's retentionDays, "
            "else the service default (CAIRN_RETENTION_DAYS)."
        ),
    )

    def to_spec(self) -> ArtifactSpec:
        """What the publishing service checks (as the filters have ``to_db()``): every
        field of ArtifactSpec is the input field of the same name."""
        given = {f.name: getattr(self, f.name) for f in fields(ArtifactSpec) if f.name != "type"}
        return ArtifactSpec(type=self.type.value, **given)
