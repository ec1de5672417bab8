"""Artifact writes: insert, publish (versioned), fail, update, delete, notify.

Versions come from ``artifact_keys``: :func:`bump_version` upserts and row-locks the
key's counter, so publishers of one key serialize there (across replicas); everything
that changes ``is_latest`` of a key runs in a later statement of the same transaction,
whose snapshot is taken after the lock and so sees every earlier publisher's rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any
from uuid import UUID

import asyncpg
import orjson

from cairn.db.rows import ArtifactRow
from cairn.db.sessions import PUBLISHED_CHANNEL
from cairn.db.where import not_expired

IDEMPOTENCY_CONSTRAINT = "artifacts_org_id_idempotency_key_key"
UPDATABLE = ("description", "metadata", "category", "display_name", "expires_at")


@dataclass(frozen=True, slots=True)
class NewArtifact:
    """A row to insert. Every field but ``id`` and ``workflow_run_id`` is the column of the
    same name and goes into the INSERT as it is (see :data:`INSERT_COLUMNS`): a new column
    is a new field here, with its default."""

    id: UUID
    type: str
    display_name: str
    mime_type: str
    created_by: str
    key: str | None = None
    category: str | None = None
    description: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    workflow_run_id: UUID | None = None
    idempotency_key: str | None = None
    request_hash: str | None = None
    size_bytes: int = 0
    sha256: str = ""
    data: Any = None
    staging_path: str | None = None
    retention_days: int | None = None  # not a column: it sets expires_at (see _INSERT)


@dataclass(frozen=True, slots=True)
class Removed:
    """A deleted row: what the service needs to remove its objects."""

    id: UUID
    type: str
    storage_path: str | None
    staging_path: str | None


# $1 org_id, $2 id, $3 workflow_run_id (its workflow and job run are looked up), $4 status,
# $5 version, $6 the artifact's retentionDays, $7 the service's CAIRN_RETENTION_DAYS; then
# one parameter per column of INSERT_COLUMNS, in that order. expires_at is the first of
# retentionDays, the workflow's retention_days and the service default that is set, from
# now; 0 (or no default) is never.
_FIXED_PARAMS = 7
INSERT_COLUMNS = tuple(
    f.name for f in fields(NewArtifact) if f.name not in ("id", "workflow_run_id", "retention_days")
)
_CASTS = {"data": "::jsonb", "metadata": "::jsonb"}
_PARAM = {
    column: f"${i}{_CASTS.get(column, '')}"
    for i, column in enumerate(INSERT_COLUMNS, start=_FIXED_PARAMS + 1)
}
_KEY = _PARAM["key"]
_INSERT = f"""
WITH org AS (
    INSERT INTO organizations (org_id) VALUES ($1) ON CONFLICT (org_id) DO NOTHING
), run AS (
    SELECT r.id, r.workflow_id, r.job_run_id, w.retention_days FROM workflow_runs r
    JOIN workflows w ON w.org_id = r.org_id AND w.id = r.workflow_id
    WHERE r.org_id = $1 AND r.id = $3
), previous AS (
    UPDATE artifacts SET is_latest = false, updated_at = now()
    WHERE org_id = $1 AND $4 = 'AVAILABLE' AND {_KEY}::text IS NOT NULL AND key = {_KEY}
      AND is_latest
)
INSERT INTO artifacts (
    org_id, id, workflow_run_id, workflow_id, job_run_id, status, version, is_latest,
    published_at, expires_at, {", ".join(INSERT_COLUMNS)}
)
SELECT $1, $2, run.id, run.workflow_id, run.job_run_id, $4, $5, $4 = 'AVAILABLE',
       CASE WHEN $4 = 'AVAILABLE' THEN now() END,
       clock_timestamp() + make_interval(days => nullif(
           coalesce($6::integer, run.retention_days, nullif($7::integer, 0)), 0)),
       {", ".join(_PARAM.values())}
