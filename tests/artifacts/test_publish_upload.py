"""uploadArtifact: GraphQL multipart uploads streamed to storage, caps, failures, memory."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Iterator

import psutil
import pytest

from tests.support.http import Client, Server
from tests.support.publish import (
    PNG,
    client_for,
    download,
    objects,
    serve_with_store,
    sha,
    spec,
    upload,
)
from tests.support.stack import Stack, fetch, make_settings


def _artifact(response_json: dict[str, object]) -> dict[str, object]:
    assert not response_json.get("errors"), response_json
    data = response_json["data"]
    assert isinstance(data, dict)
    return dict(data["uploadArtifact"])


def test_upload_publishes_the_exact_bytes(client: Client, server: Server, stack: Stack) -> None:
    payload = os.urandom(3 * 1024 * 1024 + 17)  # spans several read chunks
    response = upload(client, spec("BINARY", "data.bin", key="blob", category="dump"), payload)
    assert response.status_code == 200
    art = _artifact(response.json())
    assert (art["status"], art["version"], art["isLatest"]) == ("AVAILABLE", 1, True)
    assert (art["sizeBytes"], art["sha256"]) == (len(payload), sha(payload))
    assert art["category"] == "dump"
    got = download(str(art["signedUrl"]["url"]))  # type: ignore[index]
    assert got.status_code == 200
    assert got.content == payload
    assert 'filename="data.bin"' in got.headers["content-disposition"]
    # the staging object is gone; only the final object remains
    assert objects(stack, server.settings.s3_bucket, f"staging/{art['id']}") == set()
    assert objects(stack, server.settings.s3_bucket, f"orgs/{client.org_id}/") == {
        f"orgs/{client.org_id}/artifacts/{art['id']}"
    }


def test_multipart_without_the_preflight_header_is_refused(client: Client, stack: Stack) -> None:
    response = upload(client, spec("BINARY", "x.bin"), b"abc", headers={})
    assert response.status_code == 400
    body = response.json()
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "Apollo-Require-Preflight" in body["errors"][0]["message"]
    rows = fetch(stack.owner_dsn, "SELECT id FROM artifacts WHERE org_id = $1", client.org_id)
    assert rows == []


def test_upload_checks_the_declared_type(client: Client, server: Server, stack: Stack) -> None:
    staging_before = objects(stack, server.settings.s3_bucket, "staging/")
    response = upload(client, spec("PNG", "fake.png"), b"GIF89a" + b"\x00" * 100)
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "PNG signature" in error["message"]
    good = _artifact(upload(client, spec("PNG", "real.png"), PNG).json())
    assert good["mimeType"] == "image/png"
    assert download(str(good["signedUrl"]["url"])).content == PNG  # type: ignore[index]
    rows = fetch(
        stack.owner_dsn, "SELECT display_name FROM artifacts WHERE org_id = $1", client.org_id
    )
    assert [r["display_name"] for r in rows] == ["real.png"]  # the refused one left no row
    assert objects(stack, server.settings.s3_bucket, "staging/") == staging_before


@pytest.mark.parametrize("kind", ["MARKDOWN", "TABLE", "LINK"])
def test_inline_types_are_refused_as_files(
    client: Client, server: Server, stack: Stack, kind: str
) -> None:
    """An inline kind uploaded as a file would be AVAILABLE with neither data nor a signed
    URL (unreadable): refused, pointing at createArtifact, and nothing is left behind."""
    staging_before = objects(stack, server.settings.s3_bucket, "staging/")
    response = upload(client, spec(kind, "notes.md"), b"# hello\n")
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "createArtifact" in error["message"]
    rows = fetch(stack.owner_dsn, "SELECT id FROM artifacts WHERE org_id = $1", client.org_id)
    assert rows == []
    assert objects(stack, server.settings.s3_bucket, "staging/") == staging_before


def test_upload_over_the_cap_is_payload_too_large(stack: Stack) -> None:
    settings = make_settings(stack, max_upload_bytes=3 * 1024 * 1024)
    with serve_with_store(settings) as (server, _store):
        client = client_for(server)
        staging_before = objects(stack, settings.s3_bucket, "staging/")
        size = settings.max_upload_bytes + 10  # under the gate's multipart overhead allowance

        def chunks() -> Iterator[bytes]:
            for _ in range(size // 65536):
                yield b"\x01" * 65536
            yield b"\x01" * (size % 65536)

        response = upload(client, spec("BINARY", "big.bin", key="big"), chunks=chunks())
        error = response.json()["errors"][0]
        assert error["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
        assert str(settings.max_upload_bytes) in error["message"]
        assert (
            fetch(stack.owner_dsn, "SELECT id FROM artifacts WHERE org_id = $1", client.org_id)
            == []
        )
        assert (
            fetch(stack.owner_dsn, "SELECT key FROM artifact_keys WHERE org_id = $1", client.org_id)
            == []
        )
        assert objects(stack, settings.s3_bucket, "staging/") == staging_before
        exact = upload(
            client, spec("BINARY", "ok.bin", key="big"), b"\x02" * settings.max_upload_bytes
        )
        assert _artifact(exact.json())["version"] == 1  # no version was used by the failure
        client.http.close()


@pytest.mark.parametrize("failing", ["put_stream", "copy"])
def test_storage_failure_leaves_nothing_behind(stack: Stack, failing: str) -> None:
    settings = make_settings(stack)
    with serve_with_store(settings) as (server, store):
        client = client_for(server)
        staging_before = objects(stack, settings.s3_bucket, "staging/")
        store.failing = {failing}
        response = upload(client, spec("BINARY", "x.bin", key="k"), b"payload")
        error = response.json()["errors"][0]
        assert error["extensions"]["code"] == "STORAGE_UNAVAILABLE"
        assert "Traceback" not in error["message"]
        store.failing = set()
        assert (
            fetch(stack.owner_dsn, "SELECT id FROM artifacts WHERE org_id = $1", client.org_id)
            == []
        )
        assert objects(stack, settings.s3_bucket, "staging/") == staging_before
        assert objects(stack, settings.s3_bucket, f"orgs/{client.org_id}/") == set()
        art = _artifact(upload(client, spec("BINARY", "x.bin", key="k"), b"payload").json())
        assert art["version"] == 1
        client.http.close()


def test_storage_failure_with_undeletable_objects_marks_failed(stack: Stack) -> None:
    settings = make_settings(stack)
    with serve_with_store(settings) as (server, store):
        client = client_for(server)
        store.failing = {"copy", "delete"}
        response = upload(client, spec("BINARY", "x.bin", key="k"), b"payload")
        assert response.json()["errors"][0]["extensions"]["code"] == "STORAGE_UNAVAILABLE"
        store.failing = set()
        rows = fetch(
            stack.owner_dsn,
            "SELECT id, status, version, is_latest, staging_path FROM artifacts WHERE org_id = $1",
            client.org_id,
        )
        assert len(rows) == 1
        row = rows[0]
        assert (row["status"], row["version"], row["is_latest"]) == ("FAILED", None, False)
        assert row["staging_path"] == f"staging/{row['id']}"  # kept for a later clean-up
        listed = client("{ artifacts { totalCount } }")
        assert listed["artifacts"]["totalCount"] == 0
        client.http.close()


def test_idempotent_upload(client: Client) -> None:
    input_ = spec("BINARY", "x.bin", key="idem", idempotencyKey="u-1")
    first = _artifact(upload(client, input_, b"same").json())
    again = _artifact(upload(client, input_, b"same").json())
    assert again["id"] == first["id"]
    conflict = upload(client, input_, b"different").json()["errors"][0]
    assert conflict["extensions"]["code"] == "CONFLICT"


@pytest.mark.slow
def test_200_mb_upload_streams_in_bounded_memory(client: Client, server: Server) -> None:
    size = 200 * 1024 * 1024
    block = os.urandom(1024 * 1024)
    digest = hashlib.sha256()
    for _ in range(size // len(block)):
        digest.update(block)

    def chunks() -> Iterator[bytes]:
        for _ in range(size // len(block)):
            yield block

    process = psutil.Process()
    baseline = process.memory_info().rss
    peak = baseline
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, process.memory_info().rss)
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        response = upload(client, spec("BINARY", "big.bin"), chunks=chunks(), size=size)
    finally:
        done.set()
        sampler.join()
    art = _artifact(response.json())
    assert (art["sizeBytes"], art["sha256"]) == (size, digest.hexdigest())
    growth = peak - baseline
    assert growth < 64 * 1024 * 1024, f"RSS grew by {growth / 2**20:.1f} MiB"
    # download it back and check the digest without holding it whole
    import httpx

    check = hashlib.sha256()
    with httpx.stream("GET", str(art["signedUrl"]["url"]), timeout=120) as got:  # type: ignore[index]
        assert got.status_code == 200
        for part in got.iter_bytes(1024 * 1024):
            check.update(part)
    assert check.hexdigest() == digest.hexdigest()
