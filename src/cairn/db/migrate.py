"""Apply ``sql/NNNN_name.sql`` in order, once each, under an advisory lock.

Applied migrations are recorded with their sha256; editing one that was applied is an
error rather than a silent divergence.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import asyncpg

from cairn.db.pool import APP_ROLE

LOCK_ID = 0x43_41_49_52_4E  # "CAIRN"
CONNECT_TIMEOUT_SECONDS = 15


class MigrationError(Exception):
    pass


@dataclass(frozen=True)
class Migration:
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def load_migrations(directory: Path | None = None) -> list[Migration]:
    root = directory or Path(str(resources.files("cairn") / "sql"))
    files = sorted(p for p in root.glob("*.sql") if p.name[:4].isdigit())
    return [Migration(p.stem, p.read_text(encoding="utf-8")) for p in files]


async def migrate(dsn: str, directory: Path | None = None) -> list[str]:
    """Apply pending migrations; return the names applied by this call."""
    migrations = load_migrations(directory)
    conn = await asyncpg.connect(dsn, timeout=CONNECT_TIMEOUT_SECONDS)
    try:
        await conn.execute("SELECT pg_advisory_lock($1)", LOCK_ID)
        try:
            return await _apply(conn, migrations)
        finally:
            await conn.execute("SELECT pg_advisory_unlock($1)", LOCK_ID)
    finally:
        await conn.close()


async def _apply(conn: asyncpg.Connection, migrations: list[Migration]) -> list[str]:
    # Check before creating, so a service login that owns nothing (but may read this table,
    # see 0005) can start against an up-to-date database without DDL privileges.
    if not await conn.fetchval("SELECT to_regclass('cairn_migrations') IS NOT NULL"):
        await conn.execute(
            """CREATE TABLE IF NOT EXISTS cairn_migrations (
                   name text PRIMARY KEY,
                   checksum text NOT NULL,
                   applied_at timestamptz NOT NULL DEFAULT now())"""
        )
    applied = {r["name"]: r["checksum"] for r in await conn.fetch("SELECT * FROM cairn_migrations")}
    done: list[str] = []
    for migration in migrations:
        known = applied.get(migration.name)
        if known is not None:
            if known != migration.checksum:
                raise MigrationError(
                    f"migration {migration.name} was edited after it was applied; "
                    "add a new migration instead"
                )
            continue
        async with conn.transaction():
            await conn.execute(migration.sql)
            await conn.execute(
                "INSERT INTO cairn_migrations (name, checksum) VALUES ($1, $2)",
                migration.name,
                migration.checksum,
            )
        done.append(migration.name)
    await _grant_app_role(conn)
    return done


async def _grant_app_role(conn: asyncpg.Connection) -> None:
    """Let the migrating user SET ROLE to the app role (superusers already can)."""
    is_super = await conn.fetchval("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    if not is_super:
        member = await conn.fetchval("SELECT pg_has_role(current_user, $1, 'MEMBER')", APP_ROLE)
        if not member:
            await conn.execute(f"GRANT {APP_ROLE} TO CURRENT_USER")
