"""Subscriptions: artifactPublished, fed by Postgres LISTEN/NOTIFY (see cairn.notify).

The notifier hands this resolver the events of the subscriber's own organization; each
event's artifact is then loaded through the org-scoped DataLoaders (row-level security
applies), so a subscriber only ever sees rows its token could query.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncGenerator, AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

import strawberry
from strawberry.extensions import SchemaExtension
from strawberry.types.execution import StreamExecutionResult

from cairn import metrics
from cairn.auth import SCOPE_READ, Principal
from cairn.db.rows import ArtifactRow
from cairn.errors import DatabaseUnavailable, ServiceBusy, Unauthenticated
from cairn.graphql.context import Context, Info
from cairn.graphql.errors import format_error, log_unexpected
from cairn.graphql.types import Artifact
from cairn.notify import ArtifactEvent, Notifier
from cairn.services.validation import uuid_or_none
from graphql import GraphQLError

# Events drained from the queue and loaded in one statement.
BATCH_SIZE = 100
# How long a batch of events is retried while the database is unavailable.
RELOAD_WINDOW_SECONDS = 30.0

log = logging.getLogger("cairn.subscriptions")

_NOT_UUID = "; an id that is not a UUID matches nothing."
OfRun = Annotated[
    strawberry.ID | None, strawberry.argument(description="Only artifacts of this run" + _NOT_UUID)
]
OfJobRun = Annotated[
    strawberry.ID | None,
    strawberry.argument(description="Only artifacts of runs in this job run" + _NOT_UUID),
]
OfWorkflow = Annotated[
    strawberry.ID | None,
    strawberry.argument(description="Only artifacts of runs of this workflow" + _NOT_UUID),
]


@dataclass(frozen=True, slots=True)
class EventMatch:
    """The optional id filters of one subscription; all given ones must match."""

    workflow_run_id: UUID | None = None
    job_run_id: UUID | None = None
    workflow_id: UUID | None = None
    impossible: bool = False  # an id that is not a UUID matches nothing

    @classmethod
    def of(
        cls, workflow_run_id: str | None, job_run_id: str | None, workflow_id: str | None
    ) -> EventMatch:
        run, job, workflow = (
            None if v is None else uuid_or_none(v)
            for v in (workflow_run_id, job_run_id, workflow_id)
        )
        impossible = (
            (workflow_run_id is not None and run is None)
            or (job_run_id is not None and job is None)
            or (workflow_id is not None and workflow is None)
        )
        return cls(run, job, workflow, impossible=impossible)

    def _ids_match(self, run: UUID | None, job: UUID | None, workflow: UUID | None) -> bool:
        if self.impossible:
            return False
        return (
            (self.workflow_run_id is None or self.workflow_run_id == run)
            and (self.job_run_id is None or self.job_run_id == job)
            and (self.workflow_id is None or self.workflow_id == workflow)
        )

    def __call__(self, event: ArtifactEvent) -> bool:
        return self._ids_match(event.workflow_run_id, event.job_run_id, event.workflow_id)

    def row(self, row: ArtifactRow) -> bool:
        return self._ids_match(row.workflow_run_id, row.job_run_id, row.workflow_id)


async def _next_event(
    queue: asyncio.Queue[ArtifactEvent | None], principal: Principal
) -> ArtifactEvent | None:
    """The next event, or Unauthenticated once the subscriber's token has expired."""
    if principal.expires_at is None:
        return await queue.get()
    try:
        async with asyncio.timeout(max(0.0, principal.expires_at - time.time())):
            return await queue.get()
    except TimeoutError:
        raise Unauthenticated("the token has expired; subscribe again with a fresh token") from None


@contextlib.asynccontextmanager
async def _active() -> AsyncIterator[None]:
    """``cairn_subscriptions_active`` counts this stream while it is open."""
    metrics.SUBSCRIPTIONS_ACTIVE.inc()
    try:
        yield
    finally:
        metrics.SUBSCRIPTIONS_ACTIVE.dec()


