"""Session fixtures: embedded PostgreSQL and SeaweedFS (or external ones), and the
service itself served by uvicorn on a loopback port in a background thread.

Every test gets fresh organization ids, so tests share one database and never see each
other's rows (row-level security does the separating).
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
import uvicorn

from cairn.app import create_app
from cairn.auth import ALL_SCOPES, issue_token
from cairn.cli.embedded import (
    EmbeddedPostgres,
    EmbeddedS3,
    ensure_service_login,
    free_ports,
    with_user,
)
from cairn.config import Settings
from cairn.db.migrate import migrate

JWT_SECRET = "test-secret-" + "x" * 40


@dataclass
class Stack:
    owner_dsn: str
    service_dsn: str
    s3_url: str
    s3_access_key: str
    s3_secret_key: str
    bucket: str
    data_dir: Path


def run(coro: Any) -> Any:
    """Run a coroutine from a sync test (its own event loop)."""
    return asyncio.run(coro)


async def _fetch(dsn: str, sql: str, *args: Any) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(dsn)
    try:
        return list(await conn.fetch(sql, *args))
    finally:
        await conn.close()


def fetch(dsn: str, sql: str, *args: Any) -> list[asyncpg.Record]:
    return run(_fetch(dsn, sql, *args))


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    # Not under pytest's basetemp: every pytest session that starts resets
    # /tmp/pytest-of-<user> to 0700, which locks the embedded server's own system user
    # out of its data dir while pg_ctl starts or stops it (flaky start-up).
    base = Path(tempfile.mkdtemp(prefix="cairn-test-stack-"))
    base.chmod(0o755)
    postgres: EmbeddedPostgres | None = None
    s3: EmbeddedS3 | None = None
    try:
        database = "cairn_test_" + secrets.token_hex(4)
        external_db = os.environ.get("CAIRN_TEST_DATABASE_URL")
        if external_db:
            fetch(external_db, f'CREATE DATABASE "{database}"')
            owner = external_db.rsplit("/", 1)[0] + "/" + database
        else:
            postgres = EmbeddedPostgres(base / "postgres")
            postgres.start()
            owner = postgres.create_database(database)
        run(migrate(owner))
        run(ensure_service_login(owner))
        service = with_user(owner, "cairn_service")
        external_s3 = os.environ.get("CAIRN_TEST_S3_ENDPOINT")
        if external_s3:
            s3_url = external_s3
            access = os.environ["CAIRN_TEST_S3_ACCESS_KEY"]
            secret = os.environ["CAIRN_TEST_S3_SECRET_KEY"]
        else:
            s3 = EmbeddedS3(base / "s3")
            endpoint = s3.start()
            s3_url, access, secret = endpoint.url, endpoint.access_key, endpoint.secret_key
        yield Stack(
            owner_dsn=owner,
            service_dsn=service,
            s3_url=s3_url,
            s3_access_key=access,
            s3_secret_key=secret,
            bucket="cairn-test-" + secrets.token_hex(4),
            data_dir=base,
        )
    finally:
        if s3 is not None:
            s3.stop()
        if postgres is not None:
            postgres.stop()
        shutil.rmtree(base, ignore_errors=True)


def make_settings(stack: Stack, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": stack.service_dsn,
        "s3_endpoint": stack.s3_url,
        "s3_access_key": stack.s3_access_key,
        "s3_secret_key": stack.s3_secret_key,
        "s3_bucket": stack.bucket,
        "jwt_secret": JWT_SECRET,
        "data_dir": stack.data_dir / "cairn",
        "db_pool_max": 20,
        # no background sweep under other tests' feet; tests/test_sweeper.py turns it on
        "sweep_interval_seconds": 0,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@dataclass
class Server:
    url: str
    settings: Settings
    app: Any
    statements: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def graphql_url(self) -> str:
        return f"{self.url}/graphql"

    def _record(self, sql: str) -> None:
        with self.lock:
            self.statements.append(sql)

    @contextmanager
    def count_statements(self) -> Iterator[list[str]]:
        """Collect the SQL statements the service runs inside the block."""
        seen: list[str] = []
        db = self.app.state.db

        def listener(sql: str) -> None:
            seen.append(sql)

        db.add_statement_listener(listener)
        try:
            yield seen
        finally:
            time.sleep(0.05)  # let the server thread finish logging the last statement
            db.remove_statement_listener(listener)


@contextmanager
def serve(
    settings: Settings, *, db: Any = None, store: Any = None, verbose: bool = False
) -> Iterator[Server]:
    """Run the service on a free loopback port in a thread until the block ends.

    ``db``/``store`` inject a Database/BlobStore (fault tests); ``verbose`` turns on
    uvicorn's access log and leaves its records to the root logger (caplog sees them).
    """
    app = create_app(settings, db=db, store=store)
    port = free_ports(1)[0]
    if verbose:
        config = uvicorn.Config(
            app, host="127.0.0.1", port=port, log_config=None, log_level="debug", access_log=True
        )
    else:
        config = uvicorn.Config(
            app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"
        )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield Server(url=f"http://127.0.0.1:{port}", settings=settings, app=app)
    finally:
        server.should_exit = True
        thread.join(30)


@pytest.fixture(scope="session")
def server(stack: Stack) -> Iterator[Server]:
    with serve(make_settings(stack)) as running:
        yield running


class GraphQLError(AssertionError):
    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(errors)
        self.errors = errors

    @property
    def codes(self) -> list[str]:
        return [e.get("extensions", {}).get("code") for e in self.errors]


@dataclass
class Client:
    """A GraphQL client for one organization, talking HTTP to the test server."""

    http: httpx.Client
    org_id: str
    token: str

    def raw(self, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> httpx.Response:
        return self.http.post("/graphql", json={"query": query, "variables": variables or {}}, **kw)

    def __call__(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run a query; return ``data``, or raise GraphQLError if there were errors."""
        response = self.raw(query, variables)
        body = response.json()
        if body.get("errors"):
            raise GraphQLError(body["errors"])
        assert response.status_code == 200, response.text
        return dict(body["data"])

    def errors(self, query: str, variables: dict[str, Any] | None = None) -> GraphQLError:
        """Run a query that must fail; return its errors."""
        body = self.raw(query, variables).json()
        assert body.get("errors"), f"expected errors, got {body}"
        return GraphQLError(body["errors"])


def new_org() -> str:
    return "org-" + secrets.token_hex(6)


@pytest.fixture
def client_factory(server: Server) -> Iterator[Callable[..., Client]]:
    made: list[httpx.Client] = []

    def make(org_id: str | None = None, scopes: tuple[str, ...] = ALL_SCOPES) -> Client:
        org = org_id or new_org()
        token = issue_token(server.settings, org_id=org, subject="tester", scopes=scopes)
        http = httpx.Client(
            base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=60
        )
        made.append(http)
        return Client(http=http, org_id=org, token=token)

    yield make
    for http in made:
        http.close()


@pytest.fixture
def client(client_factory: Callable[..., Client]) -> Client:
    return client_factory()


@pytest.fixture
def other(client_factory: Callable[..., Client]) -> Client:
    """A second organization."""
    return client_factory()
