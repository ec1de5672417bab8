"""Object keys, and removing one organization's failed and abandoned uploads.

A publish that fails removes its own objects and row (``publish.Publisher._abandon``);
if storage is down it cannot, and the row is kept FAILED with an object key in
``staging_path``. An upload begun and never completed stays PENDING. Both are leftovers:
:func:`clean_up_org` claims them (an abandoned PENDING row becomes FAILED, so nothing
publishes it any more), removes their objects, and only then deletes the rows. If storage
fails the rows stay FAILED with their keys, and the next clean-up tries again. It runs in
the global sweep (:mod:`cairn.services.sweeper`, every organization), and each
``beginArtifactUpload`` removes its organization's abandoned uploads the same way.

Clean-up never holds a client's answer for long: :func:`settle` runs it as a task and
waits for it at most :data:`CLEANUP_WAIT_SECONDS` (not at all when storage has just
timed out); what is not done by then finishes in the background, and whatever fails
is left, recorded, for the sweep.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import secrets
from collections.abc import Awaitable
from uuid import UUID

from cairn.config import Settings
from cairn.db import artifacts as sql
from cairn.db.pool import Database
from cairn.services.kinds import INLINE_TYPES
from cairn.storage import BlobStore

log = logging.getLogger("cairn.cleanup")


def final_key(org_id: str, artifact_id: UUID) -> str:
    return f"orgs/{org_id}/artifacts/{artifact_id}"


def revoked_key(org_id: str, artifact_id: UUID) -> str:
    """A fresh key for a published artifact's bytes (``revokeSignedUrls``): URLs signed
    for the previous key stop working once that object is gone. ``<final key>.<random>``:
    the artifact id is still its first dot-separated part (see :func:`id_of_final_key`)."""
    return f"{final_key(org_id, artifact_id)}.{secrets.token_hex(8)}"


def id_of_final_key(key: str) -> UUID | None:
    """The artifact id of a published object's key (``final_key`` or ``revoked_key``)."""
    parts = key.split("/")
    if len(parts) != 4 or parts[0] != "orgs" or parts[2] != "artifacts":
        return None
    try:
        return UUID(parts[3].split(".", 1)[0])
    except ValueError:
        return None


STAGING_PREFIX = "staging/"
CLEANUP_WAIT_SECONDS = 2.0

_background: set[asyncio.Future[object]] = set()


def staging_key(artifact_id: UUID) -> str:
    """Where an upload's bytes land first (a presigned upload URL can write here)."""
    return f"{STAGING_PREFIX}{artifact_id}"


def checked_key(artifact_id: UUID) -> str:
    """A fresh copy of the staging object that no URL can write: completing an upload
    hashes this copy, and publishes exactly it."""
    return f"{STAGING_PREFIX}{artifact_id}.{secrets.token_hex(8)}"


def id_of_staging_key(key: str) -> UUID | None:
    """The artifact id a staging object (or its checked copy) belongs to, if any."""
    name = key.removeprefix(STAGING_PREFIX)
    if name == key:
        return None
    try:
        return UUID(name.split(".", 1)[0])
    except ValueError:
        return None


async def settle(work: Awaitable[object], what: str, *, wait: float = CLEANUP_WAIT_SECONDS) -> None:
    """Run clean-up ``work``, waiting for it at most ``wait`` seconds; the rest goes on in
    the background (its failure is logged: the sweep is the safety net)."""
    task = asyncio.ensure_future(work)
    _background.add(task)
    task.add_done_callback(functools.partial(_settled, what))
    if wait > 0:
        await asyncio.wait({task}, timeout=wait)


def _settled(what: str, task: asyncio.Future[object]) -> None:
    _background.discard(task)
    if task.cancelled():
        return
    error = task.exception()
    if error is not None:
        detail = getattr(error, "message", None) or type(error).__name__
        log.warning("could not %s yet (%s); the sweep will", what, detail)


def object_key(storage_path: str) -> str:
    """The object key in a ``storage_path`` (``<bucket>/<object key>``)."""
    return storage_path.split("/", 1)[1]


def objects_of(org_id: str, removed: list[sql.Removed]) -> list[str]:
    """Every object deleted rows may have: the final and staging keys derive from the id
    (so a half-finished publish's objects go too), plus what the rows recorded."""
    keys: dict[str, None] = {}
    for row in removed:
        if row.type in INLINE_TYPES:
            continue
        keys[final_key(org_id, row.id)] = None
        keys[staging_key(row.id)] = None
        if row.staging_path:
            keys[row.staging_path] = None
        if row.storage_path:
            keys[object_key(row.storage_path)] = None
    return list(keys)


def abandoned_after(settings: Settings) -> int:
    """Seconds a PENDING upload may stay untouched before it counts as abandoned: the
    upload URL's lifetime plus a grace (``CAIRN_SWEEP_GRACE_SECONDS``, an hour), for a
    PUT begun just before the URL expired may still be running, and may be completed."""
    return settings.signed_url_ttl + settings.sweep_grace_seconds


async def clean_up_org(
    db: Database,
    store: BlobStore,
    org_id: str,
    *,
    older_than_seconds: float,
    limit: int,
    ids: list[UUID] | None = None,
) -> list[UUID]:
    """Remove up to ``limit`` abandoned uploads and up to ``limit`` FAILED rows with
    objects of ``org_id`` (only ``ids`` among them, when given); return the ids removed.
    Raises (StorageUnavailable, DatabaseUnavailable ...) with the rows left FAILED."""
    async with db.scoped(org_id) as conn:
        claimed = await sql.claim_leftovers(conn, org_id, older_than_seconds, limit, ids)
    return await remove_leftovers(db, store, org_id, claimed)


async def remove_leftovers(
    db: Database, store: BlobStore, org_id: str, claimed: list[sql.Removed]
) -> list[UUID]:
    """Objects first, then the rows (so no object is ever left without a row naming it)."""
    if not claimed:
        return []
    await store.delete(*objects_of(org_id, claimed))
    async with db.scoped(org_id) as conn:
        removed = await sql.delete_leftovers(conn, org_id, [row.id for row in claimed])
    if removed:
        log.info("removed %d failed or abandoned upload(s) of %s", len(removed), org_id)
    return removed
