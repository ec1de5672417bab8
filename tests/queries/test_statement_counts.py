"""No N+1: a nested query costs the same statements for 1 parent as for 50, and
totalCount is only counted when selected."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.support.artifacts import seed_tree
from tests.support.http import Client, Server
from tests.support.stack import Stack, fetch

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
# The same trees read backward: the lateral joins in reverse order, batched the same way.
WORKFLOW_TREE_BACKWARD = """{
  workflows(last: 50) { nodes { id runs(last: 5) { nodes { id
    artifacts(last: 10, sort: KEY_ASC) { nodes {
      id workflowRun { id } jobRun { id } versions(last: 5) { nodes { id } }
  } } } } } }
}"""
JOB_TREE_BACKWARD = """{
  jobRuns(last: 50) { nodes { id workflowRuns(last: 5) { nodes { id
    artifacts(last: 2, sort: SIZE_DESC) { nodes { id key } } } } } }
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
        # backward (last) at every level costs what forward does
        (WORKFLOW_TREE_BACKWARD, 6, 7),
        (JOB_TREE_BACKWARD, 3, 3),
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


def test_nested_last_is_each_parents_own_end(trees: tuple[Client, Client]) -> None:
    """Batched backward pages are per parent: each run's last two artifacts, in order."""
    _, big = trees
    query = """{ workflowRuns(first: 100) { nodes { id
      all: artifacts(sort: KEY_ASC) { nodes { id } pageInfo { hasPreviousPage } }
      end: artifacts(sort: KEY_ASC, last: 2) { nodes { id } pageInfo { hasPreviousPage } }
    } } }"""
    runs = big(query)["workflowRuns"]["nodes"]
    assert len(runs) == 50
    for run in runs:
        everything = [n["id"] for n in run["all"]["nodes"]]
        assert len(everything) == 3
        assert [n["id"] for n in run["end"]["nodes"]] == everything[-2:]
        assert run["end"]["pageInfo"]["hasPreviousPage"] is True
        assert run["all"]["pageInfo"]["hasPreviousPage"] is False


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


# ------------------------------------------------------------------------------------------
# Merged from tests/test_foundation_n1.py:
# No N+1 over workflows and runs: a nested query costs the same statements for 1 parent
# as for 50.


WORKFLOWS = """{ workflows { nodes { id runs { nodes { id workflow { id } jobRun { id } } } } } }"""
JOB_RUNS = """{ jobRuns { nodes { id workflowRuns { nodes { id } } } } }"""
COUNTED = """{ workflows { totalCount nodes { runs { totalCount nodes { id } } } } }"""

# Each DataLoader batch is one org-scoped transaction: BEGIN + SET ROLE + set_config
# (one round trip), the statement, COMMIT.
PER_BATCH = 3


def _seed(stack: Stack, org: str, parents: int) -> None:
    """``parents`` workflows and as many job runs; 2 runs each, one of them on a job run."""
    fetch(
        stack.owner_dsn,
        """WITH o AS (INSERT INTO organizations (org_id) VALUES ($1)),
                w AS (INSERT INTO workflows (org_id, name)
                      SELECT $1, 'wf-' || i FROM generate_series(1, $2) i RETURNING id, name),
                j AS (INSERT INTO job_runs (org_id, name, status)
                      SELECT $1, 'job-' || i, 'RUNNING' FROM generate_series(1, $2) i
                      RETURNING id, name)
           INSERT INTO workflow_runs (org_id, workflow_id, job_run_id, status)
           SELECT $1, w.id, CASE WHEN k = 1 THEN j.id END, 'RUNNING'
           FROM w JOIN j ON substr(w.name, 4) = substr(j.name, 5), generate_series(1, 2) k""",
        org,
        parents,
    )


@pytest.fixture
def orgs(client_factory: Callable[..., Client], stack: Stack) -> tuple[Client, Client]:
    one, fifty = client_factory(), client_factory()
    _seed(stack, one.org_id, 1)
    _seed(stack, fifty.org_id, 50)
    return one, fifty


@pytest.mark.parametrize(
    ("query", "batches"),
    [
        # workflows; their runs; then the runs' workflows and job runs (two loaders)
        (WORKFLOWS, 4),
        # job runs; their workflow runs
        (JOB_RUNS, 2),
        # workflows + their count; runs + their counts
        (COUNTED, 4),
    ],
)
def test_catalog_same_statements_for_1_and_50_parents(
    server: Server, orgs: tuple[Client, Client], query: str, batches: int
) -> None:
    one, fifty = orgs
    small, small_sql = _run(server, one, query)
    big, big_sql = _run(server, fifty, query)
    assert len(small_sql) == batches * PER_BATCH, small_sql
    assert len(big_sql) == batches * PER_BATCH, big_sql
    assert sum(s.startswith("BEGIN") for s in big_sql) == batches
    assert sum(s == "COMMIT" for s in big_sql) == batches
    root = next(iter(big))
    assert len(big[root]["nodes"]) == 50
    assert len(small[root]["nodes"]) == 1


def test_the_batched_answers_are_right(orgs: tuple[Client, Client]) -> None:
    _, fifty = orgs
    workflows = fifty(WORKFLOWS)["workflows"]["nodes"]
    assert len(workflows) == 50
    jobs_seen = set()
    for wf in workflows:
        runs = wf["runs"]["nodes"]
        assert len(runs) == 2
        assert all(run["workflow"] == {"id": wf["id"]} for run in runs)
        linked = [run["jobRun"] for run in runs if run["jobRun"] is not None]
        assert len(linked) == 1
        jobs_seen.add(linked[0]["id"])
    assert len(jobs_seen) == 50
    jobs = fifty(JOB_RUNS)["jobRuns"]["nodes"]
    assert {job["id"] for job in jobs} == jobs_seen
    assert all(len(job["workflowRuns"]["nodes"]) == 1 for job in jobs)
    counted = fifty(COUNTED)["workflows"]
    assert counted["totalCount"] == 50
    assert {n["runs"]["totalCount"] for n in counted["nodes"]} == {2}


USAGE_TREE = """{ storageUsage { artifactCount totalBytes byType { type artifactCount totalBytes }
  byWorkflow(first: 100) { artifactCount totalBytes workflow { id name } } } }"""


def test_storage_usage_statements(server: Server, trees: tuple[Client, Client]) -> None:
    """storageUsage reads counters, not artifacts: three batches (per type, per workflow,
    the workflows' rows) for 1 workflow or 50."""
    small, big = trees
    small_data, small_sql = _run(server, small, USAGE_TREE)
    big_data, big_sql = _run(server, big, USAGE_TREE)
    assert len(small_sql) == 2 * 3 + 3, small_sql
    assert len(big_sql) == len(small_sql), big_sql
    assert small_data["storageUsage"]["artifactCount"] == 3
    assert big_data["storageUsage"]["artifactCount"] == 150
    assert len(big_data["storageUsage"]["byWorkflow"]) == 50


def test_signed_urls_cost_the_same_statements_for_1_and_100(
    server: Server, client_factory: Callable[..., Client], stack: Stack
) -> None:
    """Every signed URL is an audit event; a page's events are one INSERT, in one
    transaction of its own, whether it mints 1 URL or 100."""
    costs = []
    for count in (1, 100):
        reader = client_factory()
        fetch(stack.owner_dsn, "INSERT INTO organizations (org_id) VALUES ($1)", reader.org_id)
        fetch(
            stack.owner_dsn,
            """INSERT INTO artifacts (org_id, id, type, display_name, mime_type, status,
                   created_by, published_at, storage_path)
               SELECT $1, gen_random_uuid(), 'BINARY', 'f.bin', 'application/octet-stream',
                      'AVAILABLE', 'seed', now(), 'bucket/orgs/x/artifacts/' || i
               FROM generate_series(1, $2::int) AS i""",
            reader.org_id,
            count,
        )
        data, statements = _run(
            server, reader, "{ artifacts(first: 100) { nodes { id signedUrl { url } } } }"
        )
        assert len(data["artifacts"]["nodes"]) == count
        assert sum("audit_events" in s for s in statements) == 1
        costs.append(len(statements))
    # the page's transaction, then the audit transaction: BEGIN, INSERT, COMMIT each
    assert costs == [6, 6]
