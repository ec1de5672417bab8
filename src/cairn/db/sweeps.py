"""The global sweep's only look across organizations (``sql/0004_sweeper.sql``).

:func:`sweep_round` holds a transaction with ``pg_try_advisory_xact_lock`` for the whole
round, so one process sweeps at a time (a session lock would outlive the round on a
pooled connection: the pool does not reset sessions). Inside it, as ``cairn_app`` with no
organization set, :func:`stale_artifacts` calls ``cairn_stale_artifacts`` and
:func:`pending_uploads` calls ``cairn_pending_uploads`` (``sql/0006_orphan_sweep.sql``),
which return ids only; everything else the sweep does runs in org-scoped transactions.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from uuid import UUID

import asyncpg

from cairn.db.pool import APP_ROLE, Database

SWEEP_LOCK_ID = 0x43_41_49_52_53  # "CAIRS": not the migrations' lock


@asynccontextmanager
async def sweep_round(
    db: Database, *, wait_seconds: float = 0.0
) -> AsyncIterator[asyncpg.Connection | None]:
    """A connection holding the sweep lock until the block ends, or ``None`` when another
    process holds it (for longer than ``wait_seconds``). The connection is in a
    transaction as ``cairn_app``, org unset."""
    deadline = time.monotonic() + wait_seconds
    async with db.connection() as conn, conn.transaction():
        await conn.execute(f"SET LOCAL ROLE {APP_ROLE}")
        while True:
            locked = await conn.fetchval("SELECT pg_try_advisory_xact_lock($1)", SWEEP_LOCK_ID)
            if locked or time.monotonic() >= deadline:
                break
            await asyncio.sleep(0.5)
        yield conn if locked else None


async def stale_artifacts(
    conn: asyncpg.Connection, older_than_seconds: float, limit: int
) -> list[tuple[str, UUID]]:
    """(org_id, id) of abandoned uploads and of FAILED rows keeping objects, oldest first."""
    records = await conn.fetch(
        "SELECT org_id, id FROM cairn_stale_artifacts(make_interval(secs => $1), $2)",
        float(older_than_seconds),
        limit,
    )
    return [(r["org_id"], r["id"]) for r in records]


PENDING_BATCH = 10_000  # what cairn_pending_uploads looks at per call


async def pending_uploads(conn: asyncpg.Connection, ids: list[UUID]) -> set[UUID]:
    """Those of ``ids`` that belong to a PENDING upload, in any organization."""
    found: set[UUID] = set()
    for start in range(0, len(ids), PENDING_BATCH):
        batch = ids[start : start + PENDING_BATCH]
        records = await conn.fetch("SELECT id FROM cairn_pending_uploads($1::uuid[])", batch)
        found.update(r["id"] for r in records)
    return found
