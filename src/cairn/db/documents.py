"""SQL of persisted GraphQL documents (``persisted_documents``, see sql/0007).

The table is global (no organization), so these statements run outside org-scoped
transactions: the service reads and adds APQ documents as the app role; ``cairn documents
register`` adds trusted ones connected as the owner.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import asyncpg

from cairn.db.pool import APP_ROLE, Database


@dataclass(frozen=True)
class DocumentRow:
    sha256: str
    body: str
    trusted: bool


_FIND = (
    "SELECT sha256, body, trusted FROM persisted_documents WHERE sha256 = $1 "
    "ORDER BY trusted DESC LIMIT 1"
)
_ADD_APQ = (
    "INSERT INTO persisted_documents (sha256, body) VALUES ($1, $2) "
    "ON CONFLICT (sha256, trusted) DO NOTHING"
)
_ADD_TRUSTED = (
    "INSERT INTO persisted_documents (sha256, body, trusted) "
    "SELECT h, b, true FROM unnest($1::text[], $2::text[]) AS d(h, b) "
    "ON CONFLICT (sha256, trusted) DO NOTHING RETURNING sha256"
)


async def find_document(db: Database, sha256: str) -> DocumentRow | None:
    """The document of ``sha256`` (its trusted row if it has one), as the app role."""
    async with db.connection() as conn, conn.transaction(readonly=True):
        await conn.execute(f"SET LOCAL ROLE {APP_ROLE}")
        row = await conn.fetchrow(_FIND, sha256)
    return None if row is None else DocumentRow(row["sha256"], row["body"], row["trusted"])


async def add_apq_document(db: Database, sha256: str, body: str) -> None:
    """Remember an automatic persisted query (untrusted); a second add is a no-op."""
    async with db.connection() as conn, conn.transaction():
        await conn.execute(f"SET LOCAL ROLE {APP_ROLE}")
        await conn.execute(_ADD_APQ, sha256, body)


async def add_trusted_documents(
    conn: asyncpg.Connection, documents: Iterable[tuple[str, str]]
) -> list[str]:
    """Register ``(sha256, body)`` pairs as trusted (owner connection); the newly added."""
    pairs = list(documents)
    rows = await conn.fetch(_ADD_TRUSTED, [h for h, _ in pairs], [b for _, b in pairs])
    return [str(r["sha256"]) for r in rows]
