"""SQL of the clean-up round beyond the upload sweep (``sql/0008_retention.sql``):
expired artifacts, every organization's id, and the rows behind listed objects.

:func:`expired_everywhere` and :func:`organization_ids` run on the sweep's connection
(``cairn_app``, no organization set) through SECURITY DEFINER functions that return ids
only; everything else runs in org-scoped transactions under row-level security.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import asyncpg

from cairn.db.pool import APP_ROLE, Database


@dataclass(frozen=True, slots=True)
class Candidate:
    """An artifact the round may remove, with what removing it frees."""

    id: UUID
    type: str
    size_bytes: int
    key: str | None = None


@dataclass(frozen=True, slots=True)
class StoredRow:
    """A row behind (or expected behind) an object under ``orgs/<org>/artifacts/``."""

    id: UUID
    status: str
    type: str
    storage_path: str | None
    published_at: datetime | None
    object_missing_at: datetime | None
    size_bytes: int


async def organization_ids(conn: asyncpg.Connection) -> list[str]:
    records = await conn.fetch("SELECT org_id FROM cairn_organization_ids()")
    return [r["org_id"] for r in records]


async def every_organization(db: Database) -> list[str]:
    """Every organization's id, on a connection of its own (as ``cairn_app``)."""
    async with db.connection() as conn, conn.transaction():
        await conn.execute(f"SET LOCAL ROLE {APP_ROLE}")
        return await organization_ids(conn)


async def expired_everywhere(conn: asyncpg.Connection, limit: int) -> list[tuple[str, UUID]]:
    """(org_id, id) of expired artifacts in every organization, oldest expiry first."""
    records = await conn.fetch("SELECT org_id, id FROM cairn_expired_artifacts($1)", limit)
    return [(r["org_id"], r["id"]) for r in records]


async def expired(
    conn: asyncpg.Connection, org_id: str, limit: int, ids: list[UUID] | None = None
) -> list[Candidate]:
    """The organization's expired artifacts (only ``ids`` among them, when given)."""
    records = await conn.fetch(
        "SELECT id, type, size_bytes, key FROM artifacts WHERE org_id = $1 "
        "AND expires_at IS NOT NULL AND expires_at <= now() "
        "AND ($3::uuid[] IS NULL OR id = ANY($3::uuid[])) ORDER BY expires_at, id LIMIT $2",
        org_id,
        limit,
        ids,
    )
    return [_candidate(r) for r in records]


async def leftovers(
    conn: asyncpg.Connection,
    org_id: str,
    older_than_seconds: float,
    limit: int,
    ids: list[UUID] | None = None,
) -> list[Candidate]:
    """What :func:`cairn.db.artifacts.claim_leftovers` would claim, changing nothing
    (``cairn gc --dry-run``)."""
    records = await conn.fetch(
        """(SELECT id, type, size_bytes, key FROM artifacts
            WHERE org_id = $1 AND status = 'PENDING'
              AND updated_at < now() - make_interval(secs => $2)
              AND ($4::uuid[] IS NULL OR id = ANY($4::uuid[]))
            ORDER BY updated_at LIMIT $3)
           UNION ALL
           (SELECT id, type, size_bytes, key FROM artifacts
            WHERE org_id = $1 AND status = 'FAILED' AND staging_path IS NOT NULL
              AND ($4::uuid[] IS NULL OR id = ANY($4::uuid[]))
            ORDER BY updated_at LIMIT $3)""",
        org_id,
        float(older_than_seconds),
        limit,
        ids,
    )
    return [_candidate(r) for r in records]


async def rows_for_objects(
    conn: asyncpg.Connection,
    org_id: str,
    ids: list[UUID],
    after: UUID | None,
    upto: UUID | None,
) -> list[StoredRow]:
    """The rows with these ``ids`` (any status), and the AVAILABLE rows with an object
    whose id is in ``(after, upto]`` (None: unbounded): the rows of one listed page."""
    records = await conn.fetch(
        """SELECT id, status, type, storage_path, published_at, object_missing_at, size_bytes
           FROM artifacts WHERE org_id = $1 AND (id = ANY($2::uuid[]) OR (
               status = 'AVAILABLE' AND storage_path IS NOT NULL
               AND ($3::uuid IS NULL OR id > $3) AND ($4::uuid IS NULL OR id <= $4)))""",
        org_id,
        ids,
        after,
        upto,
    )
    return [StoredRow(**dict(r)) for r in records]


async def mark_missing(conn: asyncpg.Connection, org_id: str, ids: list[UUID]) -> None:
    """Mark AVAILABLE rows whose object storage does not have (signedUrl: OBJECT_MISSING)."""
    await conn.execute(
        "UPDATE artifacts SET object_missing_at = now() WHERE org_id = $1 "
        "AND id = ANY($2::uuid[]) AND status = 'AVAILABLE' AND object_missing_at IS NULL",
        org_id,
        ids,
    )


async def clear_missing(conn: asyncpg.Connection, org_id: str, ids: list[UUID]) -> None:
    """Their objects are back (say the bucket was restored): sign them again."""
    await conn.execute(
        "UPDATE artifacts SET object_missing_at = NULL WHERE org_id = $1 "
        "AND id = ANY($2::uuid[]) AND object_missing_at IS NOT NULL",
        org_id,
        ids,
    )


def _candidate(record: asyncpg.Record) -> Candidate:
    return Candidate(
        id=record["id"],
        type=record["type"],
        size_bytes=int(record["size_bytes"]),
        key=record["key"],
    )
