"""The Python SDK against the real service: runs, every way of publishing, download checks."""

from __future__ import annotations

import hashlib
import io
import json
import math
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from minio import Minio

from cairn.sdk import AsyncCairn, Cairn, CairnApiError, Retry, infer_type, ops
from tests.support.http import Client, Server
from tests.support.sdk import Recorder, make_file, sdk, sha256_of
from tests.support.stack import Stack


def test_runs_roundtrip(server: Server, client: Client) -> None:
    with sdk(server, client) as cairn:
        wf = cairn.create_workflow("nightly-etl", description="loads", tags=["etl"])
        assert cairn.create_workflow("nightly-etl").id == wf.id  # idempotent on name
        assert (wf.name, wf.description, wf.tags) == ("nightly-etl", "loads", ["etl"])
        job = cairn.create_job_run("batch-7", metadata={"trigger": "cron"})
        assert (job.name, job.status, job.metadata) == ("batch-7", "RUNNING", {"trigger": "cron"})
        run = cairn.create_workflow_run(
            wf.id, job_run_id=job.id, name="r1", status="PENDING", parameters={"day": 3}
        )
        assert (run.workflow_id, run.job_run_id, run.status) == (wf.id, job.id, "PENDING")
        assert run.parameters == {"day": 3}
        assert run.started_at is None
        running = cairn.set_run_status(run.id, "RUNNING")
        assert running.started_at is not None
        assert running.ended_at is None
        done = cairn.set_run_status(run.id, "completed")
        assert done.status == "COMPLETED"
        assert done.ended_at is not None
        assert done.ended_at >= running.started_at
        assert cairn.set_job_run_status(job.id, "FAILED").ended_at is not None


def test_publish_inline_kinds(server: Server, client: Client) -> None:
    with sdk(server, client) as cairn:
        run = cairn.create_workflow_run(cairn.create_workflow("inline").id)
        cairn.workflow_run_id = run.id  # the default run for every publish below
        md = cairn.publish_markdown("# Report\nall good", key="report", category="summary")
        table = cairn.publish_table([[1, math.nan], [2, math.inf]], columns=["a", "b"])
        link = cairn.publish_link("https://example.com/x", text="dashboard")
        doc = cairn.publish_json({"rows": 3, "bad": math.nan}, display_name="stats.json")
        text = cairn.publish_text("hello\n", metadata={"lines": 1})
        raw = cairn.publish_bytes(b"\x00\x01\x02", display_name="blob.bin")
        assert (md.type, md.data, md.key, md.version, md.category) == (
            "MARKDOWN",
            "# Report\nall good",
            "report",
            1,
            "summary",
        )
        assert table.data == {"columns": ["a", "b"], "rows": [[1, None], [2, None]]}
        assert (link.data, link.display_name) == (
            {"url": "https://example.com/x", "text": "dashboard"},
            "dashboard",
        )
        assert (doc.type, doc.display_name, doc.data) == ("JSON", "stats.json", None)
        assert (text.type, text.size_bytes, text.metadata) == ("TEXT", 6, {"lines": 1})
        assert (raw.type, raw.size_bytes, raw.status) == ("BINARY", 3, "AVAILABLE")
        listed = cairn.list_artifacts(workflow_run_id=run.id)
        assert [a.id for a in listed] == [raw.id, text.id, doc.id, link.id, table.id, md.id]
        assert {a.workflow_run_id for a in listed} == {run.id}
        got = cairn.get_artifact(doc.id, signed_url=True)
        assert got is not None
        assert got.signed_url is not None
        assert cairn.get_artifact(doc.id) == doc  # no signed URL unless asked


