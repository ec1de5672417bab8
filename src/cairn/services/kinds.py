"""Artifact types and MIME types: the one source of what each kind is and how it downloads.

Pure data and small functions (no I/O). Every other module asks here: which types are kept
inline, each type's default MIME type, which declared MIME types carry a signature check,
and which MIME types a download may be served with (an allowlist: everything else is served
as ``application/octet-stream``).
"""

from __future__ import annotations

INLINE_TYPES = frozenset({"MARKDOWN", "TABLE", "LINK"})  # kept in Postgres, returned in `data`
DATA_FILE_TYPES = frozenset({"JSON", "TEXT"})  # file kinds that also accept `data`
ACTIVE_TYPES = frozenset({"HTML", "SVG", "XML"})  # markup a browser would run
DEFAULT_MIME = {
    "MARKDOWN": "text/markdown",
    "TABLE": "application/json",
    "LINK": "text/uri-list",
    "JSON": "application/json",
    "TEXT": "text/plain",
    "PNG": "image/png",
    "JPEG": "image/jpeg",
    "WEBP": "image/webp",
    "GIF": "image/gif",
    "SVG": "image/svg+xml",
    "PDF": "application/pdf",
    "CSV": "text/csv",
    "XML": "application/xml",
    "HTML": "text/html",
    "BINARY": "application/octet-stream",
}
OCTET_STREAM = "application/octet-stream"

# A declared MIME type whose format has a signature check gets that check, whatever the
# artifact type (a BINARY declared as application/pdf must be a PDF).
SIGNATURE_OF_MIME = {
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/gif": "GIF",
    "image/webp": "WEBP",
    "application/pdf": "PDF",
}

# Served with their own Content-Type on download: formats no browser runs as script or
# markup. Anything else (HTML, SVG, XML, JavaScript, multipart, unknown types, odd
# parameters) downloads as application/octet-stream.
SAFE_DOWNLOAD_MIME = frozenset(
    {
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "image/avif",
        "image/bmp",
        "application/pdf",
        "application/json",
        "application/x-ndjson",
        "application/zip",
        "application/gzip",
        "text/plain",
        "text/csv",
        "text/tab-separated-values",
        "text/markdown",
    }
)
SAFE_CHARSETS = frozenset({"utf-8", "us-ascii"})


def download_content_type(artifact_type: str, mime_type: str) -> str:
    """The Content-Type a download is served with: the artifact's own only when it is on
    the allowlist, with no parameter other than a UTF-8 or ASCII charset, and the type is
    not markup (HTML, SVG, XML download as octet-stream whatever their declared type)."""
    base, _, params = mime_type.lower().partition(";")
    if artifact_type in ACTIVE_TYPES or base.strip() not in SAFE_DOWNLOAD_MIME:
        return OCTET_STREAM
    for param in filter(None, (p.strip() for p in params.split(";"))):
        name, _, value = param.partition("=")
        if name.strip() != "charset" or value.strip().strip('"') not in SAFE_CHARSETS:
            return OCTET_STREAM
    return mime_type


# May be shown in the browser (Content-Disposition: inline): images no browser runs as
# script, PDF (the browser's own viewer) and plain text. Everything else is attachment.
INLINE_MIME = frozenset(
    {"image/png", "image/jpeg", "image/webp", "image/gif", "application/pdf", "text/plain"}
)
# Types whose bytes are text a preview decodes (others: preview text is null).
TEXT_PREVIEW_TYPES = frozenset({"JSON", "TEXT", "CSV", "XML", "HTML", "SVG"})


def may_inline(artifact_type: str, mime_type: str) -> bool:
    """Whether a download of this artifact may be served ``inline``: only when the
    Content-Type it is served with (after :func:`download_content_type`) is on
    :data:`INLINE_MIME`; active content (HTML, SVG, XML) never is."""
    served = download_content_type(artifact_type, mime_type)
    return served.partition(";")[0].strip().lower() in INLINE_MIME
