"""Publishing artifacts: inline, multipart upload, presigned begin/complete.

Atomic publish: a file artifact's row is inserted PENDING, its bytes are written and
verified (size, sha256, content type), copied to ``orgs/<org>/artifacts/<id>``, and only
then one transaction takes the key's next version and marks the row AVAILABLE. A failure
before that leaves no AVAILABLE row and no version used: the row is marked FAILED at once
(keeping an object key in ``staging_path``), then its objects and the row are removed,
in the background if storage is slow (:func:`~cairn.services.cleanup.settle`); what
cannot be removed is the sweep's (:mod:`cairn.services.cleanup`, also the home of
abandoned uploads' removal). ``completeArtifactUpload`` differs on purpose: a size/sha256
mismatch marks the row FAILED (the caller holds its id), while a transient failure
(storage down) leaves it PENDING so completing can be retried.

Hash what you publish: the presigned PUT URL of ``staging/<id>`` stays valid for its
whole lifetime, so completing first copies it to a key of its own that no URL can write
(``staging/<id>.<random>``), hashes that copy, and publishes exactly that copy. Every
object ever written to the final key has been verified, also under concurrent completes
and PUTs racing them.

Object keys never contain user text. ``storage_path`` is ``<bucket>/<object key>``;
``staging_path`` is an object key.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any, Protocol
from uuid import UUID, uuid4

import asyncpg

from cairn import metrics
from cairn.db import artifacts as sql
from cairn.db.artifacts import NewArtifact
from cairn.db.rows import ArtifactRow
from cairn.errors import (
    BadUserInput,
    Conflict,
    NotFound,
    PayloadTooLarge,
    StorageUnavailable,
    not_found,
)
from cairn.services import artifact_content as content
from cairn.services import kinds, validation
from cairn.services.audit import PUBLISHED, UPLOAD_FAILED, URL_SIGNED, url_details
from cairn.services.base import Service
from cairn.services.cleanup import (
    CLEANUP_WAIT_SECONDS,
    abandoned_after,
    checked_key,
    final_key,
    remove_leftovers,
    settle,
    staging_key,
)
from cairn.services.validation import ArtifactSpec, CleanSpec, clean_spec
from cairn.storage import SignedUrl, StorageTimeout, StoredObject

log = logging.getLogger("cairn.publish")

UPLOAD_CHUNK = 1024 * 1024
REPLAY_WAIT_SECONDS = 30.0
SWEEP_LIMIT = 20  # leftovers of the organization a beginArtifactUpload removes on the way


class Readable(Protocol):
    """What an uploaded file offers (Starlette's UploadFile)."""

    size: int | None  # known when the request body was spooled whole

    async def read(self, size: int = -1) -> bytes: ...
    async def seek(self, offset: int) -> None: ...


@dataclass(frozen=True, slots=True)
class UploadTicket:
    artifact: ArtifactRow
    url: SignedUrl
    method: str
    headers: dict[str, str]


class _KeyUsed(Exception):
    """The idempotency key was used before (raised out of the failed transaction, so the
    first request's artifact is read on a connection of its own)."""


def _request_hash(kind: str, spec: CleanSpec, content_id: Any) -> str:
    canonical = content.canonical_json(
        {"op": kind, "input": spec.canonical(), "content": content_id}
    )
    return hashlib.sha256(canonical).hexdigest()


class Publisher(Service):
    # --- createArtifact ---------------------------------------------------------------

    async def create(
        self, spec: ArtifactSpec, data: Any, content_base64: str | None
    ) -> ArtifactRow:
        clean = clean_spec(spec)
        limit = self._settings.max_inline_bytes
        if (data is None) == (content_base64 is None):
            raise BadUserInput("send the content in exactly one of `data` or `contentBase64`")
        raw = content.decode_base64(content_base64, limit) if content_base64 is not None else None
        if raw is not None and len(raw) > limit:
            raise PayloadTooLarge(content.too_large_message(limit))
        if clean.type in kinds.INLINE_TYPES:
            return await self._create_inline(clean, content.inline_value(clean.type, data, raw))
        if raw is None:
            if clean.type not in kinds.DATA_FILE_TYPES:
                raise BadUserInput(
                    f"`data` is for MARKDOWN, TABLE, LINK, JSON and TEXT; send a {clean.type} "
                    "as contentBase64 or with uploadArtifact"
                )
            raw = content.file_bytes_from_data(clean.type, data)
            if len(raw) > limit:
                raise PayloadTooLarge(content.too_large_message(limit))
        content.check_bytes(clean.type, raw, clean.mime_type)
        stored = StoredObject(size=len(raw), sha256=hashlib.sha256(raw).hexdigest())
        new = self._new(clean, _request_hash("create", clean, stored.sha256))

        async def write(row: ArtifactRow) -> StoredObject:
            # verified in memory already: straight to the final key (no copy needed)
            await self._store.put_bytes(final_key(self._org, row.id), raw, clean.mime_type)
            return stored

        return await self._publish_file(new, write, staged=False)

    async def _create_inline(self, clean: CleanSpec, value: Any) -> ArtifactRow:
        encoded = content.canonical_json(value)
        if len(encoded) > self._settings.max_inline_bytes:
            raise PayloadTooLarge(content.too_large_message(self._settings.max_inline_bytes))
        digest = hashlib.sha256(encoded).hexdigest()
        new = replace(
            self._new(clean, _request_hash("create", clean, digest)),
            data=value,
            size_bytes=len(encoded),
            sha256=digest,
        )
        try:
            async with self._db.scoped(self._org) as conn:
                version = await sql.bump_version(conn, self._org, new.key) if new.key else None
                row = await self._insert(conn, new, status="AVAILABLE", version=version)
                await self._audit.write(conn, PUBLISHED, row.id, _published(row))
                await sql.notify_published(conn, self._org, row)
            metrics.record_published(row.type, "inline", row.size_bytes)
            return row
        except _KeyUsed:
            return await self._settled(await self._first(new))

    # --- uploadArtifact ---------------------------------------------------------------

    async def upload(self, spec: ArtifactSpec, file: Readable) -> ArtifactRow:
        clean = clean_spec(spec)
        if clean.type in kinds.INLINE_TYPES:  # its content would be unreadable: no data, no URL
            raise BadUserInput(f"{clean.type} is kept inline: publish it with createArtifact")
        limit = self._settings.max_upload_bytes
        if file.size is not None and file.size > limit:
            raise PayloadTooLarge(f"the file is larger than {limit} bytes")
        content_id = None
        if clean.idempotency_key is not None:  # a replay is recognized by its bytes too
            content_id = (await self._measure(file)).sha256
            await file.seek(0)
        new = self._new(clean, _request_hash("upload", clean, content_id))

        async def write(row: ArtifactRow) -> StoredObject:
            check = content.ContentCheck(clean.type, clean.mime_type)
            digest = hashlib.sha256()
            size = 0

            async def chunks() -> AsyncIterator[bytes]:
                nonlocal size
                async for chunk in self._read(file):
                    size += len(chunk)
                    digest.update(chunk)
                    check.feed(chunk)
                    yield chunk

            await self._store.put_stream(
                staging_key(row.id), chunks(), clean.mime_type, size=file.size
            )
            check.finish()
            return StoredObject(size=size, sha256=digest.hexdigest())

        return await self._publish_file(new, write, staged=True)

    async def _read(self, file: Readable) -> AsyncIterator[bytes]:
        """The file in chunks (never whole), refused once over max_upload_bytes."""
        size, limit = 0, self._settings.max_upload_bytes
        while chunk := await file.read(UPLOAD_CHUNK):
            size += len(chunk)
            if size > limit:
                raise PayloadTooLarge(f"the file is larger than {limit} bytes")
            yield chunk

    async def _measure(self, file: Readable) -> StoredObject:
        digest, size = hashlib.sha256(), 0
        async for chunk in self._read(file):
            size += len(chunk)
            digest.update(chunk)
        return StoredObject(size=size, sha256=digest.hexdigest())

    # --- beginArtifactUpload / completeArtifactUpload ---------------------------------

    async def begin_upload(self, spec: ArtifactSpec, size_bytes: int, sha256: str) -> UploadTicket:
        clean = clean_spec(spec)
        if clean.type in kinds.INLINE_TYPES:
            raise BadUserInput(f"{clean.type} is kept inline: publish it with createArtifact")
        if size_bytes < 0:
            raise BadUserInput("sizeBytes must be zero or more")
        if size_bytes > self._settings.max_upload_bytes:
            raise PayloadTooLarge(
                f"sizeBytes is larger than the limit of {self._settings.max_upload_bytes} bytes"
            )
        digest = validation.sha256_hex(sha256)
        declared = {"size": size_bytes, "sha256": digest}
        new = self._new(clean, _request_hash("begin", clean, declared))
        new = replace(new, size_bytes=size_bytes, sha256=digest, staging_path=staging_key(new.id))
        stale: list[sql.Removed] = []
        try:
            async with self._db.scoped(self._org) as conn:
                row = await self._insert(conn, new)
                # the organization's abandoned uploads: removed on the way (FAILED rows
                # whose objects storage refused before are left to the sweep, so that a
                # storage outage does not slow every begin down)
                older = abandoned_after(self._settings)
                stale = await sql.claim_leftovers(conn, self._org, older, SWEEP_LIMIT, failed=False)
        except _KeyUsed:
            row = await self._first(new)
            if row.status == "FAILED":
                raise self._failed_replay(row) from None
        if stale:  # they are FAILED with their keys already: if this fails, the sweep retries
            await settle(
                remove_leftovers(self._db, self._store, self._org, stale),
                f"remove {len(stale)} abandoned upload(s)",
            )
        url = self._store.presign_put(staging_key(row.id), ttl=self._settings.signed_url_ttl)
        self._audit.record(URL_SIGNED, row.id, url_details("PUT", url.expires_at, None))
        return UploadTicket(
            artifact=row, url=url, method="PUT", headers={"Content-Type": row.mime_type}
        )

    async def complete_upload(self, artifact_id: str) -> ArtifactRow:
        uuid = validation.parse_id("artifact", artifact_id)
        async with self._db.scoped(self._org, readonly=True) as conn:
            row = await sql.get(conn, self._org, uuid)
        if row is None:
            raise not_found("artifact", artifact_id)
        if row.status == "AVAILABLE":
            return row  # completing twice is harmless
        if row.status == "FAILED" or row.type in kinds.INLINE_TYPES:
            raise BadUserInput(
                f"artifact {artifact_id} is {row.status} and cannot be completed; "
                "begin a new upload"
            )
        if await self._store.stat(staging_key(uuid)) is None:
            current = await self._settled_meanwhile(uuid)
            if current is not None:
                return current  # a concurrent complete published it and removed staging
            raise BadUserInput(
                "nothing was uploaded for this artifact yet: PUT the file to the uploadUrl "
                "(or begin a new upload if it expired), then complete"
            )
        # The bytes to publish: a copy no upload URL can write, taken at one moment.
        checked = checked_key(uuid)
        check = content.ContentCheck(row.type, row.mime_type)
        try:
            await self._store.copy(staging_key(uuid), checked, row.mime_type)
            stored = await self._store.hash_object(checked, check.feed)
            if stored is None:
                raise StorageUnavailable("object storage lost an upload's copy; retry shortly")
        except Exception as exc:
            await self._forget(exc, checked)
            # staging may be gone because a concurrent complete settled the artifact
            current = await self._settled_meanwhile(uuid)
            if current is not None:
                return current  # it published the artifact and removed staging
            raise
        problem = _mismatch(row, stored)
        if problem is None:
            try:
                check.finish()
            except BadUserInput as exc:
                problem = exc.message
        if problem is not None:
            async with self._db.scoped(self._org) as conn:
                failed = await sql.mark_failed(conn, self._org, uuid, None)
                if failed is not None:
                    await self._audit.write(conn, UPLOAD_FAILED, uuid, {"reason": problem})
            await settle(self._store.delete(staging_key(uuid), checked), "remove a rejected upload")
            if failed is None:  # no longer PENDING: a concurrent complete settled it
                current = await self._published_meanwhile(uuid)
                if current is not None:
                    return current
            raise BadUserInput(f"the upload was rejected and the artifact marked FAILED: {problem}")
        return await self._finish_upload(row, stored, checked)

    async def _finish_upload(
        self, row: ArtifactRow, stored: StoredObject, checked: str
    ) -> ArtifactRow:
        """Publish the verified copy ``checked`` (no URL can write it) and commit."""
        target = final_key(self._org, row.id)
        try:
            await self._store.copy(checked, target, row.mime_type)
            published = await self._commit(row, stored, "presigned")
        except Exception as exc:
            # The row stays PENDING and completing can be retried. The object at the final
            # key is left alone (a concurrent complete may be about to publish it: it holds
            # verified bytes either way); it is overwritten by a retry and removed with the
            # row. If the row is gone or FAILED (removed as abandoned meanwhile), nothing
            # will publish it.
            with contextlib.suppress(Exception):
                current = await self._current(row.id)
                if current is not None and current.status == "AVAILABLE":
                    await self._forget(exc, checked)
                    return current  # a concurrent complete won: same bytes, same artifact
                if current is None or current.status == "FAILED":
                    await self._forget(exc, target, checked)
                else:
                    await self._forget(exc, checked)
            raise
        await settle(
            self._store.delete(staging_key(row.id), checked), "remove an upload's staging objects"
        )
        return published

    async def _published_meanwhile(self, artifact_id: UUID) -> ArtifactRow | None:
        with contextlib.suppress(Exception):
            current = await self._current(artifact_id)
            if current is not None and current.status == "AVAILABLE":
                return current
        return None

    async def _settled_meanwhile(self, artifact_id: UUID) -> ArtifactRow | None:
        """The outcome of a concurrent complete, if it settled the artifact: AVAILABLE is
        returned, FAILED (it rejected the bytes) is BAD_USER_INPUT; None while PENDING."""
        current = None
        with contextlib.suppress(Exception):
            current = await self._current(artifact_id)
        if current is not None and current.status == "FAILED":
            raise BadUserInput(
                f"artifact {artifact_id} is FAILED: a concurrent completeArtifactUpload "
                "rejected its bytes; begin a new upload"
            )
        return current if current is not None and current.status == "AVAILABLE" else None

    async def _forget(self, exc: BaseException, *keys: str) -> None:
        """Remove objects after a failure, without holding the answer on a hung store (an
        object left behind has no row referring to it: the sweep removes it)."""
        wait = 0.0 if isinstance(exc, StorageTimeout) else CLEANUP_WAIT_SECONDS
        await settle(self._store.delete(*keys), "remove unpublished objects", wait=wait)

    # --- shared publishing steps -------------------------------------------------------

    def _new(self, clean: CleanSpec, request_hash: str) -> NewArtifact:
        return NewArtifact(
            id=uuid4(),
            type=clean.type,
            display_name=clean.display_name,
            mime_type=clean.mime_type,
            created_by=self._principal.subject,
            key=clean.key,
            category=clean.category,
            description=clean.description,
            metadata=clean.metadata,
            workflow_run_id=clean.workflow_run_id,
            idempotency_key=clean.idempotency_key,
            request_hash=request_hash if clean.idempotency_key is not None else None,
            retention_days=clean.retention_days,
        )

    async def _insert(
        self,
        conn: asyncpg.Connection,
        new: NewArtifact,
        *,
        status: str = "PENDING",
        version: int | None = None,
    ) -> ArtifactRow:
        """Insert, or raise _KeyUsed if the idempotency key was used before."""
        try:
            row = await sql.insert(
                conn,
                self._org,
                new,
                status=status,
                version=version,
                default_retention_days=self._settings.retention_days,
            )
        except asyncpg.UniqueViolationError as exc:
            if exc.constraint_name != sql.IDEMPOTENCY_CONSTRAINT or new.idempotency_key is None:
                raise
            raise _KeyUsed from None
        if row is None:
            raise NotFound(
                f"workflowRunId {new.workflow_run_id} is not a workflow run of this "
                "organization; check the id"
            )
        return row

    async def _first(self, new: NewArtifact) -> ArtifactRow:
        """The first artifact of ``new``'s idempotency key; Conflict if that was made by a
        different request."""
        assert new.idempotency_key is not None
        async with self._db.scoped(self._org, readonly=True) as conn:
            first = await sql.get_by_idempotency_key(conn, self._org, new.idempotency_key)
        if first is None:  # deleted meanwhile: the caller may simply try again
            raise Conflict("a request with this idempotencyKey was just undone; send it again")
        if first.request_hash != new.request_hash:
            raise Conflict(
                f"idempotencyKey {new.idempotency_key!r} was already used for a different "
                f"request (artifact {first.id}); use a new idempotencyKey"
            )
        return first

    async def _settled(self, row: ArtifactRow) -> ArtifactRow:
        """The first request's artifact once it is no longer PENDING (it may be in flight)."""
        deadline = asyncio.get_running_loop().time() + REPLAY_WAIT_SECONDS
        delay = 0.02
        while row.status == "PENDING" and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.5)
            current = await self._current(row.id)
            if current is None:
                raise Conflict("the first request with this idempotencyKey failed; send it again")
            row = current
        if row.status == "FAILED":
            raise self._failed_replay(row)
        if row.status == "PENDING":
            raise Conflict("the first request with this idempotencyKey is still in progress")
        return row

    @staticmethod
    def _failed_replay(row: ArtifactRow) -> Conflict:
        return Conflict(
            f"the first request with this idempotencyKey failed (artifact {row.id} is FAILED); "
            "publish again with a new idempotencyKey"
        )

    async def _current(self, artifact_id: UUID) -> ArtifactRow | None:
        async with self._db.scoped(self._org, readonly=True) as conn:
            return await sql.get(conn, self._org, artifact_id)

    async def _publish_file(
        self,
        new: NewArtifact,
        write: Callable[[ArtifactRow], Awaitable[StoredObject]],
        *,
        staged: bool,
    ) -> ArtifactRow:
        """PENDING row -> bytes (staging or final key) -> verified -> copy -> AVAILABLE."""
        new = replace(
            new, staging_path=staging_key(new.id) if staged else final_key(self._org, new.id)
        )
        try:
            async with self._db.scoped(self._org) as conn:
                row = await self._insert(conn, new)
        except _KeyUsed:
            return await self._settled(await self._first(new))
        objects = (
            [staging_key(row.id), final_key(self._org, row.id)]
            if staged
            else [new.staging_path or ""]
        )
        try:
            stored = await write(row)
            if staged:
                await self._store.copy(
                    staging_key(row.id), final_key(self._org, row.id), row.mime_type
                )
            published = await self._commit(row, stored, "upload" if staged else "inline")
        except BaseException as exc:
            await asyncio.shield(self._abandon(row, objects, exc))
            raise
        if staged:
            await settle(self._store.delete(staging_key(row.id)), "remove a staging object")
        return published

    async def _commit(self, row: ArtifactRow, stored: StoredObject, how: str) -> ArtifactRow:
        """The publishing transaction: next version, AVAILABLE, latest, notify; counted
        in the metrics under the publishing path ``how`` (inline, upload, presigned)."""
        path = f"{self._store.bucket}/{final_key(self._org, row.id)}"
        async with self._db.scoped(self._org) as conn:
            version = await sql.bump_version(conn, self._org, row.key) if row.key else None
            published = await sql.publish(
                conn, self._org, row.id, row.key, version, path, stored.size, stored.sha256
            )
            if published is None:
                raise Conflict(
                    f"artifact {row.id} was deleted or changed while publishing; publish again"
                )
            await self._audit.write(conn, PUBLISHED, published.id, _published(published))
            await sql.notify_published(conn, self._org, published)
        metrics.record_published(published.type, how, stored.size)
        return published

    async def _abandon(self, row: ArtifactRow, objects: list[str], exc: BaseException) -> None:
        """Undo a failed publish: the row FAILED at once (nothing can publish it, and the
        sweep knows its objects), then the objects and the row removed. On a hung store
        the client is answered first and the removal goes on in the background."""
        try:
            async with self._db.scoped(self._org) as conn:
                await sql.mark_failed(conn, self._org, row.id, objects[0])
        except Exception:
            log.warning("could not mark failed artifact %s", row.id)
        wait = 0.0 if isinstance(exc, StorageTimeout) else CLEANUP_WAIT_SECONDS
        await settle(self._remove(row, objects), f"remove failed artifact {row.id}", wait=wait)

    async def _remove(self, row: ArtifactRow, objects: list[str]) -> None:
        await self._store.delete(*objects)  # on failure the row stays FAILED with its key
        async with self._db.scoped(self._org) as conn:
            await sql.delete_unpublished(conn, self._org, row.id)


def _published(row: ArtifactRow) -> dict[str, Any]:
    return {
        "key": row.key,
        "version": row.version,
        "sizeBytes": row.size_bytes,
        "sha256": row.sha256,
    }


def _mismatch(row: ArtifactRow, stored: StoredObject) -> str | None:
    problems = []
    if stored.size != row.size_bytes:
        problems.append(f"sizeBytes was declared {row.size_bytes} but {stored.size} were uploaded")
    if stored.sha256 != row.sha256:
        problems.append(f"sha256 was declared {row.sha256} but the upload's is {stored.sha256}")
    return "; ".join(problems) or None
