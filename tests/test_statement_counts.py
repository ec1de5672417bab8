"""No N+1: a nested query costs the same statements for 1 parent as for 50, and
totalCount is only counted when selected."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import Client, Server, Stack
from tests.helpers_artifacts import seed_tree

# Inner connections name a small `first`: with the default 50 at every level these trees
# would be estimated at over 50,000 nodes and refused (CAIRN_MAX_QUERY_COST).

WORKFLOW_TREE = """{
  workflows { nodes { id runs(first: 5) { nodes { id artifacts(first: 5) { nodes {
    id workflowRun { id } jobRun { id } versions(first: 5) { nodes { id } }
  } } } } } }
}"""
JOB_TREE = """{
  jobRuns { nodes { id workflowRuns(first: 5) { nodes { id artifacts(first: 5) { nodes { id key } } } } } }
}"""
ARTIFACT_PARENTS = """{
  artifacts(first: 500) { nodes { id workflow { id name } } }
}"""
ARTIFACT_DEEP = """{
  latestArtifacts(first: 500) { nodes { id
    workflowRun { id workflow { id } jobRun { id artifacts { nodes { id } } } }
  } }
}"""
WITH_COUNTS = """{
  workflows { totalCount nodes { runs(first: 5) { totalCount nodes { artifacts(first: 5) {
    totalCount nodes { versions(first: 5) { totalCount } } } } } } }
}"""


# asyncpg's own housekeeping: type introspection (with jit switched off around it) the
# first time a connection meets a statement's types. The pool sends no reset on release.
ASYNCPG_INTERNAL = (
    "WITH RECURSIVE typeinfo_tree",
    "set_config('jit'",
)


def _run(server: Server, client: Client, query: str) -> tuple[dict[str, Any], list[str]]:
    """Run ``query``; return its data and the statements the service itself sent."""
    with server.count_statements() as seen:
        data = client(query)
    ours = [s for s in seen if not any(mark in s for mark in ASYNCPG_INTERNAL)]
    return data, ours


@pytest.fixture
def trees(client_factory: Callable[..., Client], stack: Stack) -> tuple[Client, Client]:
    small, big = client_factory(), client_factory()
    seed_tree(stack, small.org_id, 1)
    seed_tree(stack, big.org_id, 50)
    return small, big


@pytest.mark.parametrize(
    ("query", "batches", "selects"),
    [
        # workflows, runs, artifacts, then workflowRun, jobRun and versions; versions are
        # one batch of two statements (keyed artifacts by key, keyless ones by id).
        (WORKFLOW_TREE, 6, 7),
        # job runs, their workflow runs, their artifacts
        (JOB_TREE, 3, 3),
        # artifacts, their workflows
        (ARTIFACT_PARENTS, 2, 2),
        # latest artifacts, runs, then workflows and job runs, then job-run artifacts
        (ARTIFACT_DEEP, 5, 5),
        # workflows, runs and artifacts: a page batch and a count batch each; then the
        # versions count batch (by key and by id)
        (WITH_COUNTS, 7, 8),
    ],
)
def test_same_statements_for_1_and_50_parents(
    server: Server, trees: tuple[Client, Client], query: str, batches: int, selects: int
) -> None:
    small, big = trees
    small_data, small_sql = _run(server, small, query)
    big_data, big_sql = _run(server, big, query)
    # Each batch is one org-scoped transaction: BEGIN/SET ROLE/set_config ... COMMIT.
    assert len(small_sql) == 2 * batches + selects, small_sql
    assert len(big_sql) == len(small_sql), big_sql
    assert sum(s.startswith("BEGIN") for s in big_sql) == batches
    assert sum(s == "COMMIT" for s in big_sql) == batches
    assert small_data != big_data  # the big tree really is bigger
    assert len(str(big_data)) > 10 * len(str(small_data))


def test_tree_contents(server: Server, trees: tuple[Client, Client]) -> None:
    _, big = trees
    data = big(WORKFLOW_TREE)["workflows"]["nodes"]
    assert len(data) == 50
    for workflow in data:
        (run,) = workflow["runs"]["nodes"]
        arts = run["artifacts"]["nodes"]
        assert len(arts) == 3
        assert {a["workflowRun"]["id"] for a in arts} == {run["id"]}
        keyed = [a for a in arts if len(a["versions"]["nodes"]) == 2]
        keyless = [a for a in arts if len(a["versions"]["nodes"]) == 1]
        assert (len(keyed), len(keyless)) == (2, 1)
        assert keyless[0]["versions"]["nodes"] == [{"id": keyless[0]["id"]}]
        assert keyed[0]["versions"] == keyed[1]["versions"]
    counts = big(WITH_COUNTS)["workflows"]
    assert counts["totalCount"] == 50
    for workflow in counts["nodes"]:
        assert workflow["runs"]["totalCount"] == 1
        (run,) = workflow["runs"]["nodes"]
        assert run["artifacts"]["totalCount"] == 3
        assert sorted(v["versions"]["totalCount"] for v in run["artifacts"]["nodes"]) == [
            1,
            2,
            2,
        ]


@pytest.mark.parametrize(
    "query",
    [
        "{ artifacts { nodes { id } pageInfo { hasNextPage } } }",
        '{ latestArtifacts(filter: {key: {startsWith: "k"}}) { edges { cursor } } }',
        "{ workflows { nodes { artifacts { nodes { id } } runs { nodes { id } } } } }",
        "{ jobRuns { nodes { artifacts { nodes { versions(first: 5) { nodes { id } } } } } } }",
    ],
)
def test_no_count_unless_selected(server: Server, trees: tuple[Client, Client], query: str) -> None:
    _, big = trees
    _, sql = _run(server, big, query)
    assert sql
    assert not [s for s in sql if "count(" in s.lower()]


def test_count_only_when_only_count_selected(server: Server, trees: tuple[Client, Client]) -> None:
    _, big = trees
    data, sql = _run(server, big, "{ artifacts { totalCount } latestArtifacts { totalCount } }")
    assert data == {"artifacts": {"totalCount": 150}, "latestArtifacts": {"totalCount": 50}}
    selects = [s for s in sql if "FROM artifacts" in s]
    assert len(selects) == 2
    assert all("count(" in s for s in selects)


def test_sibling_lists_share_one_transaction(server: Server, trees: tuple[Client, Client]) -> None:
    _, big = trees
    types = ["TEXT", "JSON", "PNG", "CSV", "PDF", "GIF", "XML", "HTML"]
    query = (
        "{ "
        + " ".join(f"{t}: artifacts(filter: {{type: [{t}]}}) {{ nodes {{ id }} }}" for t in types)
        + " }"
    )
    data, sql = _run(server, big, query)
    assert len(data["TEXT"]["nodes"]) == 50
    assert all(data[t]["nodes"] == [] for t in types[1:])
    # One batch: a single connection and transaction, one statement per distinct list.
    assert sum(s.startswith("BEGIN") for s in sql) == 1
    assert len([s for s in sql if "FROM artifacts" in s]) == len(types)
