"""Cairn served by uvicorn on a loopback port in a background thread, and a GraphQL client
for one organization that talks HTTP to it."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn

from cairn.app import create_app
from cairn.cli.embedded import free_ports
from cairn.config import Settings


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
    settings: Settings,
    *,
    db: Any = None,
    store: Any = None,
    verbose: bool = False,
    tracing: Any = None,
) -> Iterator[Server]:
    """Run the service on a free loopback port in a thread until the block ends.

    ``db``/``store`` inject a Database/BlobStore (fault tests); ``verbose`` turns on
    uvicorn's access log and leaves its records to the root logger (caplog sees them);
    ``tracing`` a :class:`cairn.tracing.Tracing` (OpenTelemetry tests).
    """
    app = create_app(settings, db=db, store=store, tracing=tracing)
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