def test_small_file_goes_multipart_and_round_trips(
    server: Server, client: Client, tmp_path: Path
) -> None:
    source = tmp_path / "data.csv"
    digest = make_file(source, 300_000, text=True)
    recorder = Recorder()
    with sdk(server, client, transport=recorder) as cairn:
        artifact = cairn.publish_file(source, key="extract", description="rows")
        assert (artifact.type, artifact.mime_type, artifact.display_name) == (
            "CSV",
            "text/csv",
            "data.csv",
        )
        assert (artifact.size_bytes, artifact.sha256, artifact.status) == (
            300_000,
            digest,
            "AVAILABLE",
        )
        assert recorder.methods() == ["POST"]
        _, url, content_type, preflight = recorder.seen[0]
        assert url == server.graphql_url
        assert content_type.startswith("multipart/form-data")
        assert preflight == "true"
        target = cairn.download(artifact.id, tmp_path / "out")  # a missing dir: a file path
        assert target == tmp_path / "out"
        assert sha256_of(target) == digest
        (tmp_path / "dir").mkdir()
        assert cairn.download(artifact.id, tmp_path / "dir") == tmp_path / "dir" / "data.csv"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.csv", "dir", "out"]


def test_large_file_goes_presigned_and_round_trips(
    server: Server, client: Client, tmp_path: Path
) -> None:
    source = tmp_path / "frames.bin"
    digest = make_file(source, 3 * 1024 * 1024 + 5)
    recorder = Recorder()
    with sdk(server, client, transport=recorder, multipart_threshold=1024 * 1024) as cairn:
        artifact = cairn.publish_file(source, type="binary", key="frames")
        assert (artifact.size_bytes, artifact.sha256, artifact.status, artifact.version) == (
            3 * 1024 * 1024 + 5,
            digest,
            "AVAILABLE",
            1,
        )
        # begin (GraphQL), the PUT straight to storage, complete (GraphQL); no multipart
        assert recorder.methods() == ["POST", "PUT", "POST"]
        assert urlsplit(recorder.seen[1][1]).netloc == urlsplit(server.settings.s3_endpoint).netloc
        assert not any(ct.startswith("multipart/") for _, _, ct, _ in recorder.seen)
        target = cairn.download(artifact.id, tmp_path / "copy.bin")
    assert sha256_of(target) == digest


def test_download_refuses_bytes_that_do_not_match(
    server: Server, client: Client, stack: Stack, tmp_path: Path
) -> None:
    source = tmp_path / "log.txt"
    make_file(source, 10_000, text=True)
    with sdk(server, client) as cairn:
        artifact = cairn.publish_file(source)
        assert artifact.type == "TEXT"
        assert artifact.storage_path is not None
        bucket, key = artifact.storage_path.split("/", 1)
        endpoint = urlsplit(stack.s3_url)
        store = Minio(
            endpoint.netloc,
            access_key=stack.s3_access_key,
            secret_key=stack.s3_secret_key,
            secure=endpoint.scheme == "https",
            region="us-east-1",
        )
        tampered = b"x" * 10_000  # same size, other bytes
        store.put_object(bucket, key, io.BytesIO(tampered), len(tampered))
        with pytest.raises(CairnApiError) as failure:
            cairn.download(artifact.id, tmp_path / "got.txt")
    assert failure.value.code == "INTEGRITY_ERROR"
    assert artifact.sha256 in failure.value.message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.txt"]  # nothing left behind


