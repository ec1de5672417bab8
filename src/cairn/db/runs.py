"""Workflows, job runs and workflow runs: the writes (reads go through listing.py)."""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

import asyncpg

from cairn.db.rows import JobRunRow, WorkflowRow, WorkflowRunRow

# Status changes stamp started_at on RUNNING (the first time) and ended_at on a final
# status; going back to a non-final status clears ended_at, so a RUNNING run never
# carries an end time.
_FINAL = "('COMPLETED','FAILED','CANCELLED')"
_STAMPS = f"""
    started_at = CASE WHEN $3 = 'RUNNING' THEN coalesce(started_at, now()) ELSE started_at END,
    ended_at = CASE WHEN $3 IN {_FINAL} THEN now() ELSE NULL END
"""


def _initial_stamps(status: str) -> str:
    """created/updated/started/ended columns for a new row, from one clock reading ``c.ts``
    (so a run created RUNNING starts exactly when it was created)."""
    return (
        f"c.ts, c.ts, CASE WHEN {status} = 'RUNNING' THEN c.ts END, "
        f"CASE WHEN {status} IN {_FINAL} THEN c.ts END"
    )


async def ensure_organization(conn: asyncpg.Connection, org_id: str) -> None:
    await conn.execute(
        "INSERT INTO organizations (org_id) VALUES ($1) ON CONFLICT (org_id) DO NOTHING", org_id
    )


async def create_workflow(
    conn: asyncpg.Connection,
    org_id: str,
    name: str,
    description: str | None,
    tags: list[str],
    retention_days: int | None = None,
) -> WorkflowRow:
    """Insert, or return the existing workflow of that name (idempotent on name)."""
    record = await conn.fetchrow(
        """WITH org AS (
               INSERT INTO organizations (org_id) VALUES ($1) ON CONFLICT (org_id) DO NOTHING
           ), created AS (
               INSERT INTO workflows (org_id, name, description, tags, created_at, updated_at,
                                      retention_days)
               SELECT $1, $2, $3, $4, c.ts, c.ts, $5 FROM (SELECT clock_timestamp() AS ts) c
               ON CONFLICT (org_id, name) DO NOTHING RETURNING *
           )
           SELECT * FROM created
           UNION ALL
           SELECT * FROM workflows WHERE org_id = $1 AND name = $2
           LIMIT 1""",
        org_id,
        name,
        description,
        tags,
        retention_days,
    )
    if record is None:
        # A concurrent transaction inserted this name after our statement's snapshot was
        # taken: the insert did nothing and the select could not see it yet. A new
        # statement (READ COMMITTED) sees the committed row.
        return await create_workflow(conn, org_id, name, description, tags, retention_days)
    return WorkflowRow.from_record(record)


async def create_job_run(
    conn: asyncpg.Connection, org_id: str, name: str | None, status: str, metadata: Any
) -> JobRunRow:
    await ensure_organization(conn, org_id)
    record = await conn.fetchrow(
        "INSERT INTO job_runs "
        "(org_id, name, status, metadata, created_at, updated_at, started_at, ended_at) "
        f"SELECT $1, $2, $3, $4, {_initial_stamps('$3')} "
        "FROM (SELECT clock_timestamp() AS ts) c RETURNING *",
        org_id,
        name,
        status,
        metadata,
    )
    assert record is not None
    return JobRunRow.from_record(record)


async def create_workflow_run(
    conn: asyncpg.Connection,
    org_id: str,
    workflow_id: UUID,
    job_run_id: UUID | None,
    name: str | None,
    status: str,
    parameters: Any,
) -> WorkflowRunRow | None:
    """Insert a run; ``None`` when the workflow or job run is not this organization's."""
    record = await conn.fetchrow(
        "INSERT INTO workflow_runs (org_id, workflow_id, job_run_id, name, status, parameters, "
        "created_at, updated_at, started_at, ended_at) "
        f"SELECT $1, w.id, $3, $4, $5, $6, {_initial_stamps('$5')} "
        "FROM workflows w, (SELECT clock_timestamp() AS ts) c WHERE w.org_id = $1 AND w.id = $2 "
        "AND ($3::uuid IS NULL OR EXISTS "
        "     (SELECT 1 FROM job_runs j WHERE j.org_id = $1 AND j.id = $3)) "
        "RETURNING *",
        org_id,
        workflow_id,
        job_run_id,
        name,
        status,
        parameters,
    )
    return None if record is None else WorkflowRunRow.from_record(record)


async def _set_status(
    conn: asyncpg.Connection,
    table: Literal["job_runs", "workflow_runs"],
    org_id: str,
    run_id: UUID,
    status: str,
) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"UPDATE {table} SET status = $3, updated_at = now(), {_STAMPS} "
        "WHERE org_id = $1 AND id = $2 RETURNING *",
        org_id,
        run_id,
        status,
    )


async def set_job_run_status(
    conn: asyncpg.Connection, org_id: str, run_id: UUID, status: str
) -> JobRunRow | None:
    record = await _set_status(conn, "job_runs", org_id, run_id, status)
    return None if record is None else JobRunRow.from_record(record)


async def set_workflow_run_status(
    conn: asyncpg.Connection, org_id: str, run_id: UUID, status: str
) -> WorkflowRunRow | None:
    record = await _set_status(conn, "workflow_runs", org_id, run_id, status)
    return None if record is None else WorkflowRunRow.from_record(record)
