"""/metrics answers the on-call questions: operations by name and outcome, publishes by
path, bytes, signed URLs, storage calls, the pool and subscriptions, and the build.

The session server runs in this process, so a test reads the values before and after
what it does and checks the difference (other tests may have counted before it)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from cairn import metrics
from tests.support.http import Client, Server
from tests.support.publish import BEGIN, COMPLETE, b64, create, sha, spec, upload

Labels = tuple[tuple[str, str], ...]


def scrape(server: Server) -> dict[tuple[str, Labels], float]:
    response = httpx.get(server.url + "/metrics", timeout=30)
    assert response.status_code == 200
    values: dict[tuple[str, Labels], float] = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            values[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return values


def value(values: dict[tuple[str, Labels], float], metric: str, **labels: str) -> float:
    return values.get((metric, tuple(sorted(labels.items()))), 0.0)


def test_operations_are_counted_by_type_name_and_code(server: Server, client: Client) -> None:
    name = "Probe" + secrets.token_hex(4)
    before = scrape(server)
    client(f"query {name} {{ viewer {{ organizationId }} }}")
    client(f"query {name} {{ viewer {{ organizationId }} }}")
    client("{ viewer { organizationId } }")
    missing = client.errors(
        f'mutation {name}Bad {{ deleteArtifact(id: "nope") {{ deletedCount }} }}'
    )
    after = scrape(server)
    ops = "cairn_graphql_operations_total"
    assert (
        value(after, ops, type="query", name=name, code="OK")
        - value(before, ops, type="query", name=name, code="OK")
        == 2
    )
    assert value(after, ops, type="query", name="anonymous", code="OK") > value(
        before, ops, type="query", name="anonymous", code="OK"
    )
    assert missing.codes[0] != "OK"
    assert value(after, ops, type="mutation", name=name + "Bad", code=missing.codes[0]) == 1
    count = "cairn_graphql_operation_seconds_count"
    assert (
        value(after, count, type="query", name=name) - value(before, count, type="query", name=name)
        == 2
    )
    # refused before execution (a syntax error) is counted too, with its code
    client.errors("query Broken { viewer { ")
    assert value(scrape(server), ops, type="unknown", name="anonymous", code="BAD_USER_INPUT") >= 1


def test_operation_names_are_bounded() -> None:
    names = metrics.OperationNames(cap=2)
    assert [names.label(n) for n in ("A", "B", "C", "A", None, "")] == [
        "A",
        "B",
        "other",
        "A",
        "anonymous",
        "anonymous",
    ]


def test_publishes_bytes_and_signed_urls(server: Server, client: Client) -> None:
    before = scrape(server)
    inline = b"inline bytes\n" * 10
    create(client, spec("TEXT", "a.txt"), b64=b64(inline))
    uploaded = secrets.token_bytes(3000)
    response = upload(client, spec("BINARY", "b.bin"), uploaded)
    assert not response.json().get("errors"), response.text
    presigned = secrets.token_bytes(2000)
    begun = client(
        BEGIN, {"input": spec("BINARY", "c.bin"), "size": len(presigned), "sha": sha(presigned)}
    )["beginArtifactUpload"]
    put = httpx.put(begun["uploadUrl"]["url"], content=presigned, headers=begun["headers"])
    assert put.status_code == 200
    client(COMPLETE, {"id": begun["artifact"]["id"]})
    after = scrape(server)

    def grew(metric: str, **labels: str) -> float:
        return value(after, metric, **labels) - value(before, metric, **labels)

    published = "cairn_artifacts_published_total"
    assert grew(published, type="TEXT", path="inline") == 1
    assert grew(published, type="BINARY", path="upload") == 1
    assert grew(published, type="BINARY", path="presigned") == 1
    assert grew("cairn_uploaded_bytes_total", path="inline") == len(inline)
    assert grew("cairn_uploaded_bytes_total", path="upload") == len(uploaded)
    assert grew("cairn_uploaded_bytes_total", path="presigned") == len(presigned)
    assert grew("cairn_signed_urls_total", method="PUT") == 1
    # FIELDS asks for signedUrl on each of the four results
    assert grew("cairn_signed_urls_total", method="GET") >= 3
    storage = "cairn_storage_request_seconds_count"
    assert grew(storage, operation="put", outcome="ok") >= 1
    assert grew(storage, operation="copy", outcome="ok") >= 2
    assert grew(storage, operation="hash", outcome="ok") >= 1


def test_pool_subscriptions_and_build_info(server: Server, client: Client) -> None:
    client("{ viewer { organizationId } }")
    values = scrape(server)
    assert value(values, "cairn_db_pool_connections", state="max") >= 1
    assert value(values, "cairn_db_pool_connections", state="idle") <= value(
        values, "cairn_db_pool_connections", state="max"
    )
    assert ("cairn_subscriptions_active", ()) in values
    assert value(values, "cairn_build_info", version=metrics.cairn_version()) == 1


@pytest.mark.unit
def test_storage_timer_records_errors() -> None:
    before = metrics.STORAGE_SECONDS.labels("probe", "error")._sum.get()  # type: ignore[attr-defined]
    with pytest.raises(RuntimeError), metrics.storage_timer("probe"):
        raise RuntimeError("boom")
    after = metrics.STORAGE_SECONDS.labels("probe", "error")._sum.get()  # type: ignore[attr-defined]
    assert after >= before


_COUNT_ONE = """
from cairn import metrics
metrics.record_operation("query", "Shared", "OK", 0.01)
metrics.record_published("TEXT", "inline", 10)
metrics.SUBSCRIPTIONS_ACTIVE.inc()
"""
_EXPOSE = """
import sys
from cairn import metrics
sys.stdout.write(metrics.exposition()[0].decode())
"""


@pytest.mark.unit
def test_multiprocess_values_add_up(tmp_path: Path) -> None:
    """With PROMETHEUS_MULTIPROC_DIR set (as for several workers), /metrics in any one
    process reports the sum over every process that counted."""
    env = {**os.environ, metrics.MULTIPROC_ENV: str(tmp_path)}
    for _ in range(2):
        subprocess.run([sys.executable, "-c", _COUNT_ONE], env=env, check=True, timeout=120)
    done = subprocess.run(
        [sys.executable, "-c", _EXPOSE], env=env, check=True, timeout=120, capture_output=True
    )
    values = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(done.stdout.decode())
        for s in family.samples
    }
    key = (("code", "OK"), ("name", "Shared"), ("type", "query"))
    assert values[("cairn_graphql_operations_total", key)] == 2
    assert values[("cairn_uploaded_bytes_total", (("path", "inline"),))] == 20
    assert values[("cairn_graphql_operation_seconds_count", key[1:])] == 2
