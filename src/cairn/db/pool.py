"""The connection pool and organization-scoped transactions.

Every unit of work runs in its own transaction that (in one round trip) begins, drops to
the ``cairn_app`` role and sets ``cairn.org_id``, so row-level security confines it to
one organization even where a statement forgot its ``org_id`` condition.

Saturation is not an outage: a unit of work first waits (at most ``pool_timeout``
seconds) for one of the pool's ``max_size`` slots and answers ``SERVICE_BUSY`` when none
frees up; only then does it take a connection, and a connection that cannot be had or
that breaks is ``DATABASE_UNAVAILABLE``. :func:`is_connection_failure` is the one place
that says which driver errors mean "the database went away".
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Any

import asyncpg
import orjson

from cairn.config import ORG_ID_PATTERN
from cairn.errors import CairnError, DatabaseUnavailable, ServiceBusy

APP_ROLE = "cairn_app"
# Taking a connection once a slot is ours: only (re)connecting can make this slow.
ACQUIRE_TIMEOUT_SECONDS = 10.0
CONNECT_TIMEOUT_SECONDS = 5.0
DEFAULT_POOL_TIMEOUT_SECONDS = 5.0
PROBE_TIMEOUT_SECONDS = 2.0
UNAVAILABLE_MESSAGE = "the database is unavailable; retry shortly"

# Driver errors that mean the connection or the server is gone, not that a statement
# was wrong: asyncpg's client-side state errors ("cannot switch to state 15"), a closed
# or refused socket, and PostgreSQL's 08 (connection), 57 (shutdown, starting up) and
# 53300 (too many connections) classes.
_DRIVER_FAILURES: tuple[type[BaseException], ...] = (
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.OperatorInterventionError,
    asyncpg.TooManyConnectionsError,
    OSError,
    TimeoutError,
)

StatementListener = Callable[[str], None]


def is_connection_failure(exc: BaseException) -> bool:
    """True when ``exc`` (or what it was raised from) means the database is unreachable."""
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None or isinstance(seen, CairnError):
            return False
        if isinstance(seen, _DRIVER_FAILURES):
            return True
        seen = seen.__cause__
    return False


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


@dataclass
class WriteTally:
    """How many write transactions committed while it was being tracked."""

    committed: int = 0


_writes: contextvars.ContextVar[WriteTally | None] = contextvars.ContextVar(
    "cairn_writes", default=None
)


@contextmanager
def track_writes() -> Iterator[WriteTally]:
    """Count committed write transactions of everything run inside the block (child tasks
    too: they copy the context, which holds this same tally)."""
    tally = WriteTally()
    token = _writes.set(tally)
    try:
        yield tally
    finally:
        _writes.reset(token)


class Database:
    """An asyncpg pool plus the org-scoped transaction every request goes through."""

    def __init__(self) -> None:
        self._pool: asyncpg.Pool | None = None
        self._listeners: list[StatementListener] = []
        self._dsn = ""
        self._slots = asyncio.Semaphore(1)
        self.max_size = 1
        self.pool_timeout = DEFAULT_POOL_TIMEOUT_SECONDS
        self._probe: asyncpg.Connection | None = None
        self._probe_lock = asyncio.Lock()

    @property
    def pool(self) -> asyncpg.Pool:
        assert self._pool is not None, "Database.connect() first"
        return self._pool

    @classmethod
    async def connect(
        cls,
        dsn: str,
        *,
        min_size: int = 1,
        max_size: int = 10,
        pool_timeout: float = DEFAULT_POOL_TIMEOUT_SECONDS,
    ) -> Database:
        database = cls()
        database._dsn = dsn
        database.max_size = max_size
        database.pool_timeout = pool_timeout
        database._slots = asyncio.Semaphore(max_size)

        async def init(conn: asyncpg.Connection) -> None:
            await _init_connection(conn)
            conn.add_query_logger(database._log_statement)

        try:
            database._pool = await asyncpg.create_pool(
                dsn,
                min_size=min(min_size, max_size),
                max_size=max_size,
                init=init,
                reset=_keep_session,
                command_timeout=60,
                timeout=CONNECT_TIMEOUT_SECONDS,
                # Prepared statements stay cached until the LRU drops them. asyncpg's default
                # drops each 300 s after it was prepared, through a timer that keeps the
                # request's contextvars alive until then and, once run, leaves the entry and
                # the timer as a reference cycle: garbage for the collector on every
                # statement, every five minutes, and a re-prepare on its next use.
                max_cached_statement_lifetime=0,
            )
        except Exception as exc:
            if not is_connection_failure(exc):
                raise
            raise DatabaseUnavailable(f"cannot reach the database: {type(exc).__name__}") from exc
        return database

    async def close(self) -> None:
        probe, self._probe = self._probe, None
        if probe is not None:
            probe.terminate()
        await self.pool.close()

    def add_statement_listener(self, listener: StatementListener) -> None:
        """Call ``listener(sql)`` for every statement (tests count them)."""
        self._listeners.append(listener)

    def remove_statement_listener(self, listener: StatementListener) -> None:
        self._listeners.remove(listener)

    def _log_statement(self, record: Any) -> None:
        for listener in self._listeners:
            listener(record.query)

    @property
    def in_use(self) -> int:
        """Pool slots taken by units of work right now (tests and metrics)."""
        return self.max_size - self._slots._value

    @asynccontextmanager
    async def _slot(self) -> AsyncIterator[None]:
        try:
            async with asyncio.timeout(self.pool_timeout):
                await self._slots.acquire()
        except TimeoutError:
            raise ServiceBusy(
                f"the service is busy: all {self.max_size} database connections stayed in "
                f"use for {self.pool_timeout:g} s; retry shortly (operators: raise "
                "CAIRN_DB_POOL_MAX or CAIRN_DB_POOL_TIMEOUT_SECONDS, or add replicas)"
            ) from None
        try:
            yield
        finally:
            self._slots.release()

    async def _take(self) -> asyncpg.Connection:
        try:
            proxy = await self.pool.acquire(timeout=ACQUIRE_TIMEOUT_SECONDS)
        except Exception as exc:
            if is_connection_failure(exc):
                raise DatabaseUnavailable(UNAVAILABLE_MESSAGE) from exc
            raise
        conn: asyncpg.Connection = proxy  # type: ignore[assignment]
        return conn

    async def _give_back(self, conn: asyncpg.Connection, broken: bool) -> None:
        if broken and not conn.is_closed():
            conn.terminate()  # never hand a connection in an unknown state to the next user
        try:
            await self.pool.release(conn)  # type: ignore[arg-type]  # the proxy _take gave
        except Exception as exc:  # releasing a connection that died on the way
            if not is_connection_failure(exc):
                raise

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[asyncpg.Connection]:
        """A pooled connection (a slot of its own), for work that is not org-scoped."""
        async with self._slot():
            conn = await self._take()
            broken = False
            try:
                yield conn
            except BaseException as exc:
                broken = is_connection_failure(exc)
                raise
            finally:
                await self._give_back(conn, broken)

    @asynccontextmanager
    async def scoped(
        self, org_id: str, *, readonly: bool = False
    ) -> AsyncIterator[asyncpg.Connection]:
        """A transaction confined to ``org_id`` on a connection of its own."""
        if not ORG_ID_PATTERN.fullmatch(org_id):  # it is inlined below: never trust it blindly
            raise ValueError("invalid organization id")
        begin = (
            f"{'BEGIN READ ONLY' if readonly else 'BEGIN'}; SET LOCAL ROLE {APP_ROLE}; "
            f"SELECT set_config('cairn.org_id', '{org_id}', true)"
        )
        async with self._slot():
            conn = await self._begin(begin)
            broken = False
            try:
                try:
                    yield conn
                except BaseException as exc:
                    failure = is_connection_failure(exc)
                    broken = failure or not await self._rollback(conn)
                    if failure and isinstance(exc, Exception):
                        raise DatabaseUnavailable(UNAVAILABLE_MESSAGE) from exc
                    raise
                try:
                    await conn.execute("COMMIT")
                except Exception as exc:
                    broken = is_connection_failure(exc)
                    if broken:
                        raise DatabaseUnavailable(UNAVAILABLE_MESSAGE) from exc
                    raise
                tally = _writes.get()
                if tally is not None and not readonly:
                    tally.committed += 1
            finally:
                await self._give_back(conn, broken)

    async def _begin(self, begin: str) -> asyncpg.Connection:
        """A connection inside a fresh transaction. A pooled connection that died while idle
        (a database restart) is replaced once: nothing has been done on it yet."""
        for attempt in (1, 2):
            conn = await self._take()
            try:
                await conn.execute(begin)
                return conn
            except Exception as exc:
                failed = is_connection_failure(exc)
                await self._give_back(conn, broken=True)
                if not failed:
                    raise
                if attempt == 2:
                    raise DatabaseUnavailable(UNAVAILABLE_MESSAGE) from exc
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    async def _rollback(conn: asyncpg.Connection) -> bool:
        """Roll back after a failed unit of work; False if the connection is unusable."""
        if conn.is_closed():
            return False
        try:
            await conn.execute("ROLLBACK")
        except Exception:
            return False
        return True

    async def ping(self) -> bool:
        """Whether PostgreSQL answers, on a probe connection of its own: a saturated pool
        must not make the replica look down (``/readyz``), so this never queues for it."""
        async with self._probe_lock:
            try:
                async with asyncio.timeout(PROBE_TIMEOUT_SECONDS):
                    if self._probe is None or self._probe.is_closed():
                        self._probe = await asyncpg.connect(
                            self._dsn, timeout=PROBE_TIMEOUT_SECONDS
                        )
                    return bool(await self._probe.fetchval("SELECT true"))
            except Exception:
                probe, self._probe = self._probe, None
                if probe is not None:
                    probe.terminate()
                return False
