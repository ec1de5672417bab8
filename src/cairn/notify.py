"""Cross-replica notifications: Postgres LISTEN/NOTIFY fanned out to subscribers.

Every publishing transaction runs ``pg_notify('cairn_artifact_published', <json>)``;
Postgres delivers it on commit to every session listening on the channel, i.e. to one
:class:`Notifier` per replica. The notifier keeps ONE dedicated connection (not a pool
connection: a pooled one would be reset and lose its LISTEN), parses each payload and
puts it on the bounded queue of every local subscriber of the same organization.

Delivery is at most once: an event published while the listener is reconnecting is not
seen, and a subscriber that falls more than ``queue_size`` events behind loses the oldest
ones. Clients that must not miss anything reconcile with the ``artifacts`` query.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import asyncpg
import orjson

from cairn.config import ORG_ID_PATTERN
from cairn.db import sessions
from cairn.errors import DatabaseUnavailable

log = logging.getLogger("cairn.notify")

CHANNEL = sessions.PUBLISHED_CHANNEL
CONNECT_TIMEOUT_SECONDS = 3.0
KEEPALIVE_SECONDS = 30.0
# Reconnecting: the first attempt at once, then every 100-250 ms (jittered), so LISTEN
# resumes within a fraction of a second of PostgreSQL accepting connections again.
BACKOFF_INITIAL_SECONDS = 0.1
BACKOFF_MAX_SECONDS = 0.25
RETRY_LOG_EVERY_SECONDS = 10.0
_CONNECTION_ERRORS = (
    TimeoutError,
    OSError,
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,
)


@dataclass(frozen=True, slots=True)
class ArtifactEvent:
    """One published artifact, as announced by the publishing transaction."""

    org_id: str
    id: UUID
    workflow_run_id: UUID | None
    job_run_id: UUID | None
    workflow_id: UUID | None


def parse_event(payload: str) -> ArtifactEvent | None:
    """The event in a NOTIFY payload, or None when the payload is malformed."""
    try:
        data = orjson.loads(payload)
        org_id = data["org_id"]
        if not isinstance(org_id, str) or not ORG_ID_PATTERN.fullmatch(org_id):
            return None
        return ArtifactEvent(
            org_id=org_id,
            id=UUID(str(data["id"])),
            workflow_run_id=_optional_uuid(data.get("workflow_run_id")),
            job_run_id=_optional_uuid(data.get("job_run_id")),
            workflow_id=_optional_uuid(data.get("workflow_id")),
        )
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
        return None


def _optional_uuid(value: Any) -> UUID | None:
    return None if value is None else UUID(str(value))


EventFilter = Callable[[ArtifactEvent], bool]


@dataclass(eq=False)
class Subscriber:
    """One local subscriber: its organization, an optional filter and its queue.

    ``None`` on the queue means the notifier closed: the stream ends.
    """

    org_id: str
    accept: EventFilter | None
    queue: asyncio.Queue[ArtifactEvent | None]
    dropped: int = field(default=0)

    def offer(self, event: ArtifactEvent | None) -> None:
        """Enqueue without blocking; when full, drop the oldest event to make room."""
        while True:
            try:
                self.queue.put_nowait(event)
                return
            except asyncio.QueueFull:
                with contextlib.suppress(asyncio.QueueEmpty):
                    self.queue.get_nowait()
                    self.dropped += 1
                    if self.dropped == 1 or self.dropped % 100 == 0:
                        log.warning(
                            "a subscriber of %s is too slow: %d events dropped",
                            self.org_id,
                            self.dropped,
                        )


class Notifier:
    """One LISTEN connection per process, reconnecting with backoff, fanned out by org."""

    def __init__(
        self,
        dsn: str,
        *,
        queue_size: int = 1000,
        backoff_initial: float = BACKOFF_INITIAL_SECONDS,
        backoff_max: float = BACKOFF_MAX_SECONDS,
        keepalive: float = KEEPALIVE_SECONDS,
    ) -> None:
        self._dsn = dsn
        self._queue_size = queue_size
        self._backoff_initial = backoff_initial
        self._backoff_max = backoff_max
        self._keepalive = keepalive
        self._subscribers: dict[str, set[Subscriber]] = {}
        self._conn: asyncpg.Connection | None = None
        self._lost = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._closed = False
        self.connected = asyncio.Event()
        self.reconnects = 0
        self.failed_attempts = 0  # connection attempts that failed, since start

    # -- lifecycle -------------------------------------------------------------

    async def start(self) -> None:
        """Connect and LISTEN, then supervise the connection in the background.

        A failed first attempt is logged, not raised: the supervisor keeps retrying, so a
        database blip at start-up delays subscriptions instead of stopping the server.
        """
        if self._task is not None:
            raise RuntimeError("the notifier is already started")
        try:
            await self._connect()
        except _CONNECTION_ERRORS as exc:
            log.warning("cannot LISTEN on %s yet (%s); retrying", CHANNEL, type(exc).__name__)
        self._task = asyncio.create_task(self._supervise(), name="cairn-notifier")

    async def close(self) -> None:
        """Stop listening, close the connection and end every subscriber's stream."""
        self._closed = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self._disconnect()
        for subscribers in self._subscribers.values():
            for subscriber in subscribers:
                subscriber.offer(None)
        self._subscribers.clear()

    # -- subscribers -------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def subscribe(
        self, org_id: str, accept: EventFilter | None = None
    ) -> AsyncIterator[asyncio.Queue[ArtifactEvent | None]]:
        """A queue of ``org_id``'s events (those ``accept`` admits) while the block runs."""
        if self._closed:
            raise DatabaseUnavailable("the server is shutting down; reconnect shortly")
        subscriber = Subscriber(org_id, accept, asyncio.Queue(maxsize=self._queue_size))
        self._subscribers.setdefault(org_id, set()).add(subscriber)
        try:
            yield subscriber.queue
        finally:
            group = self._subscribers.get(org_id)
            if group is not None:
                group.discard(subscriber)
                if not group:
                    del self._subscribers[org_id]

    def subscriber_count(self, org_id: str | None = None) -> int:
        if org_id is not None:
            return len(self._subscribers.get(org_id, ()))
        return sum(len(group) for group in self._subscribers.values())

    def dispatch(self, event: ArtifactEvent) -> int:
        """Hand ``event`` to its organization's subscribers; return how many took it."""
        delivered = 0
        for subscriber in tuple(self._subscribers.get(event.org_id, ())):
            try:
                if subscriber.accept is not None and not subscriber.accept(event):
                    continue
            except Exception:  # a broken filter must not starve the others
                log.exception("subscription filter failed")
                continue
            subscriber.offer(event)
            delivered += 1
        return delivered

    # -- the connection ------------------------------------------------------------

    def _on_notification(self, conn: object, pid: int, channel: str, payload: object) -> None:
        event = parse_event(payload) if isinstance(payload, str) else None
        if event is None:
            log.warning("ignoring a malformed %s payload", CHANNEL)
            return
        self.dispatch(event)

    def _on_termination(self, conn: object) -> None:
        self._lost.set()

    async def _connect(self) -> None:
        conn = await asyncpg.connect(self._dsn, timeout=CONNECT_TIMEOUT_SECONDS)
        try:
            conn.add_termination_listener(self._on_termination)
            await conn.add_listener(CHANNEL, self._on_notification)
        except BaseException:
            conn.terminate()
            raise
        self._lost.clear()
        self._conn = conn
        self.connected.set()

    async def _disconnect(self) -> None:
        conn, self._conn = self._conn, None
        self.connected.clear()
        if conn is None or conn.is_closed():
            return
        try:
            await asyncio.wait_for(conn.close(), timeout=5)
        except Exception:
            conn.terminate()

    async def _supervise(self) -> None:
        """Keep the LISTEN connection alive: ping it, and reconnect with backoff."""
        while not self._closed:
            if self._conn is None:
                await self._reconnect()
                continue
            await self._watch()
            if self._closed:
                return
            log.warning("the %s listener lost its connection; reconnecting", CHANNEL)
            await self._disconnect()

    async def _watch(self) -> None:
        """Return once the connection is lost (the socket closed or a ping failed)."""
        while True:
            try:
                await asyncio.wait_for(self._lost.wait(), timeout=self._keepalive)
                return
            except TimeoutError:
                pass
            conn = self._conn
            if conn is None or conn.is_closed():
                return
            try:
                await sessions.ping(conn)
            except _CONNECTION_ERRORS:
                return

    async def _reconnect(self) -> None:
        """Reconnect: at once, then in short jittered steps (capped), logging sparsely.

        Subscribers stay registered meanwhile: their streams simply see no events until
        the listener is back (events published in between are not replayed)."""
        delay = self._backoff_initial
        failures = 0
        logged_at = float("-inf")
        loop = asyncio.get_running_loop()
        while not self._closed:
            try:
                await self._connect()
            except _CONNECTION_ERRORS as exc:
                failures += 1
                self.failed_attempts += 1
                if loop.time() - logged_at >= RETRY_LOG_EVERY_SECONDS:
                    logged_at = loop.time()
                    log.warning(
                        "cannot LISTEN on %s (%s, %d attempts so far); retrying",
                        CHANNEL,
                        type(exc).__name__,
                        failures,
                    )
                jittered = delay * (0.5 + random.random() / 2)  # noqa: S311 - not crypto
                await asyncio.sleep(jittered)
                delay = min(delay * 2, self._backoff_max)
                continue
            self.reconnects += 1
            log.info("the %s listener is connected again after %d attempts", CHANNEL, failures + 1)
            return
