"""Session fixtures: embedded PostgreSQL and SeaweedFS (or external ones), and the
service itself served by uvicorn on a loopback port in a background thread.

Every test gets fresh organization ids, so tests share one database and never see each
other's rows (row-level security does the separating). The helpers these fixtures are made
of (Stack, make_settings, serve, Client, ...) live in tests/support/.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from cairn.auth import ALL_SCOPES, issue_token
from cairn.cli.embedded import (
    EmbeddedPostgres,
    EmbeddedS3,
    ensure_service_login,
    with_user,
)
from cairn.db.migrate import migrate
from tests.support.http import Client, Server, new_org, serve
from tests.support.stack import Stack, fetch, make_settings, run


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


@pytest.fixture(scope="session")
def server(stack: Stack) -> Iterator[Server]:
    with serve(make_settings(stack)) as running:
        yield running


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
