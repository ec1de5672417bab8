"""Query root: thin resolvers over the DataLoaders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar
from uuid import UUID

import strawberry
from strawberry.dataloader import DataLoader

from cairn.auth import SCOPE_READ
from cairn.db.listing import Table
from cairn.db.where import Criteria, JobRunCriteria, WorkflowCriteria, WorkflowRunCriteria
from cairn.graphql import audit as audit_fields
from cairn.graphql import node as node_fields
from cairn.graphql.arguments import After, Artifacts, First, JobRuns, Sort, WorkflowRuns, Workflows
from cairn.graphql.context import Info
from cairn.graphql.enums import ArtifactSort
from cairn.graphql.inputs import artifact_criteria
from cairn.graphql.loaders import Loaders
from cairn.graphql.pagination import Connection, add_backward_arguments, page_request
from cairn.graphql.types import (
    Artifact,
    JobRun,
    Viewer,
    Workflow,
    WorkflowRun,
    artifact_connection,
    run_connection,
)
from cairn.graphql.usage import StorageUsage, storage_usage
from cairn.services.validation import uuid_or_none

RowT = TypeVar("RowT")
NodeId = Annotated[strawberry.ID, strawberry.argument(description="The id to look up.")]
NodeT = TypeVar("NodeT")


async def _node(
    info: Info,
    ident: str,
    loader: Callable[[Loaders], DataLoader[UUID, RowT | None]],
    to_node: Callable[[RowT], NodeT],
) -> NodeT | None:
    """One row by id through its loader: None for an unknown, malformed or other
    organization's id."""
    info.context.require(SCOPE_READ)
    uuid = uuid_or_none(ident)
    row = None if uuid is None else await loader(info.context.loaders).load(uuid)
    return None if row is None else to_node(row)


def _list(
    info: Info,
    table: Table,
    criteria: Criteria,
    first: int | None,
    after: str | None,
    to_node: Callable[[Any], NodeT],
) -> Connection[NodeT]:
    info.context.require(SCOPE_READ)
    request = page_request(table, criteria, first=first, after=after)
    return Connection(request=request, parent=None, to_node=to_node)


@strawberry.type(
    description=(
        "Reads. Every field needs the artifacts:read scope (auditEvents: audit:read; "
        "FORBIDDEN without it) and sees "
        "only the token's organization: another organization's id behaves as an unknown one."
    )
)
class Query:
    @strawberry.field(description="The caller, as its token describes it.")
    def viewer(self, info: Info) -> Viewer:
        principal = info.context.require(SCOPE_READ)
        return Viewer(
            subject=principal.subject,
            organization_id=principal.org_id,
            scopes=sorted(principal.scopes),
        )

    @strawberry.field(
        description="A workflow by id; null if it is unknown, not a UUID, or another organization's."
    )
    async def workflow(self, info: Info, id: NodeId) -> Workflow | None:
        return await _node(info, id, lambda loaders: loaders.workflows, Workflow.from_row)

    @strawberry.field(description="A workflow by its exact name; null if there is none.")
    async def workflow_by_name(
        self,
        info: Info,
        name: Annotated[str, strawberry.argument(description="The exact, case-sensitive name.")],
    ) -> Workflow | None:
        info.context.require(SCOPE_READ)
        row = await info.context.loaders.workflow_by_name.load(name)
        return None if row is None else Workflow.from_row(row)

    @strawberry.field(description="Workflows, newest first.")
    def workflows(
        self,
        info: Info,
        filter: Workflows = None,
        first: First = 50,
        after: After = None,
    ) -> Connection[Workflow]:
        criteria = filter.to_db() if filter else WorkflowCriteria()
        return _list(info, "workflows", criteria, first, after, Workflow.from_row)

    @strawberry.field(
        description="A job run by id; null if it is unknown, not a UUID, or another organization's."
    )
    async def job_run(self, info: Info, id: NodeId) -> JobRun | None:
        return await _node(info, id, lambda loaders: loaders.job_runs, JobRun.from_row)

    @strawberry.field(description="Job runs, newest first.")
    def job_runs(
        self,
        info: Info,
        filter: JobRuns = None,
        first: First = 50,
        after: After = None,
    ) -> Connection[JobRun]:
        criteria = filter.to_db() if filter else JobRunCriteria()
        return _list(info, "job_runs", criteria, first, after, JobRun.from_row)

    @strawberry.field(
        description="A workflow run by id; null if it is unknown, not a UUID, or another organization's."
    )
    async def workflow_run(self, info: Info, id: NodeId) -> WorkflowRun | None:
        return await _node(info, id, lambda loaders: loaders.workflow_runs, WorkflowRun.from_row)

    @strawberry.field(description="Workflow runs of every workflow, newest first.")
    def workflow_runs(
        self,
        info: Info,
        filter: WorkflowRuns = None,
        first: First = 50,
        after: After = None,
    ) -> Connection[WorkflowRun]:
        info.context.require(SCOPE_READ)
        criteria = filter.to_db() if filter else WorkflowRunCriteria()
        return run_connection(criteria, first, after)

    @strawberry.field(
        description=(
            "An artifact by id, in any status (PENDING and FAILED too); null if it is unknown, not a UUID, or another organization's."
        )
    )
    async def artifact(self, info: Info, id: NodeId) -> Artifact | None:
        return await _node(info, id, lambda loaders: loaders.artifacts, Artifact.from_row)

    @strawberry.field(
        description="Artifacts of every run and of none; AVAILABLE ones unless filter.status."
    )
    def artifacts(
        self,
        info: Info,
        filter: Artifacts = None,
        sort: Sort = ArtifactSort.CREATED_DESC,
        first: First = 50,
        after: After = None,
    ) -> Connection[Artifact]:
        info.context.require(SCOPE_READ)
        return artifact_connection(artifact_criteria(filter), sort, first, after)

    @strawberry.field(
        description=(
            "The newest AVAILABLE version of each key; artifacts without a key are not listed."
        )
    )
    def latest_artifacts(
        self,
        info: Info,
        filter: Artifacts = None,
        sort: Sort = ArtifactSort.CREATED_DESC,
        first: First = 50,
        after: After = None,
    ) -> Connection[Artifact]:
        info.context.require(SCOPE_READ)
        return artifact_connection(artifact_criteria(filter, latest_only=True), sort, first, after)

    node = node_fields.node
    nodes = node_fields.nodes
    audit_events = audit_fields.audit_events_field

    storage_usage: StorageUsage = strawberry.field(
        resolver=storage_usage,
        description=(
            "What the caller's organization stores: artifactCount, totalBytes, byType and "
            "byWorkflow, from counters kept at publish and delete."
        ),
    )


add_backward_arguments(Query)
