"""SQL on connections of their own, outside org-scoped transactions: the LISTEN
connection's channel and ping (:mod:`cairn.notify`) and the embedded stack's service
login (:mod:`cairn.cli.embedded`).

Light to import (no asyncpg, no settings): the CLI imports it before it needs a database.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import asyncpg

# Every publishing transaction notifies this channel (db.artifacts.notify_published);
# every replica's cairn.notify.Notifier listens on it.
PUBLISHED_CHANNEL = "cairn_artifact_published"
# The embedded stack's login for the service: a member of the app role and nothing else.
SERVICE_LOGIN_ROLE = "cairn_service"
PING_TIMEOUT_SECONDS = 5.0


async def ping(conn: asyncpg.Connection) -> None:
    """A round trip, raising if the connection is gone or does not answer in time."""
    await conn.fetchval("SELECT 1", timeout=PING_TIMEOUT_SECONDS)


async def ensure_service_login(conn: asyncpg.Connection) -> None:
    """Create :data:`SERVICE_LOGIN_ROLE` if missing (as the database owner), and let the
    app role connect to the current database."""
    from cairn.db.pool import APP_ROLE  # imported here to keep this module light

    exists = await conn.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", SERVICE_LOGIN_ROLE)
    if not exists:
        await conn.execute(
            f"CREATE ROLE {SERVICE_LOGIN_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS IN ROLE {APP_ROLE}"
        )
    database = await conn.fetchval("SELECT current_database()")
    await conn.execute(f'GRANT CONNECT ON DATABASE "{database}" TO {APP_ROLE}')