def test_list_filters_limit_and_paging(
    server: Server, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sdk(server, client) as cairn:
        run = cairn.create_workflow_run(cairn.create_workflow("lists").id)
        made = [
            cairn.publish_text("a", key="alpha"),
            cairn.publish_json([1], key="beta", workflow_run_id=run.id),
            cairn.publish_text("b", key="alpha", workflow_run_id=run.id),
            cairn.publish_markdown("c", key="gamma", category="notes"),
            cairn.publish_text("d", key="alpha"),
        ]
        ids = [a.id for a in reversed(made)]  # newest first
        monkeypatch.setattr(ops, "MAX_PAGE", 2)  # force several pages
        assert [a.id for a in cairn.list_artifacts(limit=None)] == ids
        assert [a.id for a in cairn.list_artifacts(limit=3)] == ids[:3]
        assert [a.version for a in cairn.list_artifacts(key="alpha")] == [3, 2, 1]
        assert [a.id for a in cairn.list_artifacts(type="json")] == [made[1].id]
        assert [a.id for a in cairn.list_artifacts(workflow_run_id=run.id)] == [
            made[2].id,
            made[1].id,
        ]
        assert [a.id for a in cairn.list_artifacts(category="notes")] == [made[3].id]
        oldest = cairn.list_artifacts(sort="CREATED_ASC", limit=1)
        assert [a.id for a in oldest] == [made[0].id]


def test_update_and_delete(server: Server, client: Client) -> None:
    with sdk(server, client) as cairn:
        first = cairn.publish_text("1", key="doomed")
        cairn.publish_text("2", key="doomed")
        keep = cairn.publish_text("3", key="kept")
        updated = cairn.update_artifact(keep.id, description="*final*", category="report")
        assert (updated.description, updated.category, updated.id) == (
            "*final*",
            "report",
            keep.id,
        )
        assert cairn.delete_artifact(first.id) == 1
        assert cairn.get_artifact(first.id) is None
        assert cairn.delete_key("doomed") == 1
        assert [a.id for a in cairn.list_artifacts()] == [keep.id]
        with pytest.raises(CairnApiError) as missing:
            cairn.delete_artifact(first.id)
        assert missing.value.code == "NOT_FOUND"


def test_errors_carry_codes(server: Server, client: Client, other: Client) -> None:
    with Cairn(server.graphql_url, "not-a-jwt") as cairn, pytest.raises(CairnApiError) as bad:
        cairn.list_artifacts()
    assert (bad.value.code, bad.value.status_code) == ("UNAUTHENTICATED", 401)
    assert bad.value.request_id
    with sdk(server, client) as cairn:
        mine = cairn.publish_text("secret")
    with sdk(server, other) as cairn:
        assert cairn.get_artifact(mine.id) is None  # another org's id does not exist here
        with pytest.raises(CairnApiError) as missing:
            cairn.download(mine.id, "unused")
        assert missing.value.code == "NOT_FOUND"
        with pytest.raises(CairnApiError) as invalid:
            cairn.publish_link("ftp://example.com/x")
        assert invalid.value.code == "BAD_USER_INPUT"
    with Cairn("http://127.0.0.1:1/graphql", "t") as cairn, pytest.raises(CairnApiError) as down:
        cairn.list_artifacts()
    assert down.value.code == "NETWORK_ERROR"


@pytest.mark.unit
def test_environment_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAIRN_API_URL", "http://example.invalid/graphql")
    monkeypatch.setenv("CAIRN_API_TOKEN", "tok")
    with Cairn() as cairn:
        assert (cairn.url, cairn.headers) == (
            "http://example.invalid/graphql",
            {"Authorization": "Bearer tok"},
        )
    monkeypatch.delenv("CAIRN_API_URL")
    with Cairn(token="") as cairn:
        assert (cairn.url, cairn.headers) == ("http://127.0.0.1:8000/graphql", {})


@pytest.mark.unit
@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("a.json", "JSON"),
        ("a.CSV", "CSV"),
        ("a.png", "PNG"),
        ("a.md", "TEXT"),
        ("a.pdf", "PDF"),
        ("a.html", "HTML"),
        ("a.txt", "TEXT"),
        ("a.log", "TEXT"),
        ("a.tar.gz", "BINARY"),
        ("noext", "BINARY"),
    ],
)
def test_infer_type(name: str, kind: str) -> None:
    assert infer_type(name) == kind


