"""Every Prometheus metric Cairn exports on ``/metrics``, in one module.

With several server processes (``cairn serve --workers N``) prometheus-client's
multiprocess mode is on: ``PROMETHEUS_MULTIPROC_DIR`` is set before any worker imports
this module, every process writes its values to files there, and ``/metrics`` (in
whichever worker answers) adds them up. Gauges say how they combine across processes.
"""

from __future__ import annotations

import os
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from typing import Any, TypeVar

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
# Distinct operation names kept per process; later new names are counted as "other".
MAX_OPERATION_NAMES = 200
ANONYMOUS = "anonymous"
OTHER = "other"

HTTP_REQUESTS = Counter("cairn_http_requests_total", "HTTP requests", ["path", "status"])
HTTP_LATENCY = Histogram("cairn_http_request_seconds", "HTTP request latency", ["path"])
OPERATIONS = Counter(
    "cairn_graphql_operations_total",
    "GraphQL operations by type (query, mutation, subscription), operation name and "
    "outcome (the first error's extensions.code, or OK)",
    ["type", "name", "code"],
)
OPERATION_SECONDS = Histogram(
    "cairn_graphql_operation_seconds",
    "GraphQL operation latency (parse, validation and execution)",
    ["type", "name"],
)
PUBLISHED = Counter(
    "cairn_artifacts_published_total",
    "Artifacts that became AVAILABLE, by artifact type and publishing path "
    "(inline, upload, presigned)",
    ["type", "path"],
)
UPLOADED_BYTES = Counter(
    "cairn_uploaded_bytes_total",
    "Bytes of published artifacts, by publishing path",
    ["path"],
)
SIGNED_URLS = Counter(
    "cairn_signed_urls_total", "Signed URLs minted, by HTTP method (GET, PUT)", ["method"]
)
STORAGE_SECONDS = Histogram(
    "cairn_storage_request_seconds",
    "Object storage calls by operation and outcome (ok, error)",
    ["operation", "outcome"],
)
DB_POOL = Gauge(
    "cairn_db_pool_connections",
    "Database pool slots: idle, in_use and max (summed over live processes)",
    ["state"],
    multiprocess_mode="livesum",
)
GC_REMOVED = Counter(
    "cairn_gc_removed_total",
    "Things removed by the sweep and cairn gc, by reason",
    ["reason"],
)
SUBSCRIPTIONS_ACTIVE = Gauge(
    "cairn_subscriptions_active",
    "GraphQL subscriptions streaming right now (summed over live processes)",
    multiprocess_mode="livesum",
)
BUILD_INFO = Gauge(
    "cairn_build_info",
    "Always 1; the version label is the running Cairn version",
    ["version"],
    multiprocess_mode="livemax",
)


def cairn_version() -> str:
    try:
        return package_version("cairn")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


BUILD_INFO.labels(cairn_version()).set(1)


class OperationNames:
    """Bounded label values: the first ``cap`` distinct names are kept, later ones are
    ``other``; an unnamed operation is ``anonymous``."""

    def __init__(self, cap: int = MAX_OPERATION_NAMES) -> None:
        self.cap = cap
        self._seen: set[str] = set()

    def label(self, name: str | None) -> str:
        if not name:
            return ANONYMOUS
        if name in self._seen:
            return name
        if len(self._seen) >= self.cap:
            return OTHER
        self._seen.add(name)
        return name


OPERATION_NAMES = OperationNames()


def record_operation(kind: str, name: str | None, code: str, seconds: float) -> str:
    """Count one GraphQL operation; returns the name label used."""
    label = OPERATION_NAMES.label(name)
    OPERATIONS.labels(kind, label, code).inc()
    OPERATION_SECONDS.labels(kind, label).observe(seconds)
    return label


def record_published(artifact_type: str, path: str, size: int | None) -> None:
    PUBLISHED.labels(artifact_type, path).inc()
    if size:
        UPLOADED_BYTES.labels(path).inc(size)


def record_pool(in_use: int, max_size: int) -> None:
    DB_POOL.labels("in_use").set(in_use)
    DB_POOL.labels("idle").set(max(max_size - in_use, 0))
    DB_POOL.labels("max").set(max_size)


T = TypeVar("T")


@contextmanager
def storage_timer(operation: str) -> Iterator[None]:
    started = time.perf_counter()
    outcome = "error"
    try:
        yield
        outcome = "ok"
    finally:
        STORAGE_SECONDS.labels(operation, outcome).observe(time.perf_counter() - started)


async def timed_storage(operation: str, call: Callable[[], Awaitable[T]]) -> T:
    with storage_timer(operation):
        return await call()


def exposition() -> tuple[bytes, str]:
    """The text ``/metrics`` answers: this process's registry, or with multiprocess mode
    on, every process's values combined."""
    if os.environ.get(MULTIPROC_ENV):
        from prometheus_client import multiprocess

        registry: Any = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
