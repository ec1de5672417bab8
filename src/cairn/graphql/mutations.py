"""Mutation root for workflows and runs (artifact mutations live in artifact_mutations.py)."""

from __future__ import annotations

import strawberry

from cairn.auth import SCOPE_WRITE
from cairn.graphql.context import Info
from cairn.graphql.enums import RunStatus
from cairn.graphql.inputs import CreateJobRunInput, CreateWorkflowInput, CreateWorkflowRunInput
from cairn.graphql.types import JobRun, Workflow, WorkflowRun
from cairn.services.catalog import Catalog


def _catalog(info: Info) -> tuple[Catalog, str]:
    principal = info.context.require(SCOPE_WRITE)
    return Catalog(info.context.db), principal.org_id


@strawberry.type
class RunMutation:
    @strawberry.mutation(description="Idempotent on name: returns the existing one.")
    async def create_workflow(self, info: Info, input: CreateWorkflowInput) -> Workflow:
        catalog, org = _catalog(info)
        row = await catalog.create_workflow(org, input.name, input.description, input.tags)
        return Workflow.from_row(row)

    @strawberry.mutation
    async def create_job_run(self, info: Info, input: CreateJobRunInput) -> JobRun:
        catalog, org = _catalog(info)
        row = await catalog.create_job_run(org, input.name, input.status.value, input.metadata)
        return JobRun.from_row(row)

    @strawberry.mutation
    async def set_job_run_status(self, info: Info, id: strawberry.ID, status: RunStatus) -> JobRun:
        catalog, org = _catalog(info)
        return JobRun.from_row(await catalog.set_job_run_status(org, id, status.value))

    @strawberry.mutation
    async def create_workflow_run(self, info: Info, input: CreateWorkflowRunInput) -> WorkflowRun:
        catalog, org = _catalog(info)
        row = await catalog.create_workflow_run(
            org,
            input.workflow_id,
            input.job_run_id,
            input.name,
            input.status.value,
            input.parameters,
        )
        return WorkflowRun.from_row(row)

    @strawberry.mutation
    async def set_workflow_run_status(
        self, info: Info, id: strawberry.ID, status: RunStatus
    ) -> WorkflowRun:
        catalog, org = _catalog(info)
        return WorkflowRun.from_row(await catalog.set_workflow_run_status(org, id, status.value))
