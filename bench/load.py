"""The load generator. It runs in a child process (see run.py), so the server's process
measures only its own CPU time; every request goes to 127.0.0.1."""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
import time
from typing import Any

import httpx
import orjson

PREFLIGHT = {"Apollo-Require-Preflight": "true"}


def _client(url: str, token: str) -> httpx.Client:
    return httpx.Client(
        base_url=url.rsplit("/graphql", 1)[0],
        headers={"Authorization": f"Bearer {token}"},
        timeout=600,
    )


def graphql(
    url: str,
    token: str,
    bodies: list[dict[str, Any]],
    *,
    concurrency: int = 1,
) -> dict[str, Any]:
    """POST each body once; return latencies in ms.

    With ``concurrency`` > 1 the bodies are split over that many threads, each with its
    own connection, and ``wall_s`` is the time for all of them.
    """
    chunks = [bodies[i::concurrency] for i in range(concurrency)]
    latencies: list[list[float]] = [[] for _ in chunks]
    errors: list[Any] = []
    last: list[Any] = [None]

    def worker(index: int) -> None:
        with _client(url, token) as http:
            for body in chunks[index]:
                started = time.perf_counter()
                # A body may carry its own token (another organization) under "_token".
                token_of = body.get("_token")
                headers = {"Authorization": f"Bearer {token_of}"} if token_of else None
                payload_in = {k: v for k, v in body.items() if k != "_token"}
                response = http.post("/graphql", json=payload_in, headers=headers)
                latencies[index].append((time.perf_counter() - started) * 1000)
                payload = orjson.loads(response.content)
                if response.status_code != 200 or payload.get("errors"):
                    errors.append(payload.get("errors") or response.status_code)
                last[0] = payload

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    flat = [x for chunk in latencies for x in chunk]
    return {"latencies_ms": flat, "wall_s": wall, "errors": errors[:3], "last": last[0]}


def _file(size: int) -> tuple[str, str]:
    """A temporary file of ``size`` random bytes and its sha256."""
    handle, path = tempfile.mkstemp(prefix="cairn-bench-upload-")
    digest = hashlib.sha256()
    with os.fdopen(handle, "wb") as out:
        left = size
        while left:
            chunk = os.urandom(min(left, 1 << 20))
            digest.update(chunk)
            out.write(chunk)
            left -= len(chunk)
    return path, digest.hexdigest()


UPLOAD = """mutation($input: ArtifactInput!, $file: Upload!) {
  uploadArtifact(input: $input, file: $file) { id status sizeBytes sha256 }
}"""
BEGIN = """mutation($input: ArtifactInput!, $size: BigInt!, $sha: String!) {
  beginArtifactUpload(input: $input, sizeBytes: $size, sha256: $sha) {
    artifact { id } uploadUrl { url } method headers
  }
}"""
COMPLETE = (
    """mutation($id: ID!) { completeArtifactUpload(id: $id) { id status sizeBytes sha256 } }"""
)


def upload(url: str, token: str, size: int, how: str, key: str) -> dict[str, Any]:
    """Publish ``size`` random bytes as a BINARY artifact; ``how``: multipart or presigned."""
    path, sha = _file(size)
    artifact_input = {"type": "BINARY", "displayName": "blob.bin", "key": key}
    try:
        with _client(url, token) as http:
            started = time.perf_counter()
            if how == "multipart":
                operations = {"query": UPLOAD, "variables": {"input": artifact_input, "file": None}}
                with open(path, "rb") as body:
                    response = http.post(
                        "/graphql",
                        data={
                            "operations": orjson.dumps(operations).decode(),
                            "map": '{"0": ["variables.file"]}',
                        },
                        files={"0": ("blob.bin", body, "application/octet-stream")},
                        headers=PREFLIGHT,
                    )
                result = orjson.loads(response.content)
                artifact = (result.get("data") or {}).get("uploadArtifact")
            else:
                variables = {"input": artifact_input, "size": size, "sha": sha}
                begun = orjson.loads(
                    http.post("/graphql", json={"query": BEGIN, "variables": variables}).content
                )
                ticket = begun["data"]["beginArtifactUpload"]
                with open(path, "rb") as body:
                    put = httpx.request(
                        ticket["method"],
                        ticket["uploadUrl"]["url"],
                        content=_chunks(body),
                        headers={**ticket["headers"], "Content-Length": str(size)},
                        timeout=600,
                    )
                put.raise_for_status()
                done = {"query": COMPLETE, "variables": {"id": ticket["artifact"]["id"]}}
                result = orjson.loads(http.post("/graphql", json=done).content)
                artifact = (result.get("data") or {}).get("completeArtifactUpload")
            elapsed = time.perf_counter() - started
    finally:
        os.unlink(path)
    ok = bool(artifact) and artifact["sha256"] == sha and artifact["status"] == "AVAILABLE"
    return {"seconds": elapsed, "ok": ok, "errors": result.get("errors")}


def _chunks(body: Any) -> Any:
    while chunk := body.read(1 << 20):
        yield chunk
