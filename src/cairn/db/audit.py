"""The audit trail's SQL (``sql/0009_audit.sql``): append, and prune old events.

Appending is one statement however many events: the events go in as parallel arrays and
``unnest`` turns them into rows. Reading goes through the generic keyset listing
(:mod:`cairn.db.listing`, table ``audit_events``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg
import orjson

_INSERT = """
INSERT INTO audit_events (org_id, action, subject, artifact_id, request_id, details, created_at)
SELECT $1, e.action, e.subject, e.artifact_id, e.request_id, e.details::jsonb, e.created_at
FROM unnest($2::text[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::timestamptz[])
    AS e(action, subject, artifact_id, request_id, details, created_at)
"""


@dataclass(frozen=True, slots=True)
class NewEvent:
    action: str
    subject: str
    artifact_id: UUID | None
    request_id: str
    details: dict[str, Any]
    created_at: datetime


async def append(conn: asyncpg.Connection, org_id: str, events: Sequence[NewEvent]) -> None:
    """Insert ``events`` of ``org_id`` in one statement (none: no statement)."""
    if not events:
        return
    await conn.execute(
        _INSERT,
        org_id,
        [e.action for e in events],
        [e.subject for e in events],
        [e.artifact_id for e in events],
        [e.request_id for e in events],
        [orjson.dumps(e.details).decode() for e in events],
        [e.created_at for e in events],
    )


async def prune(conn: asyncpg.Connection, older_than_days: int, limit: int) -> int:
    """Delete up to ``limit`` events (every organization) older than ``older_than_days``,
    through the owner's ``cairn_prune_audit_events``: the service role cannot delete."""
    removed = await conn.fetchval(
        "SELECT cairn_prune_audit_events(make_interval(days => $1), $2)", older_than_days, limit
    )
    return int(removed or 0)
