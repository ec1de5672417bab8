"""Workflows, job runs and workflow runs made through GraphQL, with the fields tests read back."""

from __future__ import annotations

from typing import Any

from tests.support.http import Client

WF_FIELDS = "id name description tags createdAt updatedAt"
RUN_FIELDS = "id name status parameters createdAt startedAt endedAt"
JOB_FIELDS = "id name status metadata createdAt startedAt endedAt"


def create_workflow(client: Client, name: str, **extra: Any) -> dict[str, Any]:
    data = client(
        f"mutation($i: CreateWorkflowInput!) {{ createWorkflow(input: $i) {{ {WF_FIELDS} }} }}",
        {"i": {"name": name, **extra}},
    )
    return dict(data["createWorkflow"])


def create_job(client: Client, **values: Any) -> dict[str, Any]:
    data = client(
        f"mutation($i: CreateJobRunInput!) {{ createJobRun(input: $i) {{ {JOB_FIELDS} }} }}",
        {"i": values},
    )
    return dict(data["createJobRun"])


def create_run(client: Client, workflow_id: str, **values: Any) -> dict[str, Any]:
    data = client(
        "mutation($i: CreateWorkflowRunInput!) { createWorkflowRun(input: $i) "
        f"{{ {RUN_FIELDS} workflow {{ id }} jobRun {{ id }} }} }}",
        {"i": {"workflowId": workflow_id, **values}},
    )
    return dict(data["createWorkflowRun"])
