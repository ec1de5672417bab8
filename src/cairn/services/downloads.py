"""The signed-URL policy for downloads: which artifacts get one, and how they are served.

Only AVAILABLE file artifacts are signed. Every URL names the Content-Type it is served
with (the stored one may come from a presigned PUT): the artifact's own MIME type only if
:func:`cairn.services.kinds.download_content_type` allows it, otherwise
``application/octet-stream``; the storage layer adds ``Content-Disposition: attachment``
with the display name.
"""

from __future__ import annotations

from cairn.db.rows import ArtifactRow
from cairn.services.audit import URL_SIGNED, AuditLog, url_details
from cairn.services.cleanup import object_key
from cairn.services.kinds import INLINE_TYPES, download_content_type
from cairn.storage import BlobStore, SignedUrl


def signed_download(
    store: BlobStore, row: ArtifactRow, ttl: int, audit: AuditLog
) -> SignedUrl | None:
    """A fresh presigned GET for ``row``, or None if it has no bytes to hand out. Every
    URL minted is recorded in the request's ``audit`` log (written before the response)."""
    if row.status != "AVAILABLE" or row.type in INLINE_TYPES or not row.storage_path:
        return None
    signed = store.presign_get(
        object_key(row.storage_path),
        filename=row.display_name,
        content_type=download_content_type(row.type, row.mime_type),
        ttl=ttl,
    )
    audit.record(URL_SIGNED, row.id, url_details("GET", signed.expires_at, "ATTACHMENT"))
    return signed