async def _stream(
    ctx: Context, notifier: Notifier, principal: Principal, match: EventMatch
) -> AsyncGenerator[Artifact, None]:
    async with notifier.subscribe(principal.org_id, match) as queue, _active():
        closing = False
        while not closing:
            event = await _next_event(queue, principal)
            if event is None:
                return
            ids = [event.id]
            while len(ids) < BATCH_SIZE and not queue.empty():
                more = queue.get_nowait()
                if more is None:
                    closing = True
                    break
                ids.append(more.id)
            rows = await _load_surviving_blips(ctx, list(dict.fromkeys(ids)))
            for row in rows:
                # None: deleted since (or, impossibly, another organization's: RLS hides it).
                if row is not None and row.status == "AVAILABLE" and match.row(row):
                    yield Artifact.from_row(row)


async def _load_surviving_blips(ctx: Context, ids: list[UUID]) -> list[ArtifactRow | None]:
    """The rows of ``ids``; while the database is briefly unavailable or busy, retried
    (100 ms steps doubling to 1 s) rather than ending the stream. After
    RELOAD_WINDOW_SECONDS the batch is dropped, as the listener drops events published
    while it reconnects (delivery is at most once), and the stream goes on."""
    delay = 0.1
    loop = asyncio.get_running_loop()
    give_up = loop.time() + RELOAD_WINDOW_SECONDS
    while True:
        # Fresh loaders per batch: the context lives as long as the WebSocket, and a
        # long-lived cache would grow without bound and serve stale related rows.
        ctx.reset_loaders()
        try:
            return list(await ctx.loaders.artifacts.load_many(ids))
        except (DatabaseUnavailable, ServiceBusy) as exc:
            if loop.time() + delay > give_up:
                log.warning("dropping %d subscription events: %s", len(ids), exc.code)
                return []
            await asyncio.sleep(delay)
            delay = min(delay * 2, 1.0)


@strawberry.type(
    description=(
        "Live events over a WebSocket to /graphql (graphql-transport-ws, or the legacy "
        "graphql-ws); authenticate in connection_init with the payload "
        '{"Authorization": "Bearer <token>"}.'
    )
)
class Subscription:
    @strawberry.subscription(
        description=(
            "Artifacts as they become AVAILABLE, published through any replica; the given "
            "ids must all match. Needs the artifacts:read scope. At most once: events "
            "published while this server reconnects to the database are not replayed."
        )
    )
    async def artifact_published(
        self,
        info: Info,
        workflow_run_id: OfRun = None,
        job_run_id: OfJobRun = None,
        workflow_id: OfWorkflow = None,
    ) -> AsyncGenerator[Artifact, None]:
        # Not a generator itself: checks raise before the stream starts, so the client
        # gets one `error` message instead of a stream that ends with an error.
        ctx = info.context
        principal = ctx.require(SCOPE_READ)
        if ctx.notifier is None:
            raise DatabaseUnavailable("subscriptions are not available on this server")
        match = EventMatch.of(workflow_run_id, job_run_id, workflow_id)
        return _stream(ctx, ctx.notifier, principal, match)


SUBSCRIPTION: type | None = Subscription


class ShapeStreamErrors(SchemaExtension):
    """Give errors sent over streaming transports (WebSocket) the contract's shape.

    The HTTP view formats errors in ``process_result``; Strawberry's WebSocket handler
    sends ``error.formatted`` as it is, which would carry no ``extensions.code`` and
    would show unexpected exceptions' text. This rewrites each streamed result's errors
    exactly as the HTTP path does, logging unexpected ones with the request id.
    """

    def on_stream_result(self, result: StreamExecutionResult) -> Iterator[None]:
        errors: list[GraphQLError] | None = getattr(result, "errors", None)
        if errors:
            ctx: Any = self.execution_context.context
            request_id = str(getattr(ctx, "request_id", None) or "-")
            log_unexpected(errors, request_id)
            result.errors = [_shaped(error, request_id) for error in errors]  # type: ignore[union-attr]
        yield None


def _shaped(error: GraphQLError, request_id: str) -> GraphQLError:
    formatted = format_error(error, request_id)
    return GraphQLError(
        formatted["message"],
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=error.original_error,
        extensions=formatted["extensions"],
    )
