"""GraphQL input types and their conversion to the db layer's criteria."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from cairn.db import where as w
from cairn.graphql.enums import ArtifactStatus, ArtifactType, RunStatus
from cairn.services.validation import ArtifactSpec, uuid_or_none


@strawberry.input
class IDFilter:
    eq: strawberry.ID | None = None
    in_: list[strawberry.ID] | None = strawberry.field(name="in", default=None)

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


@strawberry.input
class StringFilter:
    eq: str | None = None
    in_: list[str] | None = strawberry.field(name="in", default=None)
    contains: str | None = None
    starts_with: str | None = None

    def to_db(self) -> w.TextFilter:
        return w.TextFilter(
            eq=self.eq,
            in_=tuple(self.in_) if self.in_ is not None else None,
            contains=self.contains,
            starts_with=self.starts_with,
        )


@strawberry.input
class KeyFilter:
    eq: str | None = None
    in_: list[str] | None = strawberry.field(name="in", default=None)
    exists: bool | None = None
    starts_with: str | None = None

    def to_db(self) -> w.KeyFilter:
        return w.KeyFilter(
            eq=self.eq,
            in_=tuple(self.in_) if self.in_ is not None else None,
            exists=self.exists,
            starts_with=self.starts_with,
        )


@strawberry.input(description="Inclusive bounds.")
class DateTimeFilter:
    before: datetime | None = None
    after: datetime | None = None

    def to_db(self) -> w.TimeRange:
        return w.TimeRange(before=self.before, after=self.after)


def _ids(f: IDFilter | None) -> w.IdFilter | None:
    return f.to_db() if f is not None else None


def _names(
    values: list[RunStatus] | list[ArtifactStatus] | list[ArtifactType] | None,
) -> tuple[str, ...] | None:
    return tuple(v.value for v in values) if values is not None else None


@strawberry.input
class WorkflowFilter:
    id: IDFilter | None = None
    name: StringFilter | None = None
    tags: list[str] | None = strawberry.field(default=None, description="Has all of these.")

    def to_db(self) -> w.WorkflowCriteria:
        return w.WorkflowCriteria(
            id=_ids(self.id),
            name=self.name.to_db() if self.name else None,
            tags=tuple(self.tags) if self.tags is not None else None,
        )


@strawberry.input
class JobRunFilter:
    id: IDFilter | None = None
    status: list[RunStatus] | None = None
    created_at: DateTimeFilter | None = None

    def to_db(self) -> w.JobRunCriteria:
        return w.JobRunCriteria(
            id=_ids(self.id),
            status=_names(self.status),
            created_at=self.created_at.to_db() if self.created_at else None,
        )


@strawberry.input
class WorkflowRunFilter:
    id: IDFilter | None = None
    workflow_id: IDFilter | None = None
    job_run_id: IDFilter | None = None
    status: list[RunStatus] | None = None
    created_at: DateTimeFilter | None = None

    def to_db(self) -> w.WorkflowRunCriteria:
        return w.WorkflowRunCriteria(
            id=_ids(self.id),
            workflow_id=_ids(self.workflow_id),
            job_run_id=_ids(self.job_run_id),
            status=_names(self.status),
            created_at=self.created_at.to_db() if self.created_at else None,
        )


@strawberry.input(description="Fields AND together.")
class ArtifactFilter:
    id: IDFilter | None = None
    key: KeyFilter | None = None
    type: list[ArtifactType] | None = None
    category: StringFilter | None = None
    mime_type: StringFilter | None = None
    display_name: StringFilter | None = None
    status: list[ArtifactStatus] | None = strawberry.field(
        default=None, description="Default: [AVAILABLE]."
    )
    workflow_id: IDFilter | None = None
    workflow_run_id: IDFilter | None = None
    job_run_id: IDFilter | None = None
    created_at: DateTimeFilter | None = None
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


@strawberry.input
class CreateWorkflowInput:
    name: str
    description: str | None = None
    tags: list[str] | None = None


@strawberry.input
class CreateJobRunInput:
    name: str | None = None
    status: RunStatus = RunStatus.RUNNING
    metadata: JSON | None = None


@strawberry.input
class CreateWorkflowRunInput:
    workflow_id: strawberry.ID
    job_run_id: strawberry.ID | None = None
    name: str | None = None
    status: RunStatus = RunStatus.RUNNING
    parameters: JSON | None = None


@strawberry.input(description="What every way of publishing shares.")
class ArtifactInput:
    workflow_run_id: strawberry.ID | None = strawberry.field(
        default=None, description="Optional: artifacts may live outside a run."
    )
    key: str | None = None
    type: ArtifactType
    category: str | None = None
    display_name: str
    description: str | None = None
    mime_type: str | None = None
    metadata: JSON | None = None
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="The same key again returns the first result instead of a new artifact.",
    )

    def to_spec(self) -> ArtifactSpec:
        """What the publishing service checks (as the filters have ``to_db()``): every
        field of ArtifactSpec is the input field of the same name."""
        given = {f.name: getattr(self, f.name) for f in fields(ArtifactSpec) if f.name != "type"}
        return ArtifactSpec(type=self.type.value, **given)
