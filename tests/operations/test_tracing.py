"""OpenTelemetry tracing, exported to an in-memory exporter: a request is one server span
with the GraphQL operation on it, its statements and storage calls are spans inside the
same trace, probes are not traced, and no span carries a token or a signed URL. Off (no
provider, nothing exported) unless an OTLP endpoint is configured."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from cairn.auth import issue_token
from cairn.tracing import Tracing, new_provider, provider_from_environment
from tests.support.http import Client, Server, new_org, serve
from tests.support.publish import CREATE, b64, spec
from tests.support.stack import Stack, make_settings

PUBLISH = """mutation Publish($input: ArtifactInput!, $b64: String) {
  createArtifact(input: $input, contentBase64: $b64) { id signedUrl { url } } }"""


@pytest.fixture
def traced(stack: Stack) -> Iterator[tuple[Server, Client, InMemorySpanExporter]]:
    exporter = InMemorySpanExporter()
    provider = new_provider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    settings = make_settings(stack)
    with serve(settings, tracing=Tracing(provider)) as server:
        org = new_org()
        token = issue_token(settings, org_id=org, subject="tracer")
        with httpx.Client(
            base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=60
        ) as http:
            yield server, Client(http=http, org_id=org, token=token), exporter
    provider.shutdown()


def _finished(exporter: InMemorySpanExporter, servers: int) -> tuple[ReadableSpan, ...]:
    """The spans once ``servers`` server spans have ended (a request's span ends just
    after its response went out, so the client may see the answer first)."""
    deadline = time.monotonic() + 30
    while True:
        spans = exporter.get_finished_spans()
        if sum(s.kind is SpanKind.SERVER for s in spans) >= servers:
            return spans
        assert time.monotonic() < deadline, [s.name for s in spans]
        time.sleep(0.02)


def _in_trace(spans: tuple[ReadableSpan, ...], root: ReadableSpan) -> list[ReadableSpan]:
    assert root.context is not None
    return [
        s for s in spans if s.context is not None and s.context.trace_id == root.context.trace_id
    ]


def test_a_request_is_one_trace_with_its_statements_and_storage_calls(
    traced: tuple[Server, Client, InMemorySpanExporter],
) -> None:
    server, client, exporter = traced
    assert httpx.get(f"{server.url}/healthz", timeout=10).status_code == 200
    exporter.clear()
    data = client(PUBLISH, {"input": spec("BINARY", "t.bin"), "b64": b64(b"traced bytes")})
    url = data["createArtifact"]["signedUrl"]["url"]

    spans = _finished(exporter, 1)
    (request,) = [s for s in spans if s.kind is SpanKind.SERVER]
    assert request.attributes is not None
    assert request.attributes["graphql.operation.type"] == "mutation"
    assert request.attributes["graphql.operation.name"] == "Publish"
    assert request.resource.attributes["service.name"] == "cairn"
    inside = _in_trace(spans, request)
    statements = [s for s in inside if (s.attributes or {}).get("db.system") == "postgresql"]
    assert any(
        "INSERT INTO artifacts" in str(s.attributes.get("db.statement"))
        for s in statements
        if s.attributes
    )
    storage = {s.name for s in inside if s.name.startswith("storage ")}
    assert "storage put" in storage, sorted(storage)
    assert len(inside) == len(spans)  # nothing else was traced meanwhile

    # a probe is not traced; no span anywhere carries the token or the signed URL
    assert httpx.get(f"{server.url}/readyz", timeout=10).status_code == 200
    assert client("{ viewer { organizationId } }")
    every = _finished(exporter, 2)  # the query's; the probe's would have come first
    assert not [s for s in every if "/readyz" in s.name or "/healthz" in s.name]
    signature = url.split("X-Amz-Signature=")[1][:16]
    for span in every:
        text = repr(dict(span.attributes or {})) + span.name
        assert client.token not in text
        assert signature not in text


def test_tracing_is_off_without_an_otlp_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    assert provider_from_environment() is None
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")
    monkeypatch.setenv("OTEL_SDK_DISABLED", "true")
    assert provider_from_environment() is None
    monkeypatch.delenv("OTEL_SDK_DISABLED")
    monkeypatch.setenv("OTEL_SERVICE_NAME", "cairn-eu")
    provider = provider_from_environment()
    assert provider is not None
    try:
        assert provider.resource.attributes["service.name"] == "cairn-eu"
    finally:
        provider.shutdown()  # nothing was recorded: nothing is sent


def test_an_untraced_app_records_nothing(server: Server, client: Client) -> None:
    """The session server has no provider: the OpenTelemetry API's no-op span is current."""
    from opentelemetry import trace

    assert not trace.get_current_span().is_recording()
    assert client(CREATE, {"input": spec("MARKDOWN", "m.md"), "data": "# hi"})["createArtifact"]
