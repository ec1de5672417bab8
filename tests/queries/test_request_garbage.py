"""A request leaves nothing for the cycle collector.

Reference cycles made per request (the context, its loaders and their DataLoader caches,
graphql-core's execution context) keep every row of a response alive until a full
collection instead of freeing it when the request ends; on a nested list that was about
a quarter of the server's CPU. The server runs in a thread of this process: with the
collector off, a request's cyclic garbage stays until ``gc.collect()`` finds it.
"""

from __future__ import annotations

import asyncio
import gc
import http.client
import json
from collections import Counter
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest

from cairn.app import YOUNG_GENERATION_THRESHOLD, tune_collector
from tests.support.artifacts import seed_tree
from tests.support.http import Client, Server
from tests.support.publish import CREATE, spec
from tests.support.stack import Stack

NESTED = """{
  workflows(first: 5) { totalCount pageInfo { endCursor hasNextPage } edges { cursor node {
    id name runs(first: 5) { nodes { id artifacts(first: 5) { nodes {
      id key version type displayName metadata workflowRun { id } jobRun { id }
      versions(first: 5) { nodes { id } }
  } } } } } } }
}"""
BY_ID = "query($id: ID!) { artifact(id: $id) { id key displayName sizeBytes metadata } }"
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Artifact { key } } }"


class _Plain:
    """A keep-alive HTTP client that makes no cycles of its own (httpx does), so the
    garbage counted is the server's."""

    def __init__(self, server: Server, token: str) -> None:
        url = urlsplit(server.url)
        self.conn = http.client.HTTPConnection(url.hostname or "", url.port, timeout=60)
        self.headers = {"authorization": f"Bearer {token}", "content-type": "application/json"}

    def __call__(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body = json.dumps({"query": query, "variables": variables or {}})
        self.conn.request("POST", "/graphql", body, self.headers)
        response = self.conn.getresponse()
        answer: dict[str, Any] = json.loads(response.read())
        return answer


def _garbage_of(request: Callable[[], object]) -> Counter[str]:
    """The types of the objects only the cycle collector could free after ``request()``."""
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        request()
        gc.collect()
        return Counter(f"{type(o).__module__}.{type(o).__qualname__}" for o in gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


def test_reads_and_writes_leave_no_cyclic_garbage(
    server: Server, client: Client, stack: Stack
) -> None:
    seed_tree(stack, client.org_id, 5)
    listed = client("{ artifacts(first: 3) { nodes { id } } }")["artifacts"]["nodes"]
    ids = [n["id"] for n in listed]
    plain = _Plain(server, client.token)
    requests: dict[str, Callable[[], dict[str, Any]]] = {
        "nested": lambda: plain(NESTED),
        "by id": lambda: plain(BY_ID, {"id": ids[0]}),
        "nodes": lambda: plain(NODES, {"ids": ids}),
        "create": lambda: plain(CREATE, {"input": spec("MARKDOWN", "n.md"), "data": "# hi"}),
        "error": lambda: plain("{ artifact(id: 1) { nope } }"),
    }
    assert "errors" not in requests["nested"]()
    assert "errors" not in requests["create"]()
    assert requests["error"]()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    for request in requests.values():  # warm-up: caches, prepared statements, imports
        for _ in range(3):
            request()
    found = {name: _garbage_of(request) for name, request in requests.items()}
    assert found == {name: Counter() for name in requests}, found


async def test_prepared_statements_do_not_expire(stack: Stack) -> None:
    """asyncpg expires a cached statement 300 s after preparing it, with a timer that
    becomes a reference cycle once it fires (the test above failed whenever the suite's
    server had been up for five minutes); the pool keeps statements until its LRU drops
    them instead, so preparing one schedules nothing."""
    from cairn.db.pool import Database

    db = await Database.connect(stack.service_dsn, max_size=1)
    try:
        async with db.connection() as conn:
            assert await conn.fetchval("SELECT $1::int + 1 AS statement_to_cache", 1) == 2
            scheduled = asyncio.get_running_loop()._scheduled  # type: ignore[attr-defined]
            expiries = [h for h in scheduled if "_on_entry_expired" in repr(h)]
            assert expiries == []
    finally:
        await db.close()


@pytest.mark.unit
def test_serving_freezes_start_up_objects_and_collects_young_ones_less_often() -> None:
    saved = gc.get_threshold()
    try:
        tune_collector()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (YOUNG_GENERATION_THRESHOLD, saved[1], saved[2])
    finally:
        gc.unfreeze()
        gc.set_threshold(*saved)
