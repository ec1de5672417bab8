"""Keyset connections of workflows, job runs and workflow runs: edges and nodes, pageInfo,
totalCount, every row exactly once, limits on ``first``."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Client, Stack, fetch
from tests.test_foundation_catalog import create_job, create_run, create_workflow

PAGE = """
  edges { cursor node { id } }
  nodes { id }
  pageInfo { hasNextPage endCursor hasPreviousPage startCursor }
  totalCount
"""


def _seed_workflows(stack: Stack, client: Client, count: int) -> list[str]:
    """``count`` workflows, newest first (created through the API)."""
    client('mutation { createWorkflow(input: {name: "seed-0"}) { id } }')  # creates the org
    fetch(
        stack.owner_dsn,
        "INSERT INTO workflows (org_id, name, created_at) "
        "SELECT $1, 'seed-' || i, now() - make_interval(secs => $2 - i) "
        "FROM generate_series(1, $2 - 1) AS i",
        client.org_id,
        count,
    )
    rows = fetch(
        stack.owner_dsn,
        "SELECT id FROM workflows WHERE org_id = $1 ORDER BY created_at DESC, id DESC",
        client.org_id,
    )
    return [str(r["id"]) for r in rows]


def _walk(client: Client, field: str, first: int, args: str = "") -> list[dict[str, Any]]:
    pages: list[dict[str, Any]] = []
    after: str | None = None
    for _ in range(100):
        data = client(
            f"query($first: Int, $after: String) {{ {field}(first: $first, after: $after{args})"
            f" {{ {PAGE} }} }}",
            {"first": first, "after": after},
        )[field]
        pages.append(data)
        if not data["pageInfo"]["hasNextPage"]:
            return pages
        after = data["pageInfo"]["endCursor"]
    raise AssertionError("paging did not end")


@pytest.mark.parametrize("first", [1, 7, 23, 50])
def test_paging_visits_every_workflow_once(stack: Stack, client: Client, first: int) -> None:
    expected = _seed_workflows(stack, client, 23)
    pages = _walk(client, "workflows", first)
    seen = [node["id"] for page in pages for node in page["nodes"]]
    assert seen == expected
    assert len(pages) == -(-23 // first)
    for number, page in enumerate(pages):
        edges, info = page["edges"], page["pageInfo"]
        assert [e["node"] for e in edges] == page["nodes"]
        assert page["totalCount"] == 23
        assert info["startCursor"] == edges[0]["cursor"]
        assert info["endCursor"] == edges[-1]["cursor"]
        assert info["hasPreviousPage"] is (number > 0)
        assert info["hasNextPage"] is (number < len(pages) - 1)
        assert len(edges) == min(first, 23 - number * first)


def test_an_edge_cursor_resumes_right_after_that_edge(stack: Stack, client: Client) -> None:
    expected = _seed_workflows(stack, client, 10)
    page = client(f"{{ workflows(first: 10) {{ {PAGE} }} }}")["workflows"]
    cursor = page["edges"][3]["cursor"]
    rest = client(
        "query($a: String) { workflows(first: 3, after: $a) { nodes { id } } }", {"a": cursor}
    )
    assert [n["id"] for n in rest["workflows"]["nodes"]] == expected[4:7]


def test_paging_is_stable_while_rows_are_added(stack: Stack, client: Client) -> None:
    expected = _seed_workflows(stack, client, 12)
    seen: list[str] = []
    after = None
    for step in range(10):
        data = client(
            "query($a: String) { workflows(first: 5, after: $a) "
            "{ nodes { id } pageInfo { hasNextPage endCursor } } }",
            {"a": after},
        )["workflows"]
        seen += [n["id"] for n in data["nodes"]]
        create_workflow(client, f"added-{step}")  # newer than everything being paged
        if not data["pageInfo"]["hasNextPage"]:
            break
        after = data["pageInfo"]["endCursor"]
    assert seen == expected


def test_empty_connection(client: Client) -> None:
    for field in ("workflows", "jobRuns", "workflowRuns"):
        data = client(f"{{ {field} {{ {PAGE} }} }}")[field]
        assert data == {
            "edges": [],
            "nodes": [],
            "pageInfo": {
                "hasNextPage": False,
                "endCursor": None,
                "hasPreviousPage": False,
                "startCursor": None,
            },
            "totalCount": 0,
        }


def test_default_page_is_50(stack: Stack, client: Client) -> None:
    expected = _seed_workflows(stack, client, 51)
    data = client("{ workflows { nodes { id } pageInfo { hasNextPage } totalCount } }")
    assert [n["id"] for n in data["workflows"]["nodes"]] == expected[:50]
    assert data["workflows"]["pageInfo"] == {"hasNextPage": True}
    assert data["workflows"]["totalCount"] == 51


def test_first_zero_counts_without_rows(stack: Stack, client: Client) -> None:
    _seed_workflows(stack, client, 3)
    data = client(f"{{ workflows(first: 0) {{ {PAGE} }} }}")["workflows"]
    assert data["edges"] == data["nodes"] == []
    assert data["totalCount"] == 3
    assert data["pageInfo"]["hasNextPage"] is True


@pytest.mark.parametrize("first", [501, 10_000, -1])
@pytest.mark.parametrize(
    "query",
    [
        "{ workflows(first: FIRST) { totalCount } }",
        "{ jobRuns(first: FIRST) { totalCount } }",
        "{ workflowRuns(first: FIRST) { totalCount } }",
        "{ workflows { nodes { runs(first: FIRST) { totalCount } } } }",
        "{ jobRuns { nodes { workflowRuns(first: FIRST) { totalCount } } } }",
    ],
)
def test_first_out_of_range_is_bad_user_input(client: Client, query: str, first: int) -> None:
    wf = create_workflow(client, "wf")  # so nested connections are resolved too
    job = create_job(client)
    create_run(client, wf["id"], jobRunId=job["id"])
    error = client.errors(query.replace("FIRST", str(first)))
    assert error.codes == ["BAD_USER_INPUT"]
    assert error.errors[0]["message"] == f"'first' must be between 0 and 500; got {first}"


def test_first_500_is_allowed(client: Client) -> None:
    assert client("{ workflows(first: 500) { totalCount } }") == {"workflows": {"totalCount": 0}}


@pytest.mark.parametrize("cursor", ["garbage", "", "e30", "W10", "!!!!"])
def test_bad_cursor_is_bad_user_input(client: Client, cursor: str) -> None:
    body = client.raw(
        "query($a: String) { workflows(after: $a) { totalCount } }", {"a": cursor}
    ).json()
    if cursor == "":  # an empty cursor means: from the start
        assert body == {"data": {"workflows": {"totalCount": 0}}}
        return
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"]
    assert "'after' is not a cursor from this list" in body["errors"][0]["message"]


def test_job_runs_and_workflow_runs_page_too(client: Client) -> None:
    wf = create_workflow(client, "wf")
    jobs = [create_job(client, name=f"j{i}")["id"] for i in range(7)]
    runs = [create_run(client, wf["id"], jobRunId=jobs[0])["id"] for _ in range(7)]
    for field, made in (("jobRuns", jobs), ("workflowRuns", runs)):
        pages = _walk(client, field, 3)
        assert [n["id"] for p in pages for n in p["nodes"]] == made[::-1]
        assert [p["totalCount"] for p in pages] == [7, 7, 7]


def test_nested_connections_page_per_parent(client: Client) -> None:
    wf = create_workflow(client, "wf")
    job = create_job(client)
    runs = [create_run(client, wf["id"], jobRunId=job["id"])["id"] for _ in range(5)]
    seen: list[str] = []
    after = None
    for _ in range(5):
        data = client(
            "query($w: ID!, $a: String) { workflow(id: $w) { runs(first: 2, after: $a) "
            "{ totalCount nodes { id } pageInfo { hasNextPage endCursor hasPreviousPage } } } }",
            {"w": wf["id"], "a": after},
        )["workflow"]["runs"]
        assert data["totalCount"] == 5
        assert data["pageInfo"]["hasPreviousPage"] is (after is not None)
        seen += [n["id"] for n in data["nodes"]]
        if not data["pageInfo"]["hasNextPage"]:
            break
        after = data["pageInfo"]["endCursor"]
    assert seen == runs[::-1]
    via_job = client(
        "query($j: ID!) { jobRun(id: $j) { workflowRuns(first: 3) { nodes { id } } } }",
        {"j": job["id"]},
    )
    assert [n["id"] for n in via_job["jobRun"]["workflowRuns"]["nodes"]] == runs[::-1][:3]
