"""Error masking: injected faults reach the client as a code and a request id only;
the log keeps the request id and the details. Input errors stay readable."""

from __future__ import annotations

import base64
import contextlib
import logging
import socket
from collections.abc import Iterator
from typing import Any

import asyncpg
import httpx
import pytest

from cairn.auth import issue_token
from cairn.cli.embedded import free_ports
from cairn.db import listing, runs
from cairn.db.pool import Database
from cairn.storage import MinioStore
from tests.support.artifacts import Seeder
from tests.support.http import Client, Server, new_org
from tests.support.stack import Stack, fetch, make_settings
from tests.support.tokens import serve_app

LEAKS = (
    "secret",
    "SELECT",
    "select ",
    "asyncpg",
    "Traceback",
    "hunter2",
    "10.9.8.7",
    "RuntimeError",
    "minio",
    "urllib3",
    'File "',
    "constraint",
)


def masked(body: dict[str, Any], code: str) -> str:
    """Assert every error is ``code`` with a request id and no internals; return the id."""
    errors = body["errors"]
    assert [e["extensions"]["code"] for e in errors] == [code] * len(errors), errors
    text = repr(errors)
    for leak in LEAKS:
        assert leak not in text, (leak, errors)
    request_id = str(errors[0]["extensions"]["requestId"])
    assert len(request_id) == 16
    return request_id


def logged(caplog: pytest.LogCaptureFixture, request_id: str, detail: str) -> None:
    """The log names the request id, and the detail appears in the record or its traceback."""
    for record in caplog.records:
        text = record.getMessage() + (
            logging.Formatter().formatException(record.exc_info) if record.exc_info else ""
        )
        if request_id in text and detail in text:
            return
    raise AssertionError(f"no log record with {request_id} and {detail!r}")


