"""Mutations of workflows and runs (artifact mutations live in artifact_mutations.py)."""

from __future__ import annotations

import strawberry

from cairn.auth import SCOPE_WRITE
from cairn.graphql.context import Info
from cairn.graphql.enums import RunStatus
from cairn.graphql.inputs import CreateJobRunInput, CreateWorkflowInput, CreateWorkflowRunInput
from cairn.graphql.types import JobRun, Workflow, WorkflowRun
from cairn.services.catalog import Catalog


def _catalog(info: Info) -> Catalog:
    return info.context.service(Catalog, SCOPE_WRITE)


@strawberry.type
class RunMutation:
    @strawberry.mutation(description="Idempotent on name: returns the existing one.")
    async def create_workflow(self, info: Info, input: CreateWorkflowInput) -> Workflow:
        row = await _catalog(info).create_workflow(input.name, input.description, input.tags)
        return Workflow.from_row(row)

    @strawberry.mutation
    async def create_job_run(self, info: Info, input: CreateJobRunInput) -> JobRun:
        row = await _catalog(info).create_job_run(input.name, input.status.value, input.metadata)
        return JobRun.from_row(row)

    @strawberry.mutation
    async def set_job_run_status(self, info: Info, id: strawberry.ID, status: RunStatus) -> JobRun:
        return JobRun.from_row(await _catalog(info).set_job_run_status(id, status.value))

    @strawberry.mutation
    async def create_workflow_run(self, info: Info, input: CreateWorkflowRunInput) -> WorkflowRun:
        row = await _catalog(info).create_workflow_run(
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
        return WorkflowRun.from_row(await _catalog(info).set_workflow_run_status(id, status.value))


MUTATION_TYPES: tuple[type, ...] = (RunMutation,)
