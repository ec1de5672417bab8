"""Two organizations: each sees only its own rows, through every query, mutation and
relationship; the other's ids behave exactly like ids that do not exist."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import pytest

from tests.conftest import Client, Stack, fetch
from tests.test_foundation_catalog import create_job, create_run, create_workflow


@dataclass
class Tree:
    client: Client
    workflow: str
    job: str
    run: str
    name: str


def _tree(client: Client, name: str) -> Tree:
    wf = create_workflow(client, name, tags=["shared-tag"])
    job = create_job(client, name=name)
    run = create_run(client, wf["id"], jobRunId=job["id"], name=name)
    return Tree(client, wf["id"], job["id"], run["id"], name)


@pytest.fixture
def trees(client: Client, other: Client) -> tuple[Tree, Tree]:
    return _tree(client, "shared-name"), _tree(other, "shared-name")


def _without_ids(error: dict[str, Any], *ids: str) -> dict[str, Any]:
    message = error["message"]
    for ident in ids:
        message = message.replace(ident, "<id>")
    return {"message": message, "code": error["extensions"]["code"], "path": error["path"]}


def test_same_name_is_a_different_workflow_per_org(trees: tuple[Tree, Tree]) -> None:
    a, b = trees
    assert a.workflow != b.workflow
    again = create_workflow(a.client, "shared-name")
    assert again["id"] == a.workflow
    assert a.client('{ workflowByName(name: "shared-name") { id } }') == {
        "workflowByName": {"id": a.workflow}
    }


def test_lists_show_only_own_rows(trees: tuple[Tree, Tree]) -> None:
    a, b = trees
    data = a.client(
        "{ workflows { totalCount nodes { id runs { totalCount nodes { id } } } }"
        "  jobRuns { totalCount nodes { id workflowRuns { totalCount nodes { id } } } }"
        "  workflowRuns { totalCount nodes { id workflow { id } jobRun { id } } } }"
    )
    assert data == {
        "workflows": {
            "totalCount": 1,
            "nodes": [{"id": a.workflow, "runs": {"totalCount": 1, "nodes": [{"id": a.run}]}}],
        },
        "jobRuns": {
            "totalCount": 1,
            "nodes": [{"id": a.job, "workflowRuns": {"totalCount": 1, "nodes": [{"id": a.run}]}}],
        },
        "workflowRuns": {
            "totalCount": 1,
            "nodes": [{"id": a.run, "workflow": {"id": a.workflow}, "jobRun": {"id": a.job}}],
        },
    }
    assert b.client("{ workflows { nodes { id } } }") == {
        "workflows": {"nodes": [{"id": b.workflow}]}
    }


def test_the_other_orgs_ids_are_null_from_queries(trees: tuple[Tree, Tree]) -> None:
    a, b = trees
    data = a.client(
        "query($w: ID!, $j: ID!, $r: ID!) { workflow(id: $w) { id } jobRun(id: $j) { id }"
        " workflowRun(id: $r) { id } }",
        {"w": b.workflow, "j": b.job, "r": b.run},
    )
    assert data == {"workflow": None, "jobRun": None, "workflowRun": None}


@pytest.mark.parametrize(
    ("field", "filter_"),
    [
        ("workflows", {"id": {"eq": "B_WORKFLOW"}}),
        ("workflows", {"id": {"in": ["B_WORKFLOW"]}}),
        ("workflows", {"tags": ["shared-tag"], "name": {"eq": "shared-name"}}),
        ("jobRuns", {"id": {"eq": "B_JOB"}}),
        ("workflowRuns", {"id": {"eq": "B_RUN"}}),
        ("workflowRuns", {"workflowId": {"eq": "B_WORKFLOW"}}),
        ("workflowRuns", {"jobRunId": {"in": ["B_JOB"]}}),
    ],
)
def test_filters_on_the_other_orgs_ids_find_nothing(
    trees: tuple[Tree, Tree], field: str, filter_: dict[str, Any]
) -> None:
    a, b = trees
    text = (
        json.dumps(filter_)
        .replace("B_WORKFLOW", b.workflow)
        .replace("B_JOB", b.job)
        .replace("B_RUN", b.run)
    )
    resolved = json.loads(text)
    type_name = {"workflows": "WorkflowFilter", "jobRuns": "JobRunFilter"}.get(
        field, "WorkflowRunFilter"
    )
    data = a.client(
        f"query($f: {type_name}) {{ {field}(filter: $f) {{ totalCount nodes {{ id }} }} }}",
        {"f": resolved},
    )
    own = field == "workflows" and "tags" in filter_
    expected = [{"id": a.workflow}] if own else []
    assert data == {field: {"totalCount": len(expected), "nodes": expected}}


def test_status_change_of_the_other_orgs_run_is_not_found_and_changes_nothing(
    stack: Stack, trees: tuple[Tree, Tree]
) -> None:
    a, b = trees
    absent = str(uuid.uuid4())
    for mutation, target in (
        ("setWorkflowRunStatus", b.run),
        ("setJobRunStatus", b.job),
    ):
        query = f"mutation($id: ID!) {{ {mutation}(id: $id, status: CANCELLED) {{ id }} }}"
        theirs = a.client.errors(query, {"id": target}).errors[0]
        missing = a.client.errors(query, {"id": absent}).errors[0]
        assert theirs["extensions"]["code"] == "NOT_FOUND"
        assert _without_ids(theirs, target) == _without_ids(missing, absent)
    run = fetch(stack.owner_dsn, "SELECT status, ended_at FROM workflow_runs WHERE id = $1", b.run)
    job = fetch(stack.owner_dsn, "SELECT status, ended_at FROM job_runs WHERE id = $1", b.job)
    assert [tuple(r.values()) for r in run] == [("RUNNING", None)]
    assert [tuple(r.values()) for r in job] == [("RUNNING", None)]
    assert b.client(f'{{ workflowRun(id: "{b.run}") {{ status endedAt }} }}') == {
        "workflowRun": {"status": "RUNNING", "endedAt": None}
    }


def test_creating_a_run_on_the_other_orgs_rows_is_not_found(
    stack: Stack, trees: tuple[Tree, Tree]
) -> None:
    a, b = trees
    absent = str(uuid.uuid4())
    query = "mutation($i: CreateWorkflowRunInput!) { createWorkflowRun(input: $i) { id } }"
    cases = [
        ({"workflowId": b.workflow}, {"workflowId": absent}),
        (
            {"workflowId": a.workflow, "jobRunId": b.job},
            {"workflowId": a.workflow, "jobRunId": absent},
        ),
    ]
    for theirs, missing in cases:
        their_error = a.client.errors(query, {"i": theirs}).errors[0]
        missing_error = a.client.errors(query, {"i": missing}).errors[0]
        assert their_error["extensions"]["code"] == "NOT_FOUND"
        assert _without_ids(their_error) == _without_ids(missing_error)
    counts = fetch(
        stack.owner_dsn,
        "SELECT org_id, count(*) AS n FROM workflow_runs WHERE org_id = ANY($1::text[]) "
        "GROUP BY org_id ORDER BY org_id",
        [a.client.org_id, b.client.org_id],
    )
    assert sorted(r["n"] for r in counts) == [1, 1]


def test_relationships_never_cross_orgs(trees: tuple[Tree, Tree]) -> None:
    a, b = trees
    # B's runs hang off B's workflow and job; from A, following A's rows never reaches them.
    data = a.client(
        "query($w: ID!, $j: ID!) { workflow(id: $w) { runs { nodes { id } } }"
        " jobRun(id: $j) { workflowRuns { nodes { id } } } }",
        {"w": a.workflow, "j": a.job},
    )
    assert data == {
        "workflow": {"runs": {"nodes": [{"id": a.run}]}},
        "jobRun": {"workflowRuns": {"nodes": [{"id": a.run}]}},
    }
    b_view = b.client(
        "query($r: ID!) { workflowRun(id: $r) { workflow { id } jobRun { id } } }", {"r": b.run}
    )
    assert b_view == {"workflowRun": {"workflow": {"id": b.workflow}, "jobRun": {"id": b.job}}}