@pytest.fixture
def caplog_all(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    return caplog


def test_sql_error_in_a_query_is_masked(
    client: Client, monkeypatch: pytest.MonkeyPatch, caplog_all: pytest.LogCaptureFixture
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise asyncpg.exceptions.UndefinedColumnError(
            'column "secret_column" does not exist: SELECT secret_column FROM workflows'
        )

    monkeypatch.setattr(listing, "fetch_page", broken)
    body = client.raw("{ workflows { nodes { id } } }").json()
    request_id = masked(body, "INTERNAL_SERVER_ERROR")
    assert request_id in body["errors"][0]["message"]
    logged(caplog_all, request_id, "secret_column")


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (
            asyncpg.exceptions.UniqueViolationError(
                'duplicate key value violates unique constraint "workflows_secret_key"'
            ),
            "INTERNAL_SERVER_ERROR",
        ),
        (
            asyncpg.exceptions.ConnectionDoesNotExistError(
                "connection to 10.9.8.7 password=hunter2 was closed"
            ),
            "DATABASE_UNAVAILABLE",
        ),
        (asyncpg.exceptions.AdminShutdownError("secret admin shutdown"), "DATABASE_UNAVAILABLE"),
        (RuntimeError("secret-driver-text"), "INTERNAL_SERVER_ERROR"),
    ],
)
def test_errors_in_a_mutation_are_masked(
    client: Client,
    monkeypatch: pytest.MonkeyPatch,
    caplog_all: pytest.LogCaptureFixture,
    error: Exception,
    code: str,
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(runs, "create_workflow", broken)
    body = client.raw('mutation { createWorkflow(input: {name: "w"}) { id } }').json()
    assert body["data"] is None
    request_id = masked(body, code)
    logged(caplog_all, request_id, str(error).split()[0])


def test_store_failure_masks_only_its_field(
    server: Server,
    stack: Stack,
    client: Client,
    monkeypatch: pytest.MonkeyPatch,
    caplog_all: pytest.LogCaptureFixture,
) -> None:
    seeder = Seeder(stack, client.org_id)
    [artifact_id] = seeder.insert([seeder.row()])
    fetch(
        stack.owner_dsn,
        "UPDATE artifacts SET storage_path = $1 WHERE org_id = $2",
        f"{stack.bucket}/orgs/x/artifacts/y",
        client.org_id,
    )

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret-driver-text from the S3 client")

    monkeypatch.setattr(server.app.state.store, "presign_get", broken)
    query = "query($id: ID!) { artifact(id: $id) { id displayName signedUrl { url } } }"
    body = client.raw(query, {"id": artifact_id}).json()
    request_id = masked(body, "INTERNAL_SERVER_ERROR")
    assert body["errors"][0]["path"] == ["artifact", "signedUrl"]
    assert body["data"]["artifact"]["id"] == artifact_id
    assert body["data"]["artifact"]["signedUrl"] is None
    logged(caplog_all, request_id, "secret-driver-text")


def test_input_errors_stay_readable(client: Client) -> None:
    errors = client.errors('mutation { createWorkflow(input: {name: "  "}) { id } }')
    assert errors.codes == ["BAD_USER_INPUT"]
    assert errors.errors[0]["message"] == "'name' must not be empty"
    errors = client.errors("query($f: Int) { workflows(first: $f) { totalCount } }", {"f": "ten"})
    assert errors.codes == ["BAD_USER_INPUT"]
    assert "Int cannot represent non-integer value: 'ten'" in errors.errors[0]["message"]
    errors = client.errors(
        '{ artifacts(filter: {createdAt: {after: "yesterday"}}) { totalCount } }'
    )
    assert errors.codes == ["BAD_USER_INPUT"]
    assert "DateTime" in errors.errors[0]["message"]
    missing = client.errors(
        "mutation($id: ID!) { setWorkflowRunStatus(id: $id, status: FAILED) { id } }",
        {"id": "00000000-0000-0000-0000-000000000000"},
    )
    assert missing.codes == ["NOT_FOUND"]
    assert "was not found" in missing.errors[0]["message"]


DEAD_NETWORK = "could not connect to server at 10.9.8.7:5432 (password=hunter2)"


class _FailingAcquire:
    """What ``pool.acquire()`` returns: awaitable and an async context manager; both fail."""

    def __await__(self) -> Any:
        raise OSError(DEAD_NETWORK)
        yield  # a generator, as __await__ must be

    async def __aenter__(self) -> Any:
        raise OSError(DEAD_NETWORK)

    async def __aexit__(self, *exc: object) -> None:
        return None


class _UnreachablePool:
    """A pool whose every connection attempt fails the way a dead network does."""

    def acquire(self, timeout: float | None = None) -> _FailingAcquire:
        return _FailingAcquire()

    async def release(self, conn: Any) -> None:  # pragma: no cover - never acquired
        return None

    async def close(self) -> None:
        return None


class _DeadStorage(MinioStore):
    """A real MinIO client aimed at a port nobody listens on (start-up check skipped)."""

    async def ensure_bucket(self) -> None:
        return None


@pytest.fixture(scope="module")
def broken_backends(stack: Stack) -> Iterator[tuple[str, Any]]:
    settings = make_settings(stack)
    db = Database()
    db._pool = _UnreachablePool()  # type: ignore[assignment]
    port = free_ports(1)[0]
    store = _DeadStorage(
        f"127.0.0.1:{port}", "access", "secret-key-xyz", "bucket", region="us-east-1"
    )
    with serve_app(settings, db=db, store=store) as url:
        yield url, settings


def test_unreachable_database(
    broken_backends: tuple[str, Any], caplog_all: pytest.LogCaptureFixture
) -> None:
    url, settings = broken_backends
    token = issue_token(settings, org_id=new_org())
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as http:
        for query in (
            "{ workflows { nodes { id } } }",
            '{ workflowByName(name: "x") { id } }',
            'mutation { createWorkflow(input: {name: "w"}) { id } }',
            '{ artifact(id: "00000000-0000-0000-0000-000000000000") { id } }',
        ):
            response = http.post("/graphql", json={"query": query})
            assert response.status_code == 200
            masked(response.json(), "DATABASE_UNAVAILABLE")
        ready = http.get("/readyz")
        assert ready.status_code == 503
        assert "hunter2" not in ready.text
        assert "10.9.8.7" not in ready.text
        viewer = http.post("/graphql", json={"query": "{ viewer { subject } }"}).json()
        assert viewer["data"]["viewer"]["subject"] == "cairn-cli"  # no database needed


@pytest.fixture(scope="module", params=["refused", "hung"])
def broken_storage(request: pytest.FixtureRequest, stack: Stack) -> Iterator[tuple[str, Any, str]]:
    """A working database and a storage endpoint that refuses connections, or one that
    accepts them and never answers (a listening socket nobody reads: a hung store).
    Yields the URL, the settings and the storage endpoint (which must never show)."""
    settings = make_settings(stack, s3_timeout_seconds=1)
    with contextlib.ExitStack() as stop:
        if request.param == "hung":
            listener = stop.enter_context(socket.socket())
            listener.bind(("127.0.0.1", 0))
            listener.listen(64)  # connections complete in the kernel; nothing answers
            port = listener.getsockname()[1]
        else:
            port = free_ports(1)[0]
        endpoint = f"127.0.0.1:{port}"
        store = _DeadStorage(endpoint, "access", "secret-key-xyz", "bucket", timeout=1)
        url = stop.enter_context(serve_app(settings, store=store))
        yield url, settings, endpoint


STORAGE_LEAKS = (
    "MaxRetryError",
    "HTTPConnectionPool",
    "NewConnectionError",
    "ReadTimeout",
    "TimeoutError",
    "ServerError",
    "S3Error",
    "Errno",
    "refused",
    "X-Amz",
    "staging/",
    "orgs/",
)


def test_unreachable_storage(
    broken_storage: tuple[str, Any, str], caplog_all: pytest.LogCaptureFixture
) -> None:
    """Publishing bytes while storage is down or hung: STORAGE_UNAVAILABLE (the database
    works, so nothing else may answer), and neither the answer nor the log names the
    endpoint, the driver or a signed URL."""
    url, settings, endpoint = broken_storage
    token = issue_token(settings, org_id=new_org())
    query = (
        'mutation($c: String!) { createArtifact(input: {type: PNG, displayName: "a.png"}, '
        "contentBase64: $c) { id } }"
    )
    content = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"0" * 64).decode()
    with httpx.Client(
        base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60
    ) as http:
        assert http.post("/graphql", json={"query": "{ workflows { totalCount } }"}).json() == {
            "data": {"workflows": {"totalCount": 0}}
        }
        answers = [
            http.post("/graphql", json={"query": query, "variables": {"c": content}}).json(),
            upload_body(http, b"payload"),
        ]
        begun = http.post(
            "/graphql",
            json={
                "query": "mutation($s: String!) { beginArtifactUpload(input: "
                '{type: BINARY, displayName: "b.bin"}, sizeBytes: 1, sha256: $s) '
                "{ artifact { id } } }",
                "variables": {"s": "a" * 64},
            },
        ).json()
        art_id = begun["data"]["beginArtifactUpload"]["artifact"]["id"]
        answers.append(
            http.post(
                "/graphql",
                json={
                    "query": "mutation($id: ID!) { completeArtifactUpload(id: $id) { id } }",
                    "variables": {"id": art_id},
                },
            ).json()
        )
    for body in answers:
        assert body["data"] is None, body
        masked(body, "STORAGE_UNAVAILABLE")
        message = body["errors"][0]["message"]
        assert "retry" in message
        for leak in (endpoint, endpoint.split(":")[1], *STORAGE_LEAKS):
            assert leak not in repr(body["errors"]), (leak, body)
    logs = "\n".join(r.getMessage() for r in caplog_all.records)
    assert "storage" in logs  # the failures were logged ...
    for leak in ("secret-key-xyz", "X-Amz-Signature", endpoint):
        assert leak not in logs  # ... without secrets, signed URLs or the endpoint


def upload_body(http: httpx.Client, data: bytes) -> dict[str, Any]:
    operations = (
        '{"query": "mutation($f: Upload!) { uploadArtifact(input: {type: BINARY, '
        'displayName: \\"u.bin\\"}, file: $f) { id } }", "variables": {"f": null}}'
    )
    response = http.post(
        "/graphql",
        data={"operations": operations, "map": '{"0": ["variables.f"]}'},
        files={"0": ("u.bin", data, "application/octet-stream")},
        headers={"Apollo-Require-Preflight": "true"},
    )
    return dict(response.json())
