"""EXPLAIN the list statements the service runs, on a few thousand artifacts, as the
service role under row-level security: every main filter + sort shape reads an index in
order (no Sort node over the organization's rows)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg
import pytest

from cairn.db import listing
from cairn.db.where import (
    SORTS,
    ArtifactCriteria,
    Cursor,
    KeyFilter,
    TimeRange,
    WorkflowRunCriteria,
)
from tests.support.artifacts import at, bulk_insert, uid
from tests.support.http import new_org
from tests.support.stack import Stack, fetch

ROWS = 5000
RUNS = 20


@dataclass
class Seeded:
    stack: Stack
    org_id: str
    runs: list[UUID]
    workflow: UUID
    job: UUID


@pytest.fixture(scope="module")
def seeded(stack: Stack) -> Seeded:
    org = new_org()
    bulk_insert(stack, org, ROWS)
    # Five workflows and five job runs, RUNS runs spread over them, rows spread over runs.
    workflows = [
        r["id"]
        for r in fetch(
            stack.owner_dsn,
            """INSERT INTO workflows (org_id, name)
               SELECT $1, 'plans-' || i FROM generate_series(1, 5) AS i RETURNING id""",
            org,
        )
    ]
    jobs = [
        r["id"]
        for r in fetch(
            stack.owner_dsn,
            """INSERT INTO job_runs (org_id, status)
               SELECT $1, 'RUNNING' FROM generate_series(1, 5) RETURNING id""",
            org,
        )
    ]
    runs = [
        r["id"]
        for r in fetch(
            stack.owner_dsn,
            """INSERT INTO workflow_runs (org_id, workflow_id, job_run_id, status)
               SELECT $1, ($2::uuid[])[1 + i % 5], ($3::uuid[])[1 + i % 5], 'RUNNING'
               FROM generate_series(1, $4::int) AS i RETURNING id""",
            org,
            workflows,
            jobs,
            RUNS,
        )
    ]
    fetch(
        stack.owner_dsn,
        """UPDATE artifacts a SET workflow_run_id = r.id, workflow_id = r.workflow_id,
                                  job_run_id = r.job_run_id
           FROM (SELECT id, workflow_id, job_run_id, row_number() OVER (ORDER BY id) - 1 AS n
                 FROM workflow_runs WHERE org_id = $1) r
           WHERE a.org_id = $1 AND r.n = ('x' || right(a.id::text, 8))::bit(32)::int % $2""",
        org,
        RUNS,
    )
    # Besides 50 keys with ~33 versions each, ~1,700 keys with one version: many latest rows.
    fetch(
        stack.owner_dsn,
        """UPDATE artifacts SET key = 'u-' || right(id::text, 8)
           WHERE org_id = $1 AND key IS NULL AND ('x' || right(id::text, 8))::bit(32)::int % 3 = 1""",
        org,
    )
    fetch(
        stack.owner_dsn,
        """UPDATE artifacts a SET version = v.ver, is_latest = v.newest
           FROM (SELECT id, row_number() OVER (PARTITION BY key ORDER BY created_at) AS ver,
                        row_number() OVER (PARTITION BY key ORDER BY created_at DESC) = 1
                            AS newest
                 FROM artifacts WHERE org_id = $1 AND key IS NOT NULL) v
           WHERE a.org_id = $1 AND a.id = v.id""",
        org,
    )
    fetch(stack.owner_dsn, "ANALYZE artifacts")
    return Seeded(stack, org, runs, workflows[0], jobs[0])


async def _explain(dsn: str, org_id: str, sql: str, params: list[object]) -> dict[str, Any]:
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            await conn.execute(
                f"SET LOCAL ROLE cairn_app; SELECT set_config('cairn.org_id', '{org_id}', true)"
            )
            raw = await conn.fetchval(f"EXPLAIN (FORMAT JSON) {sql}", *params)
    finally:
        await conn.close()
    plan: dict[str, Any] = json.loads(raw)[0]["Plan"]
    return plan


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", ()):
        yield from _nodes(child)


def _request(
    criteria: ArtifactCriteria,
    sort: str,
    *,
    parent: str | None = None,
    after: Cursor | None = None,
    before: Cursor | None = None,
    backward: bool = False,
) -> listing.PageRequest:
    return listing.PageRequest(
        table="artifacts",
        criteria=criteria,
        sort=SORTS[sort],
        first=50,
        after=after,
        parent_column=parent,
        before=before,
        backward=backward,
    )


def _shape(name: str, seeded: Seeded) -> tuple[str, list[object]]:
    org = seeded.org_id
    c = ArtifactCriteria
    latest = c(latest_only=True)
    cursor = {
        "CREATED_DESC": Cursor("CREATED_DESC", ("2024-01-01T00:40:00.000000Z", uid(2400))),
        "CREATED_ASC": Cursor("CREATED_ASC", ("2024-01-01T00:40:00.000000Z", uid(2400))),
        "KEY_ASC": Cursor("KEY_ASC", ("false", "k-20", "3", uid(1))),
        "VERSION_DESC": Cursor("VERSION_DESC", ("2", "2024-01-01T00:40:00.000000Z", uid(1))),
        "SIZE_DESC": Cursor("SIZE_DESC", ("50", uid(1))),
    }
    shapes: dict[str, tuple[str, list[object]]] = {}
    for sort in SORTS:
        shapes[f"all {sort}"] = listing.page_sql(org, _request(c(), sort))
        shapes[f"latest {sort}"] = listing.page_sql(org, _request(latest, sort))
        shapes[f"by run {sort}"] = listing.pages_sql(
            org, _request(c(), sort, parent="workflow_run_id"), seeded.runs[:5]
        )
    for sort, after in cursor.items():
        shapes[f"after {sort}"] = listing.page_sql(org, _request(c(), sort, after=after))
    # Backward (last / before): the same indexes read the other way.
    for sort, before in cursor.items():
        back = {"backward": True}
        shapes[f"last {sort}"] = listing.page_sql(org, _request(c(), sort, **back))
        shapes[f"before {sort}"] = listing.page_sql(
            org, _request(c(), sort, before=before, backward=True)
        )
        shapes[f"latest last {sort}"] = listing.page_sql(org, _request(latest, sort, **back))
        shapes[f"by run last {sort}"] = listing.pages_sql(
            org,
            _request(c(), sort, parent="workflow_run_id", before=before, backward=True),
            seeded.runs[:5],
        )
    shapes["by workflow last"] = listing.pages_sql(
        org, _request(c(), "CREATED_DESC", parent="workflow_id", backward=True), [seeded.workflow]
    )
    shapes["by job last"] = listing.pages_sql(
        org, _request(c(), "CREATED_DESC", parent="job_run_id", backward=True), [seeded.job]
    )
    shapes["versions last"] = listing.pages_sql(
        org,
        _request(c(key=KeyFilter(exists=True)), "VERSION_DESC", parent="key", backward=True),
        ["k-3", "k-30"],
    )
    shapes["type last"] = listing.page_sql(
        org, _request(c(type=("PNG",)), "CREATED_DESC", backward=True)
    )
    shapes["type CREATED_DESC"] = listing.page_sql(org, _request(c(type=("PNG",)), "CREATED_DESC"))
    shapes["created range"] = listing.page_sql(
        org,
        _request(c(created_at=TimeRange(after=at(100), before=at(4000))), "CREATED_DESC"),
    )
    shapes["by workflow"] = listing.pages_sql(
        org, _request(c(), "CREATED_DESC", parent="workflow_id"), [seeded.workflow]
    )
    shapes["by job"] = listing.pages_sql(
        org, _request(c(), "CREATED_DESC", parent="job_run_id"), [seeded.job]
    )
    shapes["versions"] = listing.pages_sql(
        org,
        _request(c(key=KeyFilter(exists=True)), "VERSION_DESC", parent="key"),
        ["k-3", "k-30"],
    )
    # Artifact lists answered from values: the same statements with another select list.
    values = listing.value_select(list(listing.ARTIFACT_VALUES))
    shapes["values all"] = listing.page_sql(org, _request(c(), "CREATED_DESC"), values)
    shapes["values by run"] = listing.pages_sql(
        org, _request(c(), "CREATED_DESC", parent="workflow_run_id"), seeded.runs[:5], values
    )
    shapes["values versions last"] = listing.pages_sql(
        org,
        _request(c(key=KeyFilter(exists=True)), "VERSION_DESC", parent="key", backward=True),
        ["k-3", "k-30"],
        values,
    )
    shapes["run filter"] = listing.page_sql(
        org,
        _request(c(workflow_run=WorkflowRunCriteria(status=("RUNNING",))), "CREATED_DESC"),
    )
    return shapes[name]


SHAPES = (
    [f"{kind} {sort}" for kind in ("all", "latest", "by run") for sort in SORTS]
    + [f"after {s}" for s in SORTS]
    + ["type CREATED_DESC", "created range", "by workflow", "by job", "versions", "run filter"]
    + [
        f"{kind} {sort}"
        for kind in ("last", "before", "latest last", "by run last")
        for sort in SORTS
    ]
    + ["by workflow last", "by job last", "versions last", "type last"]
    + ["values all", "values by run", "values versions last"]
)


@pytest.mark.parametrize("shape", SHAPES)
def test_list_reads_an_index_in_order(seeded: Seeded, shape: str) -> None:
    sql, params = _shape(shape, seeded)
    plan = asyncio.run(_explain(seeded.stack.owner_dsn, seeded.org_id, sql, params))
    nodes = list(_nodes(plan))
    detail = json.dumps(plan, indent=1)
    assert "Seq Scan" not in {n["Node Type"] for n in nodes}, detail
    if "p.parent_id" in sql:
        # A batched page reads each parent's rows through an index on the parent column,
        # never by walking an organization-wide index and filtering for the parent (for a
        # parent with few rows, that walk reads every row of the organization).
        scans = [n for n in nodes if "Scan" in n["Node Type"] and n.get("Relation Name")]
        scans += [n for n in nodes if n["Node Type"] == "Bitmap Index Scan"]
        assert scans, detail
        for scan in scans:
            if scan.get("Relation Name", "artifacts") == "artifacts":
                cond = scan.get("Index Cond") or scan.get("Recheck Cond") or ""
                assert "= p.parent_id" in cond, detail
    for node in nodes:
        if node["Node Type"] in ("Sort", "Incremental Sort"):
            # Only a batched page may sort, and only one parent's rows: sorts other than by
            # creation are not indexed per parent (three parents times four sorts would be
            # twelve more indexes to keep up on every publish).
            assert "p.parent_id" in sql, detail
