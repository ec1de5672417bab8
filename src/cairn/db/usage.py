"""Storage accounting: the ``storage_usage`` counters (``sql/0008_retention.sql``).

A trigger on ``artifacts`` keeps one row per (organization, type, workflow) with the count
and bytes of its AVAILABLE artifacts, in the transaction of every publish and delete, so
reading an organization's usage reads a handful of counter rows, never the artifacts.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import asyncpg

NO_WORKFLOW = UUID(int=0)  # the counters' workflow_key for artifacts outside a run


@dataclass(frozen=True, slots=True)
class UsageCount:
    """Count and bytes of AVAILABLE artifacts of one type, or of one workflow
    (``workflow_id`` None: artifacts outside a run)."""

    artifact_count: int
    total_bytes: int
    type: str | None = None
    workflow_id: UUID | None = None


async def by_type(conn: asyncpg.Connection, org_id: str) -> list[UsageCount]:
    """Every type the organization has AVAILABLE artifacts of, most bytes first."""
    records = await conn.fetch(
        "SELECT type, sum(artifact_count) AS n, sum(total_bytes) AS b FROM storage_usage "
        "WHERE org_id = $1 GROUP BY type HAVING sum(artifact_count) > 0 "
        "ORDER BY b DESC, type",
        org_id,
    )
    return [
        UsageCount(artifact_count=int(r["n"]), total_bytes=int(r["b"]), type=r["type"])
        for r in records
    ]


async def by_workflow(conn: asyncpg.Connection, org_id: str, first: int) -> list[UsageCount]:
    """The ``first`` workflows using the most bytes (artifacts outside a run as one entry
    with no workflow)."""
    records = await conn.fetch(
        "SELECT workflow_key, sum(artifact_count) AS n, sum(total_bytes) AS b "
        "FROM storage_usage WHERE org_id = $1 GROUP BY workflow_key "
        "HAVING sum(artifact_count) > 0 ORDER BY b DESC, workflow_key LIMIT $2",
        org_id,
        first,
    )
    return [
        UsageCount(
            artifact_count=int(r["n"]),
            total_bytes=int(r["b"]),
            workflow_id=None if r["workflow_key"] == NO_WORKFLOW else r["workflow_key"],
        )
        for r in records
    ]
