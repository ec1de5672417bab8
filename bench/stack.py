"""The benchmark's servers: embedded PostgreSQL and SeaweedFS (as tests/conftest.py starts
them), and Cairn itself under uvicorn in a thread of THIS process, so that this process's
CPU time is the server's (the load generator runs in a child process; Postgres and
SeaweedFS are processes of their own)."""

from __future__ import annotations

import asyncio
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

JWT_SECRET = "bench-secret-" + "b" * 40


@dataclass
class Stack:
    owner_dsn: str
    settings: Settings
    url: str
    app: Any
    statements: list[str] = field(default_factory=list)

    @property
    def graphql_url(self) -> str:
        return f"{self.url}/graphql"

    def token(self, org_id: str) -> str:
        return issue_token(
            self.settings, org_id=org_id, subject="bench", scopes=ALL_SCOPES, ttl_seconds=7200
        )

    @contextmanager
    def count_statements(self) -> Iterator[list[str]]:
        """Collect the SQL statements the service runs inside the block."""
        seen: list[str] = []
        db = self.app.state.db
        listener: Callable[[str], None] = seen.append
        db.add_statement_listener(listener)
        try:
            yield seen
        finally:
            time.sleep(0.05)  # the server thread may still be logging the last statement
            db.remove_statement_listener(listener)

    def sql(self, query: str, *args: Any) -> list[asyncpg.Record]:
        """Run SQL as the table owner (bypasses row-level security): seeding, inspection."""
        return asyncio.run(_fetch(self.owner_dsn, query, *args))


async def _fetch(dsn: str, query: str, *args: Any) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(dsn)
    try:
        return list(await conn.fetch(query, *args))
    finally:
        await conn.close()


@contextmanager
def running_stack() -> Iterator[Stack]:
    """Start PostgreSQL, SeaweedFS and Cairn on loopback ports; stop them all afterwards."""
    base = Path(tempfile.mkdtemp(prefix="cairn-bench-"))
    postgres = EmbeddedPostgres(base / "postgres")
    s3 = EmbeddedS3(base / "s3")
    server: uvicorn.Server | None = None
    thread: threading.Thread | None = None
    try:
        postgres.start()
        owner = postgres.create_database("cairn_bench_" + secrets.token_hex(4))
        asyncio.run(migrate(owner))
        asyncio.run(ensure_service_login(owner))
        endpoint = s3.start()
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database_url=with_user(owner, "cairn_service"),
            s3_endpoint=endpoint.url,
            s3_access_key=endpoint.access_key,
            s3_secret_key=endpoint.secret_key,
            s3_bucket="cairn-bench",
            jwt_secret=JWT_SECRET,
            data_dir=base / "cairn",
            db_pool_max=20,
            log_level="WARNING",
        )
        app = create_app(settings, freeze_gc=True)
        port = free_ports(1)[0]
        config = uvicorn.Config(
            app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 60
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the benchmark server did not start")
            time.sleep(0.02)
        yield Stack(owner_dsn=owner, settings=settings, url=f"http://127.0.0.1:{port}", app=app)
    finally:
        if server is not None and thread is not None:
            server.should_exit = True
            thread.join(30)
        s3.stop()
        postgres.stop()
        shutil.rmtree(base, ignore_errors=True)


def rss_kib() -> tuple[int, int]:
    """(current RSS, peak RSS since the last reset_peak_rss()) of this process, in KiB."""
    values: dict[str, int] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = int(rest.split()[0])
    return values["VmRSS"], values["VmHWM"]


def reset_peak_rss() -> None:
    """Make VmHWM start again from the current RSS (Linux: write 5 to clear_refs)."""
    Path("/proc/self/clear_refs").write_text("5")
