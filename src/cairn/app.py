"""create_app(settings): routes, middleware and the lifespan that owns pool and store."""

from __future__ import annotations

import gc
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TypeVar, overload

from starlette.applications import Starlette
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cairn import health, metrics
from cairn.auth import TokenVerifier
from cairn.config import Settings
from cairn.cors import CairnCORS, OriginPolicy, cors_options
from cairn.db.pool import Database
from cairn.graphql.ide import STATIC_DIR, STATIC_PREFIX
from cairn.graphql.schema import build_schema
from cairn.graphql.view import CairnGraphQL, GraphQLGate
from cairn.notify import Notifier
from cairn.services.sweeper import start_sweeper, stop_sweeper
from cairn.storage import BlobStore, MeteredStore, MinioStore
from cairn.tracing import Tracing, provider_from_environment
from cairn.webapp import routes as webapp_routes

StoreT = TypeVar("StoreT", bound=MinioStore)


@overload
def make_store(settings: Settings) -> MinioStore: ...
@overload
def make_store(settings: Settings, store_class: type[StoreT]) -> StoreT: ...
def make_store(settings: Settings, store_class: type[MinioStore] = MinioStore) -> MinioStore:
    """The object store the settings describe (``store_class``: a subclass, for fault tests)."""
    if not (settings.s3_endpoint and settings.s3_access_key and settings.s3_secret_key):
        raise ValueError(
            "CAIRN_S3_ENDPOINT, CAIRN_S3_ACCESS_KEY and CAIRN_S3_SECRET_KEY are required"
        )
    return store_class(
        settings.s3_endpoint,
        settings.s3_access_key,
        settings.s3_secret_key,
        settings.s3_bucket,
        region=settings.s3_region,
        secure=settings.s3_secure,
        public_endpoint=settings.s3_public_endpoint,
        timeout=settings.s3_timeout_seconds,
    )


class _Deferred:
    """An ASGI app built in the lifespan (it needs the pool), routed to from the start."""

    def __init__(self) -> None:
        self.app: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.app is not None, "the application has not started"
        await self.app(scope, receive, send)


class _Metrics:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def record(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record)
        finally:
            path = (
                scope["path"]
                if scope["path"] in ("/graphql", "/healthz", "/readyz", "/metrics")
                else "other"
            )
            metrics.HTTP_REQUESTS.labels(path, str(status)).inc()
            metrics.HTTP_LATENCY.labels(path).observe(time.perf_counter() - started)


# Young-generation threshold of the cycle collector once serving (Python's default: 700).
# Requests leave no reference cycles (tests assert it), but a nested page allocates tens
# of thousands of objects that live until its response is sent; at 700 the collector ran
# ~240 young and 2 full collections per 10,000-artifact request, scanning them again and
# again (~80 ms of ~420). At 50,000: ~3 young collections and ~21 ms (bench/RESULTS.md).
YOUNG_GENERATION_THRESHOLD = 50_000


def tune_collector() -> None:
    """Move everything alive after start-up (schema, modules, pool) into the collector's
    permanent generation, so no collection scans it again, and collect young objects
    only every YOUNG_GENERATION_THRESHOLD allocations."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, middle, old)


def create_app(
    settings: Settings,
    *,
    db: Database | None = None,
    store: BlobStore | None = None,
    freeze_gc: bool = False,
    tracing: Tracing | None = None,
) -> Starlette:
    """Build the ASGI app. ``db``/``store`` may be injected (tests); else made at start-up.
    ``tracing``: OpenTelemetry spans (default: on when an OTLP endpoint is configured).

    ``freeze_gc`` (``cairn serve``): ``tune_collector()`` once started."""
    if settings.database_url is None and db is None:
        raise ValueError("CAIRN_DATABASE_URL is required")
    verifier = TokenVerifier(settings)
    schema = build_schema(settings)
    graphql = _Deferred()
    tracing = tracing or Tracing(provider_from_environment())

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        tracing.start()
        own_db = db is None
        database = db or await Database.connect(
            settings.database_url or "",
            min_size=settings.db_pool_min,
            max_size=settings.db_pool_max,
            pool_timeout=settings.db_pool_timeout_seconds,
        )
        own_store = store is None
        blob_store = store or make_store(settings)
        metered = MeteredStore(blob_store, tracing)  # what the service uses: timed, URLs counted
        # One LISTEN connection per process (same DSN as the pool) feeds subscriptions.
        notifier = Notifier(settings.database_url) if settings.database_url else None
        sweeper = None
        try:
            await blob_store.ensure_bucket()
            if notifier is not None:
                await notifier.start()
            view = CairnGraphQL(
                schema,
                settings=settings,
                db=database,
                store=metered,
                verifier=verifier,
                notifier=notifier,
            )
            graphql.app = GraphQLGate(view, verifier, settings)
            app.state.db = database
            app.state.store = blob_store
            app.state.notifier = notifier
            # failed and abandoned uploads of every organization (0 s: off)
            sweeper = app.state.sweeper = start_sweeper(database, metered, settings)
            if freeze_gc:
                tune_collector()
            yield
        finally:
            await stop_sweeper(sweeper)
            if notifier is not None:
                await notifier.close()
            if own_db:
                await database.close()
            if own_store:  # its thread pool: queued calls cancelled, none waited for
                await blob_store.close()
            tracing.stop()

    app = Starlette(
        routes=[
            Mount(STATIC_PREFIX, StaticFiles(directory=STATIC_DIR), name="graphiql-static"),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/healthz", health.healthz),
            Route("/readyz", health.readyz),
            Route("/metrics", health.metrics),
            *webapp_routes(settings),
        ],
        lifespan=lifespan,
    )
    app.add_middleware(_Metrics)
    # Outermost, so that every answer (401s too) carries the CORS headers a page needs.
    origins = OriginPolicy.from_origins(settings.cors_origins)
    if not origins.empty:
        app.add_middleware(CairnCORS, **cors_options(origins))
    tracing.add_middleware(app)  # outermost: the span covers all of a request
    return app
