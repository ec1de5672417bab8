"""Changing and deleting artifacts (publishing is in :mod:`cairn.services.publish`).

Deleting removes rows and objects in one go: the objects are removed inside the
transaction, so if storage fails the rows stay (and a retry finishes the job) instead of
rows pointing at nothing or objects nobody can find.
"""

from __future__ import annotations

from typing import Any

from cairn.db import artifacts as sql
from cairn.db.pool import Database
from cairn.db.rows import ArtifactRow
from cairn.errors import not_found
from cairn.services.artifact_content import INLINE_TYPES
from cairn.services.artifact_validation import check_key, clean_update
from cairn.services.publish import final_key, parse_artifact_id, staging_key
from cairn.storage import BlobStore


class ArtifactAdmin:
    def __init__(self, db: Database, store: BlobStore, org_id: str) -> None:
        self._db = db
        self._store = store
        self._org = org_id

    async def update(self, artifact_id: str, changes: dict[str, Any]) -> ArtifactRow:
        uuid = parse_artifact_id(artifact_id)
        clean = clean_update(changes)
        async with self._db.scoped(self._org) as conn:
            row = await sql.update(conn, self._org, uuid, clean)
        if row is None:
            raise not_found("artifact", artifact_id)
        return row

    async def delete(self, artifact_id: str) -> int:
        uuid = parse_artifact_id(artifact_id)
        async with self._db.scoped(self._org) as conn:
            await sql.lock_key_of(conn, self._org, uuid)
            removed = await sql.delete_one(conn, self._org, uuid)
            if not removed:
                raise not_found("artifact", artifact_id)
            # inside the transaction: if storage fails, the rows stay and a retry works
            await self._store.delete(*self._objects_of(removed))
        return len(removed)

    async def delete_key(self, key: str) -> int:
        clean = check_key(key)
        async with self._db.scoped(self._org) as conn:
            removed = await sql.delete_key(conn, self._org, clean)
            await self._store.delete(*self._objects_of(removed))
        return len(removed)

    def _objects_of(self, removed: list[sql.Removed]) -> list[str]:
        """Every object a deleted row may have: the final and staging keys are derived
        from the id (so a half-finished publish's objects go too), plus what it recorded."""
        keys: dict[str, None] = {}
        for row in removed:
            if row.type in INLINE_TYPES:
                continue
            keys[final_key(self._org, row.id)] = None
            keys[staging_key(row.id)] = None
            if row.staging_path:
                keys[row.staging_path] = None
            if row.storage_path:
                keys[row.storage_path.split("/", 1)[1]] = None
        return list(keys)
