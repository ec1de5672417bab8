"""Workflows, job runs and workflow runs: the writes (reads go through listing.py)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg

from cairn.db.rows import JobRunRow, WorkflowRow, WorkflowRunRow

# Status changes stamp started_at on RUNNING and ended_at on a final status.
_STAMPS = """
    started_at = CASE WHEN $3 = 'RUNNING' THEN coalesce(started_at, now()) ELSE started_at END,
    ended_at = CASE WHEN $3 IN ('COMPLETED','FAILED','CANCELLED') THEN now() ELSE ended_at END
"""
_INITIAL_STAMPS = """
    CASE WHEN $STATUS = 'RUNNING' THEN now() END,
    CASE WHEN $STATUS IN ('COMPLETED','FAILED','CANCELLED') THEN now() END
"""


async def ensure_organization(conn: asyncpg.Connection, org_id: str) -> None:
    await conn.execute(
        "INSERT INTO organizations (org_id) VALUES ($1) ON CONFLICT (org_id) DO NOTHING", org_id
    )


async def create_workflow(
    conn: asyncpg.Connection, org_id: str, name: str, description: str | None, tags: list[str]
) -> WorkflowRow:
    """Insert, or return the existing workflow of that name (idempotent on name)."""
    record = await conn.fetchrow(
        """WITH org AS (
               INSERT INTO organizations (org_id) VALUES ($1) ON CONFLICT (org_id) DO NOTHING
           ), created AS (
               INSERT INTO workflows (org_id, name, description, tags)
               VALUES ($1, $2, $3, $4) ON CONFLICT (org_id, name) DO NOTHING RETURNING *
           )
           SELECT * FROM created
           UNION ALL
           SELECT * FROM workflows WHERE org_id = $1 AND name = $2
           LIMIT 1""",
        org_id,
        name,
        description,
        tags,
    )
    if record is None:  # the organization row was new in this very statement
        await ensure_organization(conn, org_id)
        return await create_workflow(conn, org_id, name, description, tags)
    return WorkflowRow.from_record(record)


async def create_job_run(
    conn: asyncpg.Connection, org_id: str, name: str | None, status: str, metadata: Any
) -> JobRunRow:
    await ensure_organization(conn, org_id)
    record = await conn.fetchrow(
        "INSERT INTO job_runs (org_id, name, status, metadata, started_at, ended_at) "
        f"VALUES ($1, $2, $3, $4, {_INITIAL_STAMPS.replace('$STATUS', '$3')}) RETURNING *",
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
        "INSERT INTO workflow_runs "
        "(org_id, workflow_id, job_run_id, name, status, parameters, started_at, ended_at) "
        f"SELECT $1, w.id, $3, $4, $5, $6, {_INITIAL_STAMPS.replace('$STATUS', '$5')} "
        "FROM workflows w WHERE w.org_id = $1 AND w.id = $2 "
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


async def set_job_run_status(
    conn: asyncpg.Connection, org_id: str, run_id: UUID, status: str
) -> JobRunRow | None:
    record = await conn.fetchrow(
        f"UPDATE job_runs SET status = $3, updated_at = now(), {_STAMPS} "
        "WHERE org_id = $1 AND id = $2 RETURNING *",
        org_id,
        run_id,
        status,
    )
    return None if record is None else JobRunRow.from_record(record)


async def set_workflow_run_status(
    conn: asyncpg.Connection, org_id: str, run_id: UUID, status: str
) -> WorkflowRunRow | None:
    record = await conn.fetchrow(
        f"UPDATE workflow_runs SET status = $3, updated_at = now(), {_STAMPS} "
        "WHERE org_id = $1 AND id = $2 RETURNING *",
        org_id,
        run_id,
        status,
    )
    return None if record is None else WorkflowRunRow.from_record(record)
