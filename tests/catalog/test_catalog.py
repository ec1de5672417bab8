"""Workflows, job runs and workflow runs through GraphQL: writes, reads, filters, links."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from tests.support.catalog import (
    JOB_FIELDS,
    RUN_FIELDS,
    WF_FIELDS,
    create_job,
    create_run,
    create_workflow,
)
from tests.support.http import Client
from tests.support.stack import Stack, fetch


def ts(value: str) -> datetime:
    return datetime.fromisoformat(value)


def ids(connection: dict[str, Any]) -> list[str]:
    return [node["id"] for node in connection["nodes"]]


# -- workflows ----------------------------------------------------------------------


def test_create_workflow_returns_every_field(client: Client, stack: Stack) -> None:
    wf = create_workflow(client, "etl", description="nightly *load*", tags=["a", "b", "a"])
    assert wf["name"] == "etl"
    assert wf["description"] == "nightly *load*"
    assert wf["tags"] == ["a", "b"]
    assert wf["createdAt"] == wf["updatedAt"]
    assert ts(wf["createdAt"]).utcoffset() is not None
    row = fetch(stack.owner_dsn, "SELECT org_id, name FROM workflows WHERE id = $1", wf["id"])
    assert [(r["org_id"], r["name"]) for r in row] == [(client.org_id, "etl")]


def test_create_workflow_is_idempotent_on_name(client: Client) -> None:
    first = create_workflow(client, "same", description="first", tags=["x"])
    again = create_workflow(client, "same", description="second", tags=["y"])
    assert again == first  # the existing workflow, unchanged
    trimmed = create_workflow(client, "  same  ")
    assert trimmed["id"] == first["id"]
    assert client("{ workflows { totalCount } }") == {"workflows": {"totalCount": 1}}


def test_concurrent_creates_of_one_name_return_one_workflow(client: Client) -> None:
    with ThreadPoolExecutor(10) as pool:
        made = list(pool.map(lambda _: create_workflow(client, "racy")["id"], range(10)))
    assert len(set(made)) == 1
    assert client("{ workflows { totalCount nodes { id } } }") == {
        "workflows": {"totalCount": 1, "nodes": [{"id": made[0]}]}
    }


def test_workflow_and_workflow_by_name(client: Client) -> None:
    wf = create_workflow(client, "find-me", tags=["t"])
    by_id = client(f'{{ workflow(id: "{wf["id"]}") {{ {WF_FIELDS} }} }}')
    by_name = client(f'{{ workflowByName(name: "find-me") {{ {WF_FIELDS} }} }}')
    assert by_id == {"workflow": wf}
    assert by_name == {"workflowByName": wf}
    assert client('{ workflowByName(name: "find") { id } }') == {"workflowByName": None}
    assert client('{ workflowByName(name: "FIND-ME") { id } }') == {"workflowByName": None}


def test_workflow_filters(client: Client) -> None:
    alpha = create_workflow(client, "alpha-load", tags=["nightly", "etl"])
    beta = create_workflow(client, "beta-Load", tags=["etl"])
    gamma = create_workflow(client, "gamma", tags=[])

    def names(filter_: dict[str, Any]) -> list[str]:
        data = client(
            "query($f: WorkflowFilter) { workflows(filter: $f) { totalCount nodes { name } } }",
            {"f": filter_},
        )["workflows"]
        assert data["totalCount"] == len(data["nodes"])
        return [n["name"] for n in data["nodes"]]

    assert names({}) == ["gamma", "beta-Load", "alpha-load"]  # newest first
    assert names({"id": {"eq": beta["id"]}}) == ["beta-Load"]
    assert names({"id": {"in": [alpha["id"], gamma["id"]]}}) == ["gamma", "alpha-load"]
    assert names({"id": {"in": []}}) == []
    assert names({"name": {"eq": "gamma"}}) == ["gamma"]
    assert names({"name": {"in": ["gamma", "alpha-load", "nope"]}}) == ["gamma", "alpha-load"]
    assert names({"name": {"contains": "load"}}) == ["beta-Load", "alpha-load"]  # any case
    assert names({"name": {"contains": "%"}}) == []  # no LIKE wildcards
    assert names({"name": {"startsWith": "al"}}) == ["alpha-load"]
    assert names({"name": {"startsWith": "_"}}) == []
    assert names({"tags": ["etl"]}) == ["beta-Load", "alpha-load"]
    assert names({"tags": ["etl", "nightly"]}) == ["alpha-load"]
    assert names({"tags": ["etl", "weekly"]}) == []
    assert names({"tags": []}) == ["gamma", "beta-Load", "alpha-load"]
    assert names({"name": {"contains": "load"}, "tags": ["nightly"]}) == ["alpha-load"]


# -- job runs -------------------------------------------------------------------------


def test_create_job_run_defaults(client: Client) -> None:
    job = create_job(client)
    assert job["name"] is None
    assert job["status"] == "RUNNING"
    assert job["metadata"] == {}
    assert job["startedAt"] is not None
    assert ts(job["startedAt"]) >= ts(job["createdAt"])
    assert job["endedAt"] is None


def test_create_job_run_with_values(client: Client) -> None:
    meta = {"git": {"sha": "abc"}, "n": [1, 2.5, None, True], "s": "ü"}
    job = create_job(client, name="nightly", status="PENDING", metadata=meta)
    assert (job["name"], job["status"], job["metadata"]) == ("nightly", "PENDING", meta)
    assert job["startedAt"] is None
    assert job["endedAt"] is None
    done = create_job(client, status="COMPLETED")
    assert done["startedAt"] is None
    assert done["endedAt"] is not None


def test_set_job_run_status_stamps_times(client: Client) -> None:
    job = create_job(client, status="PENDING")
    q = f"mutation($id: ID!, $s: RunStatus!) {{ setJobRunStatus(id: $id, status: $s) {{ {JOB_FIELDS} }} }}"
    running = client(q, {"id": job["id"], "s": "RUNNING"})["setJobRunStatus"]
    assert running["status"] == "RUNNING"
    assert running["startedAt"] is not None
    assert running["endedAt"] is None
    again = client(q, {"id": job["id"], "s": "RUNNING"})["setJobRunStatus"]
    assert again["startedAt"] == running["startedAt"]  # first start is kept
    done = client(q, {"id": job["id"], "s": "COMPLETED"})["setJobRunStatus"]
    assert done["status"] == "COMPLETED"
    assert done["startedAt"] == running["startedAt"]
    assert ts(done["endedAt"]) >= ts(done["startedAt"])
    read = client(f'{{ jobRun(id: "{job["id"]}") {{ {JOB_FIELDS} }} }}')
    assert read == {"jobRun": done}


def test_job_run_filters(client: Client) -> None:
    first = create_job(client, name="one", status="PENDING")
    second = create_job(client, name="two", status="RUNNING")
    third = create_job(client, name="three", status="FAILED")

    def names(filter_: dict[str, Any]) -> list[str]:
        data = client(
            "query($f: JobRunFilter) { jobRuns(filter: $f) { totalCount nodes { name } } }",
            {"f": filter_},
        )["jobRuns"]
        assert data["totalCount"] == len(data["nodes"])
        return [n["name"] for n in data["nodes"]]

    assert names({}) == ["three", "two", "one"]
    assert names({"id": {"eq": second["id"]}}) == ["two"]
    assert names({"id": {"in": [first["id"], third["id"]]}}) == ["three", "one"]
    assert names({"status": ["PENDING", "FAILED"]}) == ["three", "one"]
    assert names({"status": []}) == []
    # createdAt bounds are inclusive.
    assert names({"createdAt": {"after": second["createdAt"]}}) == ["three", "two"]
    assert names({"createdAt": {"before": second["createdAt"]}}) == ["two", "one"]
    assert names({"createdAt": {"after": second["createdAt"], "before": second["createdAt"]}}) == [
        "two"
    ]
    assert names({"createdAt": {"after": "2999-01-01T00:00:00Z"}}) == []


# -- workflow runs -----------------------------------------------------------------


def test_create_workflow_run_defaults_and_links(client: Client) -> None:
    wf = create_workflow(client, "wf")
    job = create_job(client)
    run = create_run(client, wf["id"], jobRunId=job["id"], name="r1", parameters={"p": 1})
    assert run["status"] == "RUNNING"
    assert run["name"] == "r1"
    assert run["parameters"] == {"p": 1}
    assert run["startedAt"] is not None
    assert run["endedAt"] is None
    assert run["workflow"] == {"id": wf["id"]}
    assert run["jobRun"] == {"id": job["id"]}
    bare = create_run(client, wf["id"], status="PENDING")
    assert (bare["jobRun"], bare["parameters"], bare["startedAt"]) == (None, {}, None)


def test_set_workflow_run_status_stamps_times(client: Client) -> None:
    wf = create_workflow(client, "wf")
    q = (
        "mutation($id: ID!, $s: RunStatus!) { setWorkflowRunStatus(id: $id, status: $s) "
        f"{{ {RUN_FIELDS} }} }}"
    )
    for final in ("COMPLETED", "FAILED", "CANCELLED"):
        run = create_run(client, wf["id"], status="PENDING")
        assert run["startedAt"] is None
        running = client(q, {"id": run["id"], "s": "RUNNING"})["setWorkflowRunStatus"]
        assert running["startedAt"] is not None
        assert running["endedAt"] is None
        ended = client(q, {"id": run["id"], "s": final})["setWorkflowRunStatus"]
        assert ended["status"] == final
        assert ended["startedAt"] == running["startedAt"]
        assert ts(ended["endedAt"]) >= ts(ended["startedAt"])
        read = client(f'{{ workflowRun(id: "{run["id"]}") {{ {RUN_FIELDS} }} }}')
        assert read == {"workflowRun": ended}


def test_rerunning_a_finished_run_clears_its_end(client: Client) -> None:
    wf = create_workflow(client, "wf")
    run = create_run(client, wf["id"], status="FAILED")
    assert run["endedAt"] is not None
    q = "mutation($id: ID!) { setWorkflowRunStatus(id: $id, status: RUNNING) { status startedAt endedAt } }"
    again = client(q, {"id": run["id"]})["setWorkflowRunStatus"]
    assert again["status"] == "RUNNING"
    assert again["startedAt"] is not None
    assert again["endedAt"] is None


def test_workflow_run_filters(client: Client) -> None:
    wf_a = create_workflow(client, "a")
    wf_b = create_workflow(client, "b")
    job = create_job(client)
    r1 = create_run(client, wf_a["id"], name="r1", jobRunId=job["id"])
    r2 = create_run(client, wf_b["id"], name="r2", status="COMPLETED")
    r3 = create_run(client, wf_a["id"], name="r3", status="FAILED", jobRunId=job["id"])

    def names(filter_: dict[str, Any]) -> list[str]:
        data = client(
            "query($f: WorkflowRunFilter) { workflowRuns(filter: $f) "
            "{ totalCount nodes { name } } }",
            {"f": filter_},
        )["workflowRuns"]
        assert data["totalCount"] == len(data["nodes"])
        return [n["name"] for n in data["nodes"]]

    assert names({}) == ["r3", "r2", "r1"]
    assert names({"id": {"eq": r2["id"]}}) == ["r2"]
    assert names({"id": {"in": [r1["id"], r2["id"]]}}) == ["r2", "r1"]
    assert names({"workflowId": {"eq": wf_a["id"]}}) == ["r3", "r1"]
    assert names({"workflowId": {"in": [wf_b["id"]]}}) == ["r2"]
    assert names({"jobRunId": {"eq": job["id"]}}) == ["r3", "r1"]
    assert names({"status": ["COMPLETED", "FAILED"]}) == ["r3", "r2"]
    assert names({"workflowId": {"eq": wf_a["id"]}, "status": ["RUNNING"]}) == ["r1"]
    assert names({"createdAt": {"after": r2["createdAt"]}}) == ["r3", "r2"]
    assert names({"createdAt": {"before": r1["createdAt"]}}) == ["r1"]
    assert r3["status"] == "FAILED"


# -- relationships --------------------------------------------------------------------


def test_relationships_in_both_directions(client: Client) -> None:
    wf = create_workflow(client, "wf")
    other = create_workflow(client, "other")
    job = create_job(client, name="job")
    r1 = create_run(client, wf["id"], jobRunId=job["id"], name="r1")
    r2 = create_run(client, wf["id"], name="r2", status="COMPLETED")
    r3 = create_run(client, other["id"], jobRunId=job["id"], name="r3")

    data = client(
        "query($w: ID!, $j: ID!) {"
        " workflow(id: $w) { runs { totalCount nodes { name workflow { name } jobRun { name } } }"
        "   completed: runs(filter: {status: [COMPLETED]}) { totalCount nodes { name } } }"
        " jobRun(id: $j) { workflowRuns { totalCount nodes { name workflow { name } } }"
        "   onlyOther: workflowRuns(filter: {workflowId: {eq: $w}}) { nodes { name } } } }",
        {"w": wf["id"], "j": job["id"]},
    )
    assert data["workflow"]["runs"] == {
        "totalCount": 2,
        "nodes": [
            {"name": "r2", "workflow": {"name": "wf"}, "jobRun": None},
            {"name": "r1", "workflow": {"name": "wf"}, "jobRun": {"name": "job"}},
        ],
    }
    assert data["workflow"]["completed"] == {"totalCount": 1, "nodes": [{"name": "r2"}]}
    assert data["jobRun"]["workflowRuns"] == {
        "totalCount": 2,
        "nodes": [
            {"name": "r3", "workflow": {"name": "other"}},
            {"name": "r1", "workflow": {"name": "wf"}},
        ],
    }
    assert data["jobRun"]["onlyOther"] == {"nodes": [{"name": "r1"}]}
    listing = client("{ workflowRuns { nodes { id workflow { id } jobRun { id } } } }")[
        "workflowRuns"
    ]["nodes"]
    assert listing == [
        {"id": r3["id"], "workflow": {"id": other["id"]}, "jobRun": {"id": job["id"]}},
        {"id": r2["id"], "workflow": {"id": wf["id"]}, "jobRun": None},
        {"id": r1["id"], "workflow": {"id": wf["id"]}, "jobRun": {"id": job["id"]}},
    ]