FROM (SELECT 1) AS one LEFT JOIN run ON true
WHERE $3::uuid IS NULL OR run.id IS NOT NULL
RETURNING *
"""


async def insert(
    conn: asyncpg.Connection,
    org_id: str,
    new: NewArtifact,
    *,
    status: str = "PENDING",
    version: int | None = None,
    default_retention_days: int = 0,
) -> ArtifactRow | None:
    """Insert a row (PENDING, or AVAILABLE for inline kinds: then it becomes the key's
    latest); ``None`` when ``workflow_run_id`` is not a run of this organization.
    Raises UniqueViolationError on a used idempotency key."""
    record = await conn.fetchrow(
        _INSERT,
        org_id,
        new.id,
        new.workflow_run_id,
        status,
        version,
        new.retention_days,
        default_retention_days,
        *(getattr(new, column) for column in INSERT_COLUMNS),
    )
    return None if record is None else ArtifactRow.from_record(record)


async def bump_version(conn: asyncpg.Connection, org_id: str, key: str) -> int:
    """Take the next version of ``key``, locking its counter until the transaction ends."""
    version = await conn.fetchval(
        """WITH org AS (
               INSERT INTO organizations (org_id) VALUES ($1) ON CONFLICT (org_id) DO NOTHING
           )
           INSERT INTO artifact_keys (org_id, key, last_version) VALUES ($1, $2, 1)
           ON CONFLICT (org_id, key)
           DO UPDATE SET last_version = artifact_keys.last_version + 1
           RETURNING last_version""",
        org_id,
        key,
    )
    return int(version)


async def publish(
    conn: asyncpg.Connection,
    org_id: str,
    artifact_id: UUID,
    key: str | None,
    version: int | None,
    storage_path: str,
    size_bytes: int,
    sha256: str,
) -> ArtifactRow | None:
    """PENDING -> AVAILABLE with its version, as the key's latest; ``None`` if the row is
    no longer PENDING (deleted, failed, or published by a concurrent call)."""
    record = await conn.fetchrow(
        """WITH previous AS (
               UPDATE artifacts SET is_latest = false, updated_at = now()
               WHERE org_id = $1 AND $3::text IS NOT NULL AND key = $3 AND is_latest
                 AND id <> $2
           )
           UPDATE artifacts SET status = 'AVAILABLE', version = $4, is_latest = true,
               published_at = now(), updated_at = now(), storage_path = $5,
               staging_path = NULL, size_bytes = $6, sha256 = $7
           WHERE org_id = $1 AND id = $2 AND status = 'PENDING'
           RETURNING *""",
        org_id,
        artifact_id,
        key,
        version,
        storage_path,
        size_bytes,
        sha256,
    )
    return None if record is None else ArtifactRow.from_record(record)


async def notify_published(conn: asyncpg.Connection, org_id: str, row: ArtifactRow) -> None:
    """Tell every replica's subscription listener (channel ``cairn_artifact_published``);
    delivered only if the publishing transaction commits."""
    payload = orjson.dumps(
        {
            "org_id": org_id,
            "id": str(row.id),
            "workflow_run_id": _text(row.workflow_run_id),
            "job_run_id": _text(row.job_run_id),
            "workflow_id": _text(row.workflow_id),
        }
    ).decode()
    await conn.execute("SELECT pg_notify($1, $2)", PUBLISHED_CHANNEL, payload)


def _text(value: UUID | None) -> str | None:
    return None if value is None else str(value)


async def get(conn: asyncpg.Connection, org_id: str, artifact_id: UUID) -> ArtifactRow | None:
    record = await conn.fetchrow(
        "SELECT * FROM artifacts WHERE org_id = $1 AND id = $2", org_id, artifact_id
    )
    return None if record is None else ArtifactRow.from_record(record)


async def get_by_idempotency_key(
    conn: asyncpg.Connection, org_id: str, idempotency_key: str
) -> ArtifactRow | None:
    record = await conn.fetchrow(
        "SELECT * FROM artifacts WHERE org_id = $1 AND idempotency_key = $2",
        org_id,
        idempotency_key,
    )
    return None if record is None else ArtifactRow.from_record(record)


async def mark_failed(
    conn: asyncpg.Connection, org_id: str, artifact_id: UUID, staging_path: str | None
) -> ArtifactRow | None:
    """PENDING -> FAILED; ``staging_path`` keeps an object that could not be removed."""
    record = await conn.fetchrow(
        "UPDATE artifacts SET status = 'FAILED', staging_path = $3, updated_at = now() "
        "WHERE org_id = $1 AND id = $2 AND status = 'PENDING' RETURNING *",
        org_id,
        artifact_id,
        staging_path,
    )
    return None if record is None else ArtifactRow.from_record(record)


async def delete_unpublished(conn: asyncpg.Connection, org_id: str, artifact_id: UUID) -> None:
    await conn.execute(
        "DELETE FROM artifacts WHERE org_id = $1 AND id = $2 AND status <> 'AVAILABLE'",
        org_id,
        artifact_id,
    )


async def update(
    conn: asyncpg.Connection, org_id: str, artifact_id: UUID, changes: dict[str, Any]
) -> ArtifactRow | None:
    """Set some of :data:`UPDATABLE` (column names are whitelisted, values are params)."""
    columns = [c for c in UPDATABLE if c in changes]
    sets = ", ".join(f"{c} = ${i}" for i, c in enumerate(columns, start=3))
    record = await conn.fetchrow(
        f"UPDATE artifacts SET {sets + ', ' if sets else ''}updated_at = now() "
        f"WHERE org_id = $1 AND id = $2 AND {not_expired('artifacts')} RETURNING *",
        org_id,
        artifact_id,
        *(changes[c] for c in columns),
    )
    return None if record is None else ArtifactRow.from_record(record)


async def lock_key_of(conn: asyncpg.Connection, org_id: str, artifact_id: UUID) -> None:
    """Lock the version counter of the artifact's key (no-op without a key), so deleting
    and publishing in one key serialize the same way."""
    await conn.execute(
        "SELECT 1 FROM artifact_keys WHERE org_id = $1 AND key = "
        "(SELECT key FROM artifacts WHERE org_id = $1 AND id = $2) FOR UPDATE",
        org_id,
        artifact_id,
    )


async def delete_one(
    conn: asyncpg.Connection, org_id: str, artifact_id: UUID, *, only_expired: bool = False
) -> list[Removed]:
    """Delete one artifact (``only_expired``: only if it has expired); if it was its key's
    latest, the highest remaining AVAILABLE version that has not expired becomes latest.
    Call :func:`lock_key_of` first in the same transaction."""
    records = await conn.fetch(
        """WITH gone AS (
               DELETE FROM artifacts WHERE org_id = $1 AND id = $2
                 AND (NOT $3 OR (expires_at IS NOT NULL AND expires_at <= now()))
               RETURNING id, key, type, is_latest, storage_path, staging_path
           ), successor AS (
               UPDATE artifacts SET is_latest = true, updated_at = now()
               WHERE org_id = $1 AND id = (
                   SELECT a.id FROM artifacts a JOIN gone g ON a.key = g.key
                   WHERE a.org_id = $1 AND g.is_latest AND a.id <> g.id
                     AND a.status = 'AVAILABLE' AND (a.expires_at IS NULL OR a.expires_at > now())
                   ORDER BY a.version DESC LIMIT 1)
           )
           SELECT id, type, storage_path, staging_path FROM gone""",
        org_id,
        artifact_id,
        only_expired,
    )
    return [_removed(r) for r in records]


async def delete_key(conn: asyncpg.Connection, org_id: str, key: str) -> list[Removed]:
    """Delete every version of ``key`` and its counter (a later publish starts at 1).
    Two statements: the first locks the counter, so the second sees every publisher."""
    await conn.execute("DELETE FROM artifact_keys WHERE org_id = $1 AND key = $2", org_id, key)
    records = await conn.fetch(
        "DELETE FROM artifacts WHERE org_id = $1 AND key = $2 "
        "RETURNING id, type, storage_path, staging_path",
        org_id,
        key,
    )
    return [_removed(r) for r in records]


async def claim_leftovers(
    conn: asyncpg.Connection,
    org_id: str,
    older_than_seconds: float,
    limit: int,
    ids: list[UUID] | None = None,
    *,
    failed: bool = True,
) -> list[Removed]:
    """The organization's leftovers, to remove (objects first, then rows: see
    :func:`delete_leftovers`): up to ``limit`` PENDING rows untouched for
    ``older_than_seconds`` (abandoned uploads), which this marks FAILED so that nothing
    publishes them any more (rows another transaction holds are skipped), plus, if
    ``failed``, up to ``limit`` FAILED rows still holding a ``staging_path`` (a clean-up
    that could not remove their objects). ``ids`` narrows both to those artifacts."""
    records = await conn.fetch(
        """WITH stale AS (
               SELECT id FROM artifacts
               WHERE org_id = $1 AND status = 'PENDING'
                 AND updated_at < now() - make_interval(secs => $2)
                 AND ($4::uuid[] IS NULL OR id = ANY($4::uuid[]))
               ORDER BY updated_at LIMIT $3 FOR UPDATE SKIP LOCKED
           ), claimed AS (
               -- FAILED with its staging object key (cleanup.staging_key) if it had none
               UPDATE artifacts a SET status = 'FAILED', updated_at = now(),
                   staging_path = coalesce(a.staging_path, 'staging/' || a.id::text)
               FROM stale WHERE a.org_id = $1 AND a.id = stale.id
               RETURNING a.id, a.type, a.storage_path, a.staging_path
           ), failed AS (
               SELECT id, type, storage_path, staging_path FROM artifacts
               WHERE $5 AND org_id = $1 AND status = 'FAILED' AND staging_path IS NOT NULL
                 AND ($4::uuid[] IS NULL OR id = ANY($4::uuid[]))
               ORDER BY updated_at LIMIT $3
           )
           SELECT * FROM claimed UNION ALL SELECT * FROM failed""",
        org_id,
        float(older_than_seconds),
        limit,
        ids,
        failed,
    )
    return [_removed(r) for r in records]


async def delete_leftovers(conn: asyncpg.Connection, org_id: str, ids: list[UUID]) -> list[UUID]:
    """Delete FAILED rows whose objects are gone (those :func:`claim_leftovers` returned)."""
    records = await conn.fetch(
        "DELETE FROM artifacts WHERE org_id = $1 AND id = ANY($2::uuid[]) "
        "AND status = 'FAILED' AND staging_path IS NOT NULL RETURNING id",
        org_id,
        ids,
    )
    return [r["id"] for r in records]


def _removed(record: asyncpg.Record) -> Removed:
    return Removed(
        id=record["id"],
        type=record["type"],
        storage_path=record["storage_path"],
        staging_path=record["staging_path"],
    )


async def repoint(
    conn: asyncpg.Connection,
    org_id: str,
    artifact_id: UUID,
    old_path: str,
    new_path: str,
    old_key: str,
) -> ArtifactRow | None:
    """Point an AVAILABLE artifact at a copy of its bytes (``revokeSignedUrls``), keeping
    the old object's key in ``staging_path`` until it is removed; ``None`` if the row is
    no longer AVAILABLE at ``old_path`` (deleted, or re-pointed by a concurrent call)."""
    record = await conn.fetchrow(
        "UPDATE artifacts SET storage_path = $4, staging_path = $5, updated_at = now() "
        "WHERE org_id = $1 AND id = $2 AND status = 'AVAILABLE' AND storage_path = $3 "
        "RETURNING *",
        org_id,
        artifact_id,
        old_path,
        new_path,
        old_key,
    )
    return None if record is None else ArtifactRow.from_record(record)


async def forget_leftover(
    conn: asyncpg.Connection, org_id: str, artifact_id: UUID, key: str
) -> ArtifactRow | None:
    """Clear the ``staging_path`` of an AVAILABLE artifact once that object is gone."""
    record = await conn.fetchrow(
        "UPDATE artifacts SET staging_path = NULL WHERE org_id = $1 AND id = $2 "
        "AND status = 'AVAILABLE' AND staging_path = $3 RETURNING *",
        org_id,
        artifact_id,
        key,
    )
    return None if record is None else ArtifactRow.from_record(record)
