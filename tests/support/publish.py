"""Helpers for the publishing tests: GraphQL documents, multipart bodies, object listing,
and a server whose object store can be made to fail at a chosen step."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import orjson
from minio import Minio

from cairn.app import make_store
from cairn.auth import ALL_SCOPES, issue_token
from cairn.config import Settings
from cairn.errors import StorageUnavailable
from cairn.storage import ChunkObserver, MinioStore, StoredObject
from tests.support.http import Client, Server, new_org, serve
from tests.support.stack import Stack

FIELDS = """id key version isLatest type category displayName description mimeType sizeBytes
  sha256 status data metadata storagePath createdBy signedUrl { url expiresAt }
  workflow { id } workflowRun { id } jobRun { id }"""

CREATE = f"""mutation($input: ArtifactInput!, $data: JSON, $b64: String) {{
  createArtifact(input: $input, data: $data, contentBase64: $b64) {{ {FIELDS} }}
}}"""
UPLOAD = f"""mutation($input: ArtifactInput!, $file: Upload!) {{
  uploadArtifact(input: $input, file: $file) {{ {FIELDS} }}
}}"""
BEGIN = f"""mutation($input: ArtifactInput!, $size: BigInt!, $sha: String!) {{
  beginArtifactUpload(input: $input, sizeBytes: $size, sha256: $sha) {{
    artifact {{ {FIELDS} }} uploadUrl {{ url expiresAt }} method headers
  }}
}}"""
COMPLETE = f"""mutation($id: ID!) {{ completeArtifactUpload(id: $id) {{ {FIELDS} }} }}"""
GET = f"""query($id: ID!) {{ artifact(id: $id) {{ {FIELDS} }} }}"""
DELETE = "mutation($id: ID!) { deleteArtifact(id: $id) { deletedCount } }"
DELETE_KEY = "mutation($key: String!) { deleteArtifactsByKey(key: $key) { deletedCount } }"
UPDATE = f"""mutation($id: ID!, $description: String, $metadata: JSON, $category: String,
  $displayName: String) {{
  updateArtifact(id: $id, description: $description, metadata: $metadata,
    category: $category, displayName: $displayName) {{ {FIELDS} }}
}}"""

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + secrets.token_bytes(64)
PREFLIGHT = {"Apollo-Require-Preflight": "true"}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def spec(type_: str = "BINARY", name: str = "file.bin", **extra: Any) -> dict[str, Any]:
    return {"type": type_, "displayName": name, **extra}


def create(client: Client, input_: dict[str, Any], **variables: Any) -> dict[str, Any]:
    return dict(client(CREATE, {"input": input_, **variables})["createArtifact"])


def make_run_ids(client: Client) -> dict[str, str]:
    """A workflow, a job run and a workflow run; their ids."""
    wf = client('mutation { createWorkflow(input: {name: "etl"}) { id } }')["createWorkflow"]
    job = client('mutation { createJobRun(input: {name: "nightly"}) { id } }')["createJobRun"]
    run = client(
        "mutation($w: ID!, $j: ID) { createWorkflowRun(input: {workflowId: $w, jobRunId: $j}) { id } }",
        {"w": wf["id"], "j": job["id"]},
    )["createWorkflowRun"]
    return {"workflow": wf["id"], "job": job["id"], "run": run["id"]}


def download(url: str) -> httpx.Response:
    return httpx.get(url, timeout=30)


# --- multipart ------------------------------------------------------------------------


def multipart_parts(
    input_: dict[str, Any], chunks: Iterator[bytes], filename: str = "upload.bin"
) -> tuple[str, Iterator[bytes], int | None]:
    """A GraphQL multipart request (operations, map, file) generated lazily."""
    boundary = "cairn" + secrets.token_hex(12)
    operations = orjson.dumps({"query": UPLOAD, "variables": {"input": input_, "file": None}})
    head = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="operations"\r\n\r\n'
        f"{operations.decode()}\r\n"
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="map"\r\n\r\n'
        '{"0": ["variables.file"]}\r\n'
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="0"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()

    def body() -> Iterator[bytes]:
        yield head
        yield from chunks
        yield tail

    return f"multipart/form-data; boundary={boundary}", body(), len(head) + len(tail)


def upload(
    client: Client,
    input_: dict[str, Any],
    data: bytes | None = None,
    *,
    chunks: Iterator[bytes] | None = None,
    size: int | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """POST a multipart upload; with ``size`` the Content-Length is sent (else chunked)."""
    source = iter([data]) if data is not None else chunks
    assert source is not None
    content_type, body, overhead = multipart_parts(input_, source)
    sent = {"Content-Type": content_type, **(PREFLIGHT if headers is None else headers)}
    if data is not None:
        size = len(data)
    if size is not None and overhead is not None:
        sent["Content-Length"] = str(size + overhead)
    return client.http.post("/graphql", content=body, headers=sent, timeout=300)


# --- object storage -------------------------------------------------------------------


def s3(stack: Stack) -> Minio:
    host = stack.s3_url.split("://", 1)[1]
    return Minio(host, stack.s3_access_key, stack.s3_secret_key, secure=False, region="us-east-1")


def objects(stack: Stack, bucket: str, prefix: str) -> set[str]:
    return {o.object_name for o in s3(stack).list_objects(bucket, prefix=prefix, recursive=True)}


# --- a store that fails on demand -----------------------------------------------------


class FlakyStore(MinioStore):
    """A MinioStore whose named operations raise StorageUnavailable while listed in
    ``failing`` (e.g. {"copy"}); ``calls`` records operation names."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.failing: set[str] = set()
        self.calls: list[str] = []

    async def ensure_bucket(self) -> None:
        if "ensure_bucket" not in self.failing:  # listed: start without reaching storage
            await super().ensure_bucket()

    def _maybe_fail(self, name: str) -> None:
        self.calls.append(name)
        if name in self.failing:
            raise StorageUnavailable("object storage is unavailable; retry shortly")

    async def put_bytes(self, key: str, data: bytes, content_type: str) -> None:
        self._maybe_fail("put_bytes")
        await super().put_bytes(key, data, content_type)

    async def put_stream(
        self,
        key: str,
        chunks: AsyncIterator[bytes],
        content_type: str,
        size: int | None = None,
    ) -> None:
        self._maybe_fail("put_stream")
        await super().put_stream(key, chunks, content_type, size)

    async def copy(self, source: str, target: str, content_type: str) -> None:
        self._maybe_fail("copy")
        await super().copy(source, target, content_type)

    async def hash_object(
        self, key: str, observe: ChunkObserver | None = None
    ) -> StoredObject | None:
        self._maybe_fail("hash_object")
        return await super().hash_object(key, observe)

    async def delete(self, *keys: str) -> None:
        self._maybe_fail("delete")
        await super().delete(*keys)


@contextmanager
def serve_with_store(
    settings: Settings, failing: set[str] | None = None
) -> Iterator[tuple[Server, FlakyStore]]:
    """Like ``tests.support.http.serve``, with a FlakyStore injected (``failing`` from the start)."""
    store = make_store(settings, FlakyStore)
    store.failing = set(failing or ())
    with serve(settings, store=store) as server:
        yield server, store


def client_for(
    server: Server, org_id: str | None = None, scopes: tuple[str, ...] = ALL_SCOPES
) -> Client:
    org = org_id or new_org()
    token = issue_token(server.settings, org_id=org, subject="tester", scopes=scopes)
    http = httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=60
    )
    return Client(http=http, org_id=org, token=token)
