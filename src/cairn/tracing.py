"""Optional OpenTelemetry tracing: off unless ``OTEL_EXPORTER_OTLP_ENDPOINT`` (or
``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``) is set, so nothing leaves the machine by default.

When on, every HTTP request and WebSocket is a server span (the ASGI middleware), every
statement a client span under it (asyncpg's instrumentation, SQL text only: parameters are
never recorded), every object-storage call a span (``storage <operation>``), and the
request's span carries the GraphQL operation's type and name. Spans go to the OTLP/HTTP
exporter configured by the standard ``OTEL_*`` variables (``OTEL_SERVICE_NAME``,
``OTEL_RESOURCE_ATTRIBUTES``, headers, timeouts); ``OTEL_SDK_DISABLED=true`` turns it off.
Signed URLs and tokens are never span attributes: request headers are not captured, and
a storage span names only its operation and outcome."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import version
from typing import TYPE_CHECKING, Any

from opentelemetry import trace  # the API only: the SDK is imported when tracing is on

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider
    from starlette.applications import Starlette

ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
# probes and scrapes would drown the traces that matter
EXCLUDED_PATHS = "/healthz,/readyz,/metrics"
TRACER_NAME = "cairn"


def provider_from_environment() -> TracerProvider | None:
    """A provider exporting over OTLP/HTTP when an endpoint is configured, else None."""
    if os.environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return None
    if not any(os.environ.get(name, "").strip() for name in ENDPOINT_VARIABLES):
        return None
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = new_provider()
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    return provider


def new_provider() -> TracerProvider:
    """A provider for this service: ``service.name`` is ``cairn`` unless
    ``OTEL_SERVICE_NAME`` or ``OTEL_RESOURCE_ATTRIBUTES`` name it."""
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace import TracerProvider

    resource = Resource.create({"service.version": version("cairn")})
    if str(resource.attributes.get(SERVICE_NAME, "")).startswith("unknown_service"):
        resource = resource.merge(Resource({SERVICE_NAME: "cairn"}))
    return TracerProvider(resource=resource)


class Tracing:
    """One app's tracing: the ASGI wrapper, asyncpg's instrumentation while the app runs,
    and the storage spans. ``Tracing(None)`` traces nothing and costs nothing."""

    def __init__(self, provider: TracerProvider | None) -> None:
        self.provider = provider
        self.tracer = provider.get_tracer(TRACER_NAME) if provider is not None else None
        self._asyncpg: Any = None  # the AsyncPGInstrumentor while instrumented

    @property
    def enabled(self) -> bool:
        return self.provider is not None

    def add_middleware(self, app: Starlette) -> None:
        """A server span per request: call last, so that it is the outermost middleware."""
        if self.provider is None:
            return
        from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
        from opentelemetry.util.http import parse_excluded_urls

        app.add_middleware(
            OpenTelemetryMiddleware,
            excluded_urls=parse_excluded_urls(EXCLUDED_PATHS),
            tracer_provider=self.provider,
            exclude_spans=["receive", "send"],  # one span per request, not per message
        )

    def start(self) -> None:
        """Instrument asyncpg (process-wide: one app per process in production)."""
        if self.provider is None or self._asyncpg is not None:
            return
        from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor

        instrumentor = AsyncPGInstrumentor(capture_parameters=False)  # type: ignore[no-untyped-call]
        instrumentor.instrument(tracer_provider=self.provider)
        self._asyncpg = instrumentor

    def stop(self) -> None:
        """Undo :meth:`start` and send what is still buffered."""
        if self._asyncpg is not None:
            self._asyncpg.uninstrument()
            self._asyncpg = None
        if self.provider is not None:
            self.provider.force_flush()

    @contextmanager
    def storage_span(self, operation: str) -> Iterator[None]:
        if self.tracer is None:
            yield
            return
        with self.tracer.start_as_current_span(
            f"storage {operation}",
            kind=trace.SpanKind.CLIENT,
            attributes={"cairn.storage.operation": operation},
        ):
            yield


def name_operation(kind: str, name: str) -> None:
    """Put the GraphQL operation on the request's span (a no-op when not tracing)."""
    span = trace.get_current_span()
    if span.is_recording():
        span.set_attribute("graphql.operation.type", kind)
        span.set_attribute("graphql.operation.name", name)
