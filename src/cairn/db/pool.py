"""The connection pool and organization-scoped transactions.

Every unit of work runs in its own transaction that (in one round trip) begins, drops to
the ``cairn_app`` role and sets ``cairn.org_id``, so row-level security confines it to
one organization even where a statement forgot its ``org_id`` condition.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import orjson

from cairn.config import ORG_ID_PATTERN
from cairn.errors import DatabaseUnavailable

APP_ROLE = "cairn_app"
ACQUIRE_TIMEOUT_SECONDS = 10.0
_UNAVAILABLE = (
    OSError,
    asyncio.TimeoutError,
    asyncpg.CannotConnectNowError,
    asyncpg.ConnectionDoesNotExistError,
    asyncpg.InterfaceError,
    asyncpg.TooManyConnectionsError,
)

StatementListener = Callable[[str], None]


def _dumps(value: object) -> str:
    return orjson.dumps(value).decode()


async def _init_connection(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec("jsonb", encoder=_dumps, decoder=orjson.loads, schema="pg_catalog")
    await conn.set_type_codec("json", encoder=_dumps, decoder=orjson.loads, schema="pg_catalog")


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Skip asyncpg's reset query (RESET ALL; UNLISTEN *; advisory unlock) on release.

    Units of work keep only transaction-local state (``SET LOCAL ROLE``, ``set_config(...,
    true)``) and end with COMMIT or ROLLBACK (asyncpg still rolls back an open transaction
    before calling this), so the reset would be a wasted round trip per unit of work. Code
    using pool connections must not leave session state behind: no session advisory locks
    (use ``pg_try_advisory_xact_lock``), no LISTEN, no plain SET.
    """
    del conn


class Database:
    """An asyncpg pool plus the org-scoped transaction every request goes through."""

    def __init__(self) -> None:
        self._pool: asyncpg.Pool | None = None
        self._listeners: list[StatementListener] = []

    @property
    def pool(self) -> asyncpg.Pool:
        assert self._pool is not None, "Database.connect() first"
        return self._pool

    @classmethod
    async def connect(cls, dsn: str, *, min_size: int = 1, max_size: int = 10) -> Database:
        database = cls()

        async def init(conn: asyncpg.Connection) -> None:
            await _init_connection(conn)
            conn.add_query_logger(database._log_statement)

        try:
            database._pool = await asyncpg.create_pool(
                dsn,
                min_size=min_size,
                max_size=max_size,
                init=init,
                reset=_keep_session,
                command_timeout=60,
            )
        except _UNAVAILABLE as exc:
            raise DatabaseUnavailable(f"cannot reach the database: {type(exc).__name__}") from exc
        return database

    async def close(self) -> None:
        await self.pool.close()

    def add_statement_listener(self, listener: StatementListener) -> None:
        """Call ``listener(sql)`` for every statement (tests count them)."""
        self._listeners.append(listener)

    def remove_statement_listener(self, listener: StatementListener) -> None:
        self._listeners.remove(listener)

    def _log_statement(self, record: Any) -> None:
        for listener in self._listeners:
            listener(record.query)

    @asynccontextmanager
    async def scoped(
        self, org_id: str, *, readonly: bool = False
    ) -> AsyncIterator[asyncpg.Connection]:
        """A transaction confined to ``org_id`` on a connection of its own."""
        if not ORG_ID_PATTERN.fullmatch(org_id):  # it is inlined below: never trust it blindly
            raise ValueError("invalid organization id")
        begin = "BEGIN READ ONLY" if readonly else "BEGIN"
        try:
            proxy = await self.pool.acquire(timeout=ACQUIRE_TIMEOUT_SECONDS)
            conn: asyncpg.Connection = proxy  # type: ignore[assignment]
        except _UNAVAILABLE as exc:
            raise DatabaseUnavailable("the database is unavailable; retry shortly") from exc
        try:
            try:
                await conn.execute(
                    f"{begin}; SET LOCAL ROLE {APP_ROLE}; "
                    f"SELECT set_config('cairn.org_id', '{org_id}', true)"
                )
            except _UNAVAILABLE as exc:
                raise DatabaseUnavailable("the database is unavailable; retry shortly") from exc
            try:
                yield conn
            except BaseException:
                if not conn.is_closed():
                    try:
                        await conn.execute("ROLLBACK")
                    except Exception:
                        conn.terminate()
                raise
            await conn.execute("COMMIT")
        finally:
            await self.pool.release(proxy)

    async def ping(self) -> bool:
        try:
            async with self.pool.acquire(timeout=2) as conn:
                return bool(await conn.fetchval("SELECT true"))
        except Exception:
            return False
