"""Mutations of workflows and runs (artifact mutations live in artifact_mutations.py)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from cairn.auth import SCOPE_WRITE
from cairn.graphql.context import Info
from cairn.graphql.enums import RunStatus
from cairn.graphql.inputs import CreateJobRunInput, CreateWorkflowInput, CreateWorkflowRunInput
from cairn.graphql.types import JobRun, Workflow, WorkflowRun
from cairn.services.catalog import Catalog

JobRunId = Annotated[strawberry.ID, strawberry.argument(description="The job run's id.")]
RunId = Annotated[strawberry.ID, strawberry.argument(description="The workflow run's id.")]
NewStatus = Annotated[RunStatus, strawberry.argument(description="The status to set.")]


def _catalog(info: Info) -> Catalog:
    return info.context.service(Catalog, SCOPE_WRITE)


@strawberry.type
class RunMutation:
    @strawberry.mutation(
        description=(
            "Creates a workflow. Idempotent on name: returns the existing one, unchanged. "
            "Needs artifacts:write. BAD_USER_INPUT for an empty or too long name, "
            "description or tag, more than 50 tags, or retentionDays outside 0-36500."
        )
    )
    async def create_workflow(
        self,
        info: Info,
        input: Annotated[
            CreateWorkflowInput, strawberry.argument(description="The workflow to create.")
        ],
    ) -> Workflow:
        row = await _catalog(info).create_workflow(
            input.name, input.description, input.tags, input.retention_days
        )
        return Workflow.from_row(row)

    @strawberry.mutation(
        description=(
            "Creates a job run. Needs artifacts:write. BAD_USER_INPUT for a name over 200 "
            "characters or metadata that is not a JSON object of at most 64 KiB."
        )
    )
    async def create_job_run(
        self,
        info: Info,
        input: Annotated[CreateJobRunInput, strawberry.argument(description="The job run.")],
    ) -> JobRun:
        row = await _catalog(info).create_job_run(input.name, input.status.value, input.metadata)
        return JobRun.from_row(row)

    @strawberry.mutation(
        description=(
            "Sets a job run's status: RUNNING stamps startedAt (the first time); COMPLETED, FAILED and CANCELLED stamp endedAt; PENDING or RUNNING clear it. Needs artifacts:write. NOT_FOUND for an "
            "unknown id or another organization's."
        )
    )
    async def set_job_run_status(self, info: Info, id: JobRunId, status: NewStatus) -> JobRun:
        return JobRun.from_row(await _catalog(info).set_job_run_status(id, status.value))

    @strawberry.mutation(
        description=(
            "Creates a run of a workflow, optionally in a job run. Needs artifacts:write. "
            "NOT_FOUND when workflowId or jobRunId is not this organization's; BAD_USER_INPUT "
            "for a name over 200 characters or parameters that are not a JSON object of at "
            "most 64 KiB."
        )
    )
    async def create_workflow_run(
        self,
        info: Info,
        input: Annotated[CreateWorkflowRunInput, strawberry.argument(description="The run.")],
    ) -> WorkflowRun:
        row = await _catalog(info).create_workflow_run(
            input.workflow_id,
            input.job_run_id,
            input.name,
            input.status.value,
            input.parameters,
        )
        return WorkflowRun.from_row(row)

    @strawberry.mutation(
        description=(
            "Sets a workflow run's status: RUNNING stamps startedAt (the first time); COMPLETED, FAILED and CANCELLED stamp endedAt; PENDING or RUNNING clear it. Needs artifacts:write. NOT_FOUND for an "
            "unknown id or another organization's."
        )
    )
    async def set_workflow_run_status(
        self, info: Info, id: RunId, status: NewStatus
    ) -> WorkflowRun:
        return WorkflowRun.from_row(await _catalog(info).set_workflow_run_status(id, status.value))


MUTATION_TYPES: tuple[type, ...] = (RunMutation,)