async def test_async_client(server: Server, client: Client, tmp_path: Path) -> None:
    small, large = tmp_path / "small.json", tmp_path / "large.bin"
    small.write_bytes(b'{"ok": true}')
    large_digest = make_file(large, 2 * 1024 * 1024 + 1)
    async with AsyncCairn(
        server.graphql_url, client.token, multipart_threshold=1024 * 1024
    ) as cairn:
        wf = await cairn.create_workflow("async")
        run = await cairn.create_workflow_run(wf.id)
        one = await cairn.publish_file(small, workflow_run_id=run.id, key="cfg")
        two = await cairn.publish_file(large, workflow_run_id=run.id)
        note = await cairn.publish_markdown("*hi*", workflow_run_id=run.id)
        assert (one.type, one.sha256) == ("JSON", sha256_of(small))
        assert (two.type, two.sha256, two.status) == ("BINARY", large_digest, "AVAILABLE")
        listed = await cairn.list_artifacts(workflow_run_id=run.id)
        assert [a.id for a in listed] == [note.id, two.id, one.id]
        got = await cairn.download(two.id, tmp_path / "got.bin")
        assert sha256_of(got) == large_digest
        md = await cairn.download(note.id, tmp_path)
        assert (md, md.read_text()) == (tmp_path / "report.md", "*hi*")
        assert await cairn.delete_key("cfg") == 1
        with pytest.raises(CairnApiError) as gone:
            await cairn.download(one.id)
        assert gone.value.code == "NOT_FOUND"
        done = await cairn.set_run_status(run.id, "COMPLETED")
        assert done.ended_at is not None


def test_publish_bytes_base64(server: Server, client: Client) -> None:
    payload = bytes(range(256))
    with sdk(server, client) as cairn:
        artifact = cairn.publish_bytes(payload, display_name="all.bin", key="bytes")
    assert (artifact.sha256, artifact.size_bytes) == (hashlib.sha256(payload).hexdigest(), 256)


def _artifact_json(artifact_id: str, **over: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": artifact_id,
        "key": None,
        "version": None,
        "isLatest": True,
        "type": "BINARY",
        "category": None,
        "displayName": "x.bin",
        "description": None,
        "mimeType": "application/octet-stream",
        "sizeBytes": 3,
        "sha256": hashlib.sha256(b"abc").hexdigest(),
        "status": "PENDING",
        "data": None,
        "metadata": {},
        "storagePath": None,
        "createdBy": "t",
        "createdAt": "2024-01-01T00:00:00+00:00",
        "updatedAt": "2024-01-01T00:00:00+00:00",
        "workflow": None,
        "workflowRun": None,
        "jobRun": None,
    }
    base.update(over)
    return base


@pytest.mark.unit
def test_storage_refusals_and_non_graphql_answers(tmp_path: Path) -> None:
    """Failures outside GraphQL still come out as CairnApiError with a client-side code."""
    source = tmp_path / "x.bin"
    source.write_bytes(b"abc")

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "storage.test":
            assert "authorization" not in request.headers  # the token never goes to storage
            assert request.headers["content-length"] == "3"
            return httpx.Response(403, text="<Error>SignatureDoesNotMatch</Error>")
        body = json.loads(request.content)
        if "beginArtifactUpload" in body["query"]:
            assert (body["variables"]["sizeBytes"], body["variables"]["sha256"]) == (
                3,
                hashlib.sha256(b"abc").hexdigest(),
            )
            upload = {
                "artifact": _artifact_json("a1"),
                "uploadUrl": {
                    "url": "http://storage.test/put",
                    "expiresAt": "2024-01-01T00:15:00Z",
                },
                "method": "PUT",
                "headers": {"Content-Type": "application/octet-stream"},
            }
            return httpx.Response(200, json={"data": {"beginArtifactUpload": upload}})
        return httpx.Response(502, text="bad gateway")

    transport = httpx.MockTransport(handler)
    no_wait = Retry(backoff=0)  # the 502 is still retried, without the real backoff's seconds
    with Cairn(
        "http://api.test/graphql", "tok", transport=transport, multipart_threshold=1, retry=no_wait
    ) as c:
        with pytest.raises(CairnApiError) as refused:
            c.publish_file(source)
        assert refused.value.code == "HTTP_ERROR"
        assert refused.value.message == (
            "object storage refused the upload: HTTP 403 <Error>SignatureDoesNotMatch</Error>"
        )
        with pytest.raises(CairnApiError) as gateway:
            c.list_artifacts()
    assert (gateway.value.code, gateway.value.status_code) == ("HTTP_ERROR", 502)
    assert gateway.value.message == (
        "HTTP 502 from http://api.test/graphql is not a GraphQL answer: bad gateway"
    )
