"""Persisted GraphQL documents: lookup with an in-process LRU in front of PostgreSQL.

Documents are content-addressed (the sha256 hex of their UTF-8 text), so a cached entry
never goes stale; only the ``trusted`` flag can change (an APQ document later registered
with ``cairn documents register``), and untrusted entries are re-read when trust matters.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Iterable

import asyncpg

from cairn.db.documents import DocumentRow, add_apq_document, add_trusted_documents, find_document
from cairn.db.pool import Database

SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
DEFAULT_CACHE_SIZE = 2000
MAX_DOCUMENT_CHARS = 1024 * 1024


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class DocumentRegistry:
    """One per process: every replica shares the table, each has its own cache."""

    def __init__(self, cache_size: int = DEFAULT_CACHE_SIZE) -> None:
        self._cache: OrderedDict[str, DocumentRow] = OrderedDict()
        self._cache_size = cache_size

    def _remember(self, row: DocumentRow) -> None:
        self._cache[row.sha256] = row
        self._cache.move_to_end(row.sha256)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    async def find(self, db: Database, sha256: str, *, trusted: bool = False) -> DocumentRow | None:
        """The document of ``sha256``; with ``trusted``, only a trusted one."""
        cached = self._cache.get(sha256)
        if cached is not None and (cached.trusted or not trusted):
            self._cache.move_to_end(sha256)
            return cached
        row = await find_document(db, sha256)
        if row is not None:
            self._remember(row)
        if row is None or (trusted and not row.trusted):
            return None
        return row

    async def add(self, db: Database, sha256: str, body: str) -> None:
        """Keep an automatic persisted query (the caller checked its hash and validity)."""
        if sha256 in self._cache:
            return
        await add_apq_document(db, sha256, body)
        self._remember(DocumentRow(sha256, body, trusted=False))


async def register_trusted(conn: asyncpg.Connection, bodies: Iterable[str]) -> list[str]:
    """Register documents as trusted (an owner connection); the hashes newly added."""
    pairs = {sha256_of(body): body for body in bodies}
    return await add_trusted_documents(conn, pairs.items())
