"""Secrets never reach the logs: every record at DEBUG, from every logger (uvicorn's access
log included), during a full publish/read/download/delete cycle and a few failures."""

from __future__ import annotations

import base64
import hashlib
import logging
import threading
from typing import Any

import httpx
import pytest

from cairn.auth import issue_token
from cairn.logs import JsonFormatter, RequestIdFilter
from tests.support.http import new_org
from tests.support.stack import Stack, make_settings
from tests.support.tokens import serve_app

JSON = JsonFormatter()
LOUD_LOGGERS = ("uvicorn", "uvicorn.access", "uvicorn.error", "asyncpg", "minio", "urllib3")


@pytest.fixture
def every_record(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    for name in LOUD_LOGGERS:
        logger = logging.getLogger(name)
        monkeypatch.setattr(logger, "propagate", True)
        monkeypatch.setattr(logger, "level", logging.DEBUG)
        monkeypatch.setattr(logger, "disabled", False)
    return caplog


def server_text(caplog: pytest.LogCaptureFixture) -> tuple[str, int]:
    """All the server's log text; the test's own httpx calls (main thread) excluded."""
    chunks: list[str] = []
    for record in caplog.records:
        if record.threadName == threading.main_thread().name and record.name.startswith(
            ("httpx", "httpcore")
        ):
            continue
        chunks.append(f"{record.name} {record.getMessage()}")
        if record.exc_info:
            chunks.append(logging.Formatter().formatException(record.exc_info))
        # CAIRN_LOG_FORMAT=json: the same record as its JSON line (its extra fields too)
        RequestIdFilter().filter(record)
        chunks.append(JSON.format(record))
    return "\n".join(chunks), len(chunks)


def graphql(http: httpx.Client, query: str, variables: dict[str, Any] | None = None) -> Any:
    body = http.post("/graphql", json={"query": query, "variables": variables or {}}).json()
    assert not body.get("errors"), body
    return body["data"]


def test_no_secrets_in_logs(stack: Stack, every_record: pytest.LogCaptureFixture) -> None:
    settings = make_settings(stack)
    token = issue_token(settings, org_id=new_org())
    signed: list[str] = []
    with (
        serve_app(settings, verbose=True) as url,
        httpx.Client(
            base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60
        ) as http,
    ):
        wf = graphql(http, 'mutation { createWorkflow(input: {name: "logs"}) { id } }')
        run = graphql(
            http,
            "mutation($w: ID!) { createWorkflowRun(input: {workflowId: $w}) { id } }",
            {"w": wf["createWorkflow"]["id"]},
        )["createWorkflowRun"]["id"]
        content = b"hello, logs\n" * 100
        created = graphql(
            http,
            "mutation($c: String!, $r: ID) { createArtifact(input: {workflowRunId: $r, "
            'key: "log-check", type: TEXT, displayName: "a.txt"}, contentBase64: $c) '
            "{ id signedUrl { url } } }",
            {"c": base64.b64encode(content).decode(), "r": run},
        )["createArtifact"]
        signed.append(created["signedUrl"]["url"])
        assert httpx.get(signed[-1]).content == content

        digest = hashlib.sha256(content).hexdigest()
        begun = graphql(
            http,
            'mutation($s: BigInt!, $h: String!) { beginArtifactUpload(input: {key: "log-check",'
            ' type: TEXT, displayName: "b.txt"}, sizeBytes: $s, sha256: $h) '
            "{ artifact { id } uploadUrl { url } method headers } }",
            {"s": len(content), "h": digest},
        )["beginArtifactUpload"]
        signed.append(begun["uploadUrl"]["url"])
        put = httpx.request(
            begun["method"], signed[-1], content=content, headers=begun["headers"] or {}
        )
        assert put.status_code == 200, put.text
        done = graphql(
            http,
            "mutation($id: ID!) { completeArtifactUpload(id: $id) { version signedUrl { url } } }",
            {"id": begun["artifact"]["id"]},
        )["completeArtifactUpload"]
        assert done["version"] == 2
        signed.append(done["signedUrl"]["url"])
        listed = graphql(http, "{ artifacts { nodes { id signedUrl { url } } } }")
        signed.extend(n["signedUrl"]["url"] for n in listed["artifacts"]["nodes"])
        # Failures log too: a bad token, an unknown id, a hostile query.
        http.post(
            "/graphql",
            json={"query": "{ viewer { subject } }"},
            headers={"Authorization": f"Bearer {token[:-4]}abcd"},
        )
        http.post("/graphql", json={"query": "{ viewr }"})
        graphql(http, 'mutation { deleteArtifactsByKey(key: "log-check") { deletedCount } }')

    text, count = server_text(every_record)
    assert count > 10, "the capture saw too little to mean anything"
    assert "POST /graphql" in text  # the access log was captured
    assert '"operation":"createArtifact"' not in text  # names come from the document
    assert '"operation_type":"mutation"' in text  # the JSON lines were checked too
    secrets = {
        "the bearer token": token,
        "the token's signature": token.rsplit(".", 1)[1],
        "the JWT secret": settings.jwt_secret or "",
        "the S3 secret key": settings.s3_secret_key or "",
        "a presigned signature": "X-Amz-Signature",
        "a presigned credential": "X-Amz-Credential",
    }
    for url in signed:
        secrets[f"signed URL {url[:40]}"] = url.split("?", 1)[1]
    for label, secret in secrets.items():
        assert secret, label
        assert secret not in text, f"{label} appeared in the logs"
