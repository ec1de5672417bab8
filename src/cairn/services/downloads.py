"""The signed-URL policy for downloads: which artifacts get one, and how they are served.

Only AVAILABLE file artifacts are signed. Every URL names the Content-Type it is served
with (the stored one may come from a presigned PUT): the artifact's own MIME type only if
:func:`cairn.services.kinds.download_content_type` allows it, otherwise
``application/octet-stream``; the storage layer adds ``Content-Disposition`` with the
display name: ``attachment`` unless ``inline`` was asked for *and*
:func:`cairn.services.kinds.may_inline` allows it (PNG, JPEG, WEBP, GIF, PDF, plain
text). Asking ``inline`` for anything else is not an error: it downloads as an
attachment (active content also as ``application/octet-stream``), so a client can ask
``inline`` for every artifact and let the server decide.
"""

from __future__ import annotations

from datetime import UTC, datetime

from cairn.db.rows import ArtifactRow
from cairn.errors import ObjectMissing
from cairn.services.audit import URL_SIGNED, AuditLog, url_details
from cairn.services.cleanup import object_key
from cairn.services.kinds import INLINE_TYPES, download_content_type, may_inline
from cairn.storage import BlobStore, SignedUrl


def disposition_for(row: ArtifactRow, inline: bool) -> str:
    """``inline`` only when asked for and the artifact's kind allows it."""
    return "inline" if inline and may_inline(row.type, row.mime_type) else "attachment"


def signed_download(
    store: BlobStore, row: ArtifactRow, ttl: int, audit: AuditLog, *, inline: bool = False
) -> SignedUrl | None:
    """A fresh presigned GET for ``row``, or None if it has no bytes to hand out. Every
    URL minted is recorded in the request's ``audit`` log (written before the response)."""
    if row.status != "AVAILABLE" or row.type in INLINE_TYPES or not row.storage_path:
        return None
    if row.expires_at is not None and row.expires_at <= datetime.now(UTC):
        return None  # expired since it was read: never signed
    if row.object_missing_at is not None:
        raise ObjectMissing(
            "this artifact's stored bytes are missing from object storage (found by cairn gc "
            f"at {row.object_missing_at.isoformat()}); restore the object and run cairn gc "
            "again, or delete the artifact and publish it anew"
        )
    disposition = disposition_for(row, inline)
    signed = store.presign_get(
        object_key(row.storage_path),
        filename=row.display_name,
        content_type=download_content_type(row.type, row.mime_type),
        ttl=ttl,
        disposition=disposition,
    )
    audit.record(URL_SIGNED, row.id, url_details("GET", signed.expires_at, disposition.upper()))
    return signed
