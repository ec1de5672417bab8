"""Changing, deleting and revoking artifacts (publishing is in :mod:`cairn.services.publish`).

Deleting removes rows and objects in one go: the objects are removed inside the
transaction, so if storage fails the rows stay (and a retry finishes the job) instead of
rows pointing at nothing or objects nobody can find.

Revoking (``revokeSignedUrls``) cannot un-sign a URL, so it moves what URLs point at. An
AVAILABLE file's bytes are copied server-side to a fresh key (:func:`revoked_key`), the
row re-pointed in one transaction that records the revocation and keeps the old key in
``staging_path``, and then the old object is removed (and the key forgotten): every URL
signed before names an object that no longer exists (403/404), while reads mint URLs for
the new key, with the same bytes. At every moment the row names an object that exists. If
storage fails after the re-pointing, the error says so and a retry removes the old object.
A PENDING upload is marked FAILED (its upload URL can still write ``staging/<id>``, but
nothing will ever publish those bytes: the sweep removes them).
"""

from __future__ import annotations

from typing import Any

from cairn.db import artifacts as sql
from cairn.db.rows import ArtifactRow
from cairn.errors import StorageUnavailable, not_found
from cairn.services import validation
from cairn.services.audit import DELETED, UPDATED, URL_REVOKED
from cairn.services.base import Service
from cairn.services.cleanup import (
    object_key,
    objects_of,
    revoked_key,
    settle,
    staging_key,
)
from cairn.services.kinds import INLINE_TYPES

REVOKE_ATTEMPTS = 5  # re-reads when a concurrent publish or revoke changed the row


class ArtifactAdmin(Service):
    async def update(self, artifact_id: str, changes: dict[str, Any]) -> ArtifactRow:
        uuid = validation.parse_id("artifact", artifact_id)
        clean = validation.clean_update(changes)
        async with self._db.scoped(self._org) as conn:
            row = await sql.update(conn, self._org, uuid, clean)
            if row is not None:
                await self._audit.write(conn, UPDATED, uuid, {"fields": sorted(clean)})
        if row is None:
            raise not_found("artifact", artifact_id)
        return row

    async def delete(self, artifact_id: str) -> int:
        uuid = validation.parse_id("artifact", artifact_id)
        async with self._db.scoped(self._org) as conn:
            await sql.lock_key_of(conn, self._org, uuid)
            removed = await sql.delete_one(conn, self._org, uuid)
            if not removed:
                raise not_found("artifact", artifact_id)
            await self._record_deleted(conn, removed)
            # inside the transaction: if storage fails, the rows stay and a retry works
            await self._store.delete(*objects_of(self._org, removed))
        return len(removed)

    async def delete_key(self, key: str) -> int:
        clean = validation.check_key(key)
        async with self._db.scoped(self._org) as conn:
            removed = await sql.delete_key(conn, self._org, clean)
            await self._record_deleted(conn, removed, key=clean)
            await self._store.delete(*objects_of(self._org, removed))
        return len(removed)

    async def _record_deleted(
        self, conn: Any, removed: list[sql.Removed], key: str | None = None
    ) -> None:
        details = {} if key is None else {"key": key}
        await self._audit.write_many(conn, [(DELETED, r.id, details) for r in removed])

    # --- revokeSignedUrls ------------------------------------------------------------

    async def revoke(self, artifact_id: str) -> ArtifactRow:
        uuid = validation.parse_id("artifact", artifact_id)
        for _ in range(REVOKE_ATTEMPTS):
            async with self._db.scoped(self._org, readonly=True) as conn:
                row = await sql.get(conn, self._org, uuid)
            if row is None:
                raise not_found("artifact", artifact_id)
            if row.status == "PENDING":
                done = await self._fail_upload(row)
            elif row.status == "AVAILABLE" and row.storage_path and row.type not in INLINE_TYPES:
                done = await self._move(row)
            else:  # inline kinds and FAILED uploads: no URL leads to their bytes
                async with self._db.scoped(self._org) as conn:
                    await self._audit.write(conn, URL_REVOKED, uuid, {"status": row.status})
                return row
            if done is not None:
                return done
        raise StorageUnavailable(
            f"artifact {artifact_id} kept changing while its URLs were revoked; retry"
        )

    async def _fail_upload(self, row: ArtifactRow) -> ArtifactRow | None:
        """PENDING -> FAILED (None if it was settled meanwhile: the caller re-reads)."""
        async with self._db.scoped(self._org) as conn:
            failed = await sql.mark_failed(conn, self._org, row.id, staging_key(row.id))
            if failed is None:
                return None
            await self._audit.write(conn, URL_REVOKED, row.id, {"status": "PENDING"})
        # its objects go now if storage answers, else the sweep removes them (FAILED
        # with its staging key)
        await settle(self._store.delete(staging_key(row.id)), "remove a revoked upload")
        return failed

    async def _move(self, row: ArtifactRow) -> ArtifactRow | None:
        """Copy the bytes to a fresh key, re-point the row, remove the old object."""
        assert row.storage_path is not None
        if row.staging_path:  # a revocation whose removal failed before: finish it first
            await self._remove_old(row, row.staging_path)
        old_path, old_key = row.storage_path, object_key(row.storage_path)
        new_key = revoked_key(self._org, row.id)
        new_path = f"{self._store.bucket}/{new_key}"
        await self._store.copy(old_key, new_key, row.mime_type)
        try:
            async with self._db.scoped(self._org) as conn:
                moved = await sql.repoint(conn, self._org, row.id, old_path, new_path, old_key)
                if moved is not None:
                    await self._audit.write(
                        conn, URL_REVOKED, row.id, {"status": "AVAILABLE", "sha256": row.sha256}
                    )
        except BaseException:
            await settle(self._store.delete(new_key), "remove an unused copy")
            raise
        if moved is None:  # deleted or revoked meanwhile: the copy is nobody's
            await settle(self._store.delete(new_key), "remove an unused copy")
            return None
        return await self._remove_old(moved, old_key)

    async def _remove_old(self, row: ArtifactRow, old_key: str) -> ArtifactRow:
        try:
            await self._store.delete(old_key)
        except StorageUnavailable as exc:
            raise StorageUnavailable(
                "the artifact's bytes were moved to a new key, but the old object could "
                "not be removed yet, so URLs signed before may still work: call "
                "revokeSignedUrls again shortly"
            ) from exc
        async with self._db.scoped(self._org) as conn:
            done = await sql.forget_leftover(conn, self._org, row.id, old_key)
        return done or row
