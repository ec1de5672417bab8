"""Bad input gets a typed error with a helpful message, never a 500; unknown ids are
``null`` from queries and NOT_FOUND from mutations."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.support.catalog import create_job, create_run, create_workflow
from tests.support.http import Client

ABSENT = str(uuid.uuid4())
MALFORMED = ["nope", "", "1234", "00000000-0000-0000-0000-00000000000g", "' OR 1=1 --"]


def _fail(client: Client, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """The single error of a request that must fail without a 500."""
    response = client.raw(query, variables)
    assert response.status_code in (200, 400), response.text
    body = response.json()
    assert len(body["errors"]) == 1, body
    error = dict(body["errors"][0])
    assert error["extensions"]["code"] != "INTERNAL_SERVER_ERROR", error
    return error


@pytest.mark.parametrize("ident", [ABSENT, *MALFORMED])
@pytest.mark.parametrize("field", ["workflow", "jobRun", "workflowRun"])
def test_unknown_ids_are_null_from_queries(client: Client, field: str, ident: str) -> None:
    assert client(f"query($id: ID!) {{ {field}(id: $id) {{ id }} }}", {"id": ident}) == {
        field: None
    }


@pytest.mark.parametrize("ident", [ABSENT, *MALFORMED])
def test_unknown_ids_are_not_found_from_mutations(client: Client, ident: str) -> None:
    wf = create_workflow(client, "wf")
    cases = {
        "setJobRunStatus": "mutation($id: ID!) { setJobRunStatus(id: $id, status: FAILED) { id } }",
        "setWorkflowRunStatus": (
            "mutation($id: ID!) { setWorkflowRunStatus(id: $id, status: FAILED) { id } }"
        ),
        "createWorkflowRun": (
            "mutation($id: ID!) { createWorkflowRun(input: {workflowId: $id}) { id } }"
        ),
    }
    for name, query in cases.items():
        error = _fail(client, query, {"id": ident})
        assert error["extensions"]["code"] == "NOT_FOUND", (name, error)
        assert error["path"] == [name]
    bad_job = _fail(
        client,
        "mutation($w: ID!, $j: ID!) { createWorkflowRun(input: {workflowId: $w, jobRunId: $j}) { id } }",
        {"w": wf["id"], "j": ident},
    )
    assert bad_job["extensions"]["code"] == "NOT_FOUND"
    assert client("{ workflowRuns { totalCount } }") == {"workflowRuns": {"totalCount": 0}}


def test_not_found_messages_say_what_to_check(client: Client) -> None:
    error = _fail(
        client,
        "mutation($id: ID!) { setWorkflowRunStatus(id: $id, status: FAILED) { id } }",
        {"id": ABSENT},
    )
    assert error["message"] == (
        f"workflow run '{ABSENT}' was not found; check the id (ids are organization-scoped)"
    )


def test_malformed_ids_in_filters_match_nothing(client: Client) -> None:
    create_workflow(client, "wf")
    for filter_ in ({"id": {"eq": "nope"}}, {"id": {"in": ["nope", ""]}}):
        data = client(
            "query($f: WorkflowFilter) { workflows(filter: $f) { totalCount nodes { id } } }",
            {"f": filter_},
        )
        assert data == {"workflows": {"totalCount": 0, "nodes": []}}
    mixed = client(
        "query($f: WorkflowFilter) { workflows(filter: $f) { totalCount } }",
        {"f": {"id": {"in": ["nope", ABSENT]}}},
    )
    assert mixed == {"workflows": {"totalCount": 0}}


def test_wrong_enum_value_as_literal_and_variable(client: Client) -> None:
    job = create_job(client)
    literal = _fail(
        client, f'mutation {{ setJobRunStatus(id: "{job["id"]}", status: DONE) {{ id }} }}'
    )
    assert literal["extensions"]["code"] == "BAD_USER_INPUT"
    assert "DONE" in literal["message"]
    variable = _fail(
        client,
        "mutation($id: ID!, $s: RunStatus!) { setJobRunStatus(id: $id, status: $s) { id } }",
        {"id": job["id"], "s": "DONE"},
    )
    assert variable["extensions"]["code"] == "BAD_USER_INPUT"
    assert "DONE" in variable["message"]
    in_filter = _fail(
        client,
        "query($f: JobRunFilter) { jobRuns(filter: $f) { totalCount } }",
        {"f": {"status": ["running"]}},
    )
    assert in_filter["extensions"]["code"] == "BAD_USER_INPUT"
    in_input = _fail(
        client,
        "mutation($i: CreateJobRunInput!) { createJobRun(input: $i) { id } }",
        {"i": {"status": "STARTED"}},
    )
    assert in_input["extensions"]["code"] == "BAD_USER_INPUT"
    unchanged = client(f'{{ jobRun(id: "{job["id"]}") {{ status }} }}')
    assert unchanged == {"jobRun": {"status": "RUNNING"}}


@pytest.mark.parametrize(
    ("values", "fragment"),
    [
        ({"name": ""}, "'name' must not be empty"),
        ({"name": "   "}, "'name' must not be empty"),
        ({"name": "x" * 201}, "'name' is longer than 200 characters"),
        ({"name": "a\u0000b"}, "'name' must not contain NUL characters"),
        ({"name": "ok", "description": "d" * 10_001}, "'description' is longer than 10000"),
        ({"name": "ok", "tags": [""]}, "'tags' must not be empty"),
        ({"name": "ok", "tags": [str(i) for i in range(51)]}, "at most 50 tags"),
        ({"name": "ok", "tags": ["t" * 101]}, "'tags' is longer than 100 characters"),
    ],
)
def test_bad_workflow_input(client: Client, values: dict[str, Any], fragment: str) -> None:
    error = _fail(
        client,
        "mutation($i: CreateWorkflowInput!) { createWorkflow(input: $i) { id } }",
        {"i": values},
    )
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert fragment in error["message"]
    assert client("{ workflows { totalCount } }") == {"workflows": {"totalCount": 0}}


def test_longest_names_are_accepted(client: Client) -> None:
    wf = create_workflow(client, "x" * 200)
    assert len(wf["name"]) == 200
    job = create_job(client, name="j" * 200)
    assert len(job["name"]) == 200


@pytest.mark.parametrize("metadata", [[1, 2], "text", 5, True])
def test_metadata_and_parameters_must_be_objects(client: Client, metadata: Any) -> None:
    job_error = _fail(
        client,
        "mutation($m: JSON) { createJobRun(input: {metadata: $m}) { id } }",
        {"m": metadata},
    )
    assert job_error["extensions"]["code"] == "BAD_USER_INPUT"
    assert job_error["message"] == '\'metadata\' must be a JSON object, e.g. {"k": "v"}'
    wf = create_workflow(client, "wf")
    run_error = _fail(
        client,
        "mutation($w: ID!, $p: JSON) { createWorkflowRun(input: {workflowId: $w, parameters: $p}) { id } }",
        {"w": wf["id"], "p": metadata},
    )
    assert run_error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "'parameters' must be a JSON object" in run_error["message"]


@pytest.mark.parametrize(
    ("metadata", "fragment"),
    [
        ({"nul": "a\u0000b"}, "NUL"),
        ({"big": 2**70}, "beyond 64 bits"),
        ({"k\u0000": 1}, "NUL"),
    ],
)
def test_metadata_postgres_cannot_store_is_bad_input(
    client: Client, metadata: dict[str, Any], fragment: str
) -> None:
    error = _fail(
        client, "mutation($m: JSON) { createJobRun(input: {metadata: $m}) { id } }", {"m": metadata}
    )
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert fragment in error["message"]


def test_over_long_run_names(client: Client) -> None:
    wf = create_workflow(client, "wf")
    job_error = _fail(
        client, "mutation($n: String) { createJobRun(input: {name: $n}) { id } }", {"n": "j" * 201}
    )
    assert job_error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "'name' is longer than 200 characters" in job_error["message"]
    run_error = _fail(
        client,
        "mutation($w: ID!, $n: String) { createWorkflowRun(input: {workflowId: $w, name: $n}) { id } }",
        {"w": wf["id"], "n": "r" * 201},
    )
    assert run_error["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize(
    "query",
    [
        '{ workflowByName(name: "a\\u0000b") { id } }',
        '{ workflows(filter: {name: {eq: "a\\u0000"}}) { totalCount } }',
        '{ workflows(filter: {name: {contains: "\\u0000"}}) { nodes { id } } }',
        '{ workflows(filter: {tags: ["\\u0000"]}) { nodes { id } } }',
    ],
)
def test_nul_characters_in_filters_are_not_a_server_error(client: Client, query: str) -> None:
    response = client.raw(query)
    assert response.status_code in (200, 400)
    body = response.json()
    if body.get("errors"):
        assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"]


def test_bad_datetime_in_filter(client: Client) -> None:
    error = _fail(
        client,
        "query($f: JobRunFilter) { jobRuns(filter: $f) { totalCount } }",
        {"f": {"createdAt": {"after": "yesterday"}}},
    )
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


def test_schema_errors_are_bad_user_input(client: Client) -> None:
    cases = [
        "{ workflows { nodes { nonsense } } }",
        "{ workflow { id } }",  # missing required argument
        "mutation { createWorkflow(input: {}) { id } }",
        '{ workflows(first: "ten") { totalCount } }',
        "{ workflows { totalCount }",  # syntax
    ]
    for query in cases:
        error = _fail(client, query)
        assert error["extensions"]["code"] == "BAD_USER_INPUT", (query, error)


def test_created_rows_survive_failed_attempts(client: Client) -> None:
    wf = create_workflow(client, "wf")
    run = create_run(client, wf["id"])
    _fail(
        client,
        "mutation($id: ID!) { setWorkflowRunStatus(id: $id, status: LOST) { id } }",
        {"id": run["id"]},
    )
    assert client(f'{{ workflowRun(id: "{run["id"]}") {{ status }} }}') == {
        "workflowRun": {"status": "RUNNING"}
    }
