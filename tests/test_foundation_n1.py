"""No N+1 over workflows and runs: a nested query costs the same statements for 1 parent
as for 50."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import Client, Server, Stack, fetch

WORKFLOWS = """{ workflows { nodes { id runs { nodes { id workflow { id } jobRun { id } } } } } }"""
JOB_RUNS = """{ jobRuns { nodes { id workflowRuns { nodes { id } } } } }"""
COUNTED = """{ workflows { totalCount nodes { runs { totalCount nodes { id } } } } }"""

# Each DataLoader batch is one org-scoped transaction: BEGIN + SET ROLE + set_config
# (one round trip), the statement, COMMIT.
PER_BATCH = 3
# asyncpg housekeeping, not ours: type introspection the first time a connection meets a
# statement's types (the pool sends no reset query on release: see db/pool.py).
ASYNCPG_INTERNAL = ("WITH RECURSIVE typeinfo_tree", "set_config('jit'")


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


def _run(server: Server, client: Client, query: str) -> tuple[dict[str, Any], list[str]]:
    with server.count_statements() as seen:
        data = client(query)
    return data, [s for s in seen if not any(mark in s for mark in ASYNCPG_INTERNAL)]


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
def test_same_statements_for_1_and_50_parents(
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
