"""Changing and deleting artifacts (publishing is in :mod:`cairn.services.publish`).

Deleting removes rows and objects in one go: the objects are removed inside the
transaction, so if storage fails the rows stay (and a retry finishes the job) instead of
rows pointing at nothing or objects nobody can find.
"""

from __future__ import annotations

from typing import Any

from cairn.db import artifacts as sql
from cairn.db.rows import ArtifactRow
from cairn.errors import not_found
from cairn.services import validation
from cairn.services.base import Service
from cairn.services.cleanup import objects_of


class ArtifactAdmin(Service):
    async def update(self, artifact_id: str, changes: dict[str, Any]) -> ArtifactRow:
        uuid = validation.parse_id("artifact", artifact_id)
        clean = validation.clean_update(changes)
        async with self._db.scoped(self._org) as conn:
            row = await sql.update(conn, self._org, uuid, clean)
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
            # inside the transaction: if storage fails, the rows stay and a retry works
            await self._store.delete(*objects_of(self._org, removed))
        return len(removed)

    async def delete_key(self, key: str) -> int:
        clean = validation.check_key(key)
        async with self._db.scoped(self._org) as conn:
            removed = await sql.delete_key(conn, self._org, clean)
            await self._store.delete(*objects_of(self._org, removed))
        return len(removed)
