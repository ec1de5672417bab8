"""The clean-up round's steps beyond failed and abandoned uploads (``cairn gc`` and the
background sweep run them all, in :func:`cairn.services.sweeper.sweep_once`):

* **expired artifacts**: rows and objects deleted, one transaction each, the key's
  version counter locked first so ``isLatest`` moves to the newest live version as
  ``deleteArtifact`` does;
* **objects with no row** under ``orgs/<org>/artifacts/``, and **rows with no object**:
  each organization's objects are listed page by page in key order, which is the order
  of the artifact ids in the key; each page is compared with the rows of the same id
  range in one statement. An object whose id has no row at all (any status) and that is
  older than ``CAIRN_SWEEP_GRACE_SECONDS`` is removed. An AVAILABLE row whose object is
  not listed, published well before the listing began, is reported and marked
  (``object_missing_at``: ``signedUrl`` answers OBJECT_MISSING), never deleted; the mark
  is lifted once the object is back.

A row is inserted before any object of its id exists, and an AVAILABLE row's object was
written before it became AVAILABLE, so neither check can touch a publish in flight.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from cairn.db import artifacts as sql
from cairn.db import gc as gc_sql
from cairn.db.pool import Database
from cairn.metrics import GC_REMOVED
from cairn.services.cleanup import id_of_final_key, object_key, objects_of
from cairn.services.kinds import INLINE_TYPES
from cairn.storage import LIST_PAGE, BlobStore, ObjectInfo

log = logging.getLogger("cairn.gc")

EXPIRED = "expired"
ABANDONED = "abandoned_upload"
ORPHAN = "orphan_object"
MISSING = "missing_object"  # reported and marked, never removed
# A row counts as missing its object only if it was published this long before the
# listing began (at least; more with a longer CAIRN_SWEEP_GRACE_SECONDS).
MISSING_MARGIN_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class Leftover:
    """One thing the round removed (or, dry, would remove), or a row missing its object."""

    reason: str
    org_id: str | None
    artifact_id: UUID | None
    object_key: str | None
    size_bytes: int

    def as_json(self) -> dict[str, object]:
        return {
            "reason": self.reason,
            "organization": self.org_id,
            "artifactId": None if self.artifact_id is None else str(self.artifact_id),
            "objectKey": self.object_key,
            "bytes": self.size_bytes,
        }


def stored_bytes(candidate: gc_sql.Candidate) -> int:
    """What removing it frees in object storage (inline kinds live in PostgreSQL)."""
    return 0 if candidate.type in INLINE_TYPES else candidate.size_bytes


def count_removed(reason: str, n: int) -> None:
    if n:
        GC_REMOVED.labels(reason=reason).inc(n)


async def remove_expired(
    db: Database,
    store: BlobStore,
    org_id: str,
    *,
    limit: int,
    ids: list[UUID] | None = None,
    dry_run: bool = False,
) -> list[Leftover]:
    """Delete up to ``limit`` expired artifacts of ``org_id`` (rows and objects)."""
    async with db.scoped(org_id, readonly=dry_run) as conn:
        found = await gc_sql.expired(conn, org_id, limit, ids)
    done: list[Leftover] = []
    for candidate in found:
        if not dry_run:
            async with db.scoped(org_id) as conn:
                await sql.lock_key_of(conn, org_id, candidate.id)
                removed = await sql.delete_one(conn, org_id, candidate.id, only_expired=True)
                # inside the transaction, as deleteArtifact: storage down keeps the row
                await store.delete(*objects_of(org_id, removed))
            if not removed:
                continue  # extended or deleted meanwhile
        done.append(Leftover(EXPIRED, org_id, candidate.id, None, stored_bytes(candidate)))
    if not dry_run:
        count_removed(EXPIRED, len(done))
        if done:
            log.info("removed %d expired artifact(s) of %s", len(done), org_id)
    return done


def _unreferenced(key: str, row: gc_sql.StoredRow | None) -> bool:
    """True when no row refers to the object at ``key``: its id has no row, or its row is
    published under another key (the original left behind by a revoke)."""
    if row is None:
        return True
    return (
        row.status == "AVAILABLE"
        and row.storage_path is not None
        and object_key(row.storage_path) != key
    )


async def check_objects(
    db: Database,
    store: BlobStore,
    org_id: str,
    *,
    grace_seconds: float,
    dry_run: bool = False,
    page: int = LIST_PAGE,
) -> list[Leftover]:
    """Objects of ``org_id`` with no row (removed) and rows with no object (marked);
    see the module docstring."""
    prefix = f"orgs/{org_id}/artifacts/"
    started = datetime.now(UTC)
    cutoff = started - timedelta(seconds=grace_seconds)
    published_before = started - timedelta(seconds=max(grace_seconds, MISSING_MARGIN_SECONDS))
    found: list[Leftover] = []
    start_after: str | None = None
    lower: UUID | None = None
    while True:
        listed = await store.list_page(prefix, start_after=start_after, limit=page)
        last = len(listed) < page
        if listed:
            start_after = listed[-1].key
        # an id can have two objects for a moment: a revoked URL's copy and its original
        objects: dict[UUID, list[ObjectInfo]] = {}
        junk: list[ObjectInfo] = []
        for info in listed:
            ident = id_of_final_key(info.key)
            if ident is None:
                junk.append(info)
            else:
                objects.setdefault(ident, []).append(info)
        upper = None if last else (max(objects) if objects else lower)
        async with db.scoped(org_id, readonly=True) as conn:
            rows = await gc_sql.rows_for_objects(conn, org_id, list(objects), lower, upper)
        known = {row.id: row for row in rows}
        orphans = [
            o for i, infos in objects.items() for o in infos if _unreferenced(o.key, known.get(i))
        ] + junk
        orphans = [o for o in orphans if o.modified < cutoff]
        missing = [
            row
            for row in rows
            if row.id not in objects
            and row.status == "AVAILABLE"
            and row.type not in INLINE_TYPES
            and row.storage_path is not None
            and row.published_at is not None
            and row.published_at < published_before
        ]
        back = [row.id for row in rows if row.id in objects and row.object_missing_at]
        if not dry_run:
            if orphans:
                await store.delete(*(o.key for o in orphans))
            if missing or back:
                async with db.scoped(org_id) as conn:
                    if missing:
                        await gc_sql.mark_missing(conn, org_id, [row.id for row in missing])
                    if back:
                        await gc_sql.clear_missing(conn, org_id, back)
        found += [Leftover(ORPHAN, org_id, id_of_final_key(o.key), o.key, o.size) for o in orphans]
        found += [
            Leftover(MISSING, org_id, row.id, object_key(row.storage_path or ""), row.size_bytes)
            for row in missing
        ]
        if last:
            break
        lower = upper
    if not dry_run:
        count_removed(ORPHAN, sum(1 for f in found if f.reason == ORPHAN))
        n_missing = sum(1 for f in found if f.reason == MISSING)
        if n_missing:
            log.warning(
                "%d artifact(s) of %s have no object in storage: marked, signedUrl answers "
                "OBJECT_MISSING",
                n_missing,
                org_id,
            )
    return found
