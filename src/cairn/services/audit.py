"""The audit trail: who minted which signed URL, and who published, failed, updated,
deleted or revoked which artifact.

Every request has one :class:`AuditLog` (built by the GraphQL context). Two ways in:

* :meth:`AuditLog.record` buffers an event: signed URLs minted while a response is
  resolved (a 100-item page with ``signedUrl`` mints 100). :meth:`AuditLog.flush` writes
  the buffer in one statement once execution ends and before the response is sent; if it
  fails, the response is replaced by an error, so no URL leaves unrecorded.
* :meth:`AuditLog.write` appends inside a write's own transaction (publish, failed
  completion, update, delete, revocation, the PUT URL of an upload): the event commits
  with the change or not at all.

Details never hold a URL, a signature or a token: only the method, disposition and expiry
of a URL, and the facts of a change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import asyncpg

from cairn.db import audit as sql
from cairn.db.pool import Database

PUBLISHED = "artifact.published"
UPLOAD_FAILED = "artifact.upload_failed"
UPDATED = "artifact.updated"
DELETED = "artifact.deleted"
URL_SIGNED = "url.signed"
URL_REVOKED = "url.revoked"
ACTIONS = (PUBLISHED, UPLOAD_FAILED, UPDATED, DELETED, URL_SIGNED, URL_REVOKED)


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def url_details(method: str, expires_at: datetime, disposition: str | None) -> dict[str, Any]:
    details: dict[str, Any] = {"method": method, "expiresAt": _iso(expires_at)}
    if disposition is not None:
        details["disposition"] = disposition
    return details


@dataclass
class AuditLog:
    """One request's (or one WebSocket's) audit events, as ``subject`` of ``org_id``."""

    org_id: str
    subject: str
    request_id: str
    _pending: list[sql.NewEvent] = field(default_factory=list)

    def _event(
        self, action: str, artifact_id: UUID | None, details: dict[str, Any]
    ) -> sql.NewEvent:
        return sql.NewEvent(
            action=action,
            subject=self.subject,
            artifact_id=artifact_id,
            request_id=self.request_id,
            details=details,
            created_at=datetime.now(UTC),
        )

    def record(self, action: str, artifact_id: UUID | None, details: dict[str, Any]) -> None:
        """Buffer an event; :meth:`flush` writes it before the response leaves."""
        self._pending.append(self._event(action, artifact_id, details))

    @property
    def pending(self) -> int:
        return len(self._pending)

    async def flush(self, db: Database) -> None:
        """Write the buffered events in one statement (nothing buffered: no statement).
        On failure they stay buffered and the error propagates: the caller must not hand
        out what they describe."""
        if not self._pending:
            return
        events = list(self._pending)
        async with db.scoped(self.org_id) as conn:
            await sql.append(conn, self.org_id, events)
        del self._pending[: len(events)]

    async def write(
        self,
        conn: asyncpg.Connection,
        action: str,
        artifact_id: UUID | None,
        details: dict[str, Any] | None = None,
    ) -> None:
        """Append one event now, in the caller's (org-scoped) transaction."""
        await sql.append(conn, self.org_id, [self._event(action, artifact_id, details or {})])

    async def write_many(
        self,
        conn: asyncpg.Connection,
        events: list[tuple[str, UUID | None, dict[str, Any]]],
    ) -> None:
        """Append several events now (one statement), in the caller's transaction."""
        await sql.append(conn, self.org_id, [self._event(a, i, d) for a, i, d in events])
