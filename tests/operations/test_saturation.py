"""A full pool is not an outage: SERVICE_BUSY (503 + Retry-After) after a bounded wait,
while /readyz stays 200 because PostgreSQL still answers.

The pool (2 connections) is held deterministically: a transaction of the test's own takes
an ACCESS EXCLUSIVE lock on ``artifacts``, so every listing request blocks inside
PostgreSQL holding its pooled connection, exactly like a slow, large page would.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import asyncpg
import httpx
import pytest

from cairn.auth import issue_token
from tests.support.artifacts import bulk_insert
from tests.support.http import Server, new_org, serve
from tests.support.stack import Stack, make_settings

POOL_TIMEOUT = 0.5  # seconds a request waits for a pooled connection
CONCURRENT = 40  # requests in flight at once (loopback, bounded)
WAIT = 30.0  # the bound on anything that must happen

PAGE = "{ artifacts(first: 200) { totalCount nodes { id key type displayName sizeBytes } } }"


@pytest.fixture(scope="module")
def small_pool(stack: Stack) -> Iterator[Server]:
    settings = make_settings(stack, db_pool_max=2, db_pool_timeout_seconds=POOL_TIMEOUT)
    with serve(settings) as running:
        yield running


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors") or []]


async def _storm(server: Server, token: str, stack: Stack) -> tuple[list[httpx.Response], int]:
    """CONCURRENT large pages while the artifacts table is locked; /readyz meanwhile."""
    lock = await asyncpg.connect(stack.owner_dsn)
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=CONCURRENT + 5)
    async with httpx.AsyncClient(base_url=server.url, limits=limits, timeout=WAIT) as http:
        try:
            transaction = lock.transaction()
            await transaction.start()
            await lock.execute("LOCK TABLE artifacts IN ACCESS EXCLUSIVE MODE")
            pages = [
                asyncio.create_task(http.post("/graphql", json={"query": PAGE}, headers=headers))
                for _ in range(CONCURRENT)
            ]
            # Both pooled connections are now stuck behind the lock (polled, bounded).
            deadline = time.monotonic() + WAIT
            db = server.app.state.db
            while db.in_use < 2:
                assert time.monotonic() < deadline, "the requests never filled the pool"
                await asyncio.sleep(0.02)
            ready = await http.get("/readyz")
            assert ready.status_code == 200, ready.text
            assert ready.json()["database"] == "ok"
            # The waiting ones give up after POOL_TIMEOUT with SERVICE_BUSY; keep the lock
            # until every request but the two holding connections has answered.
            while sum(t.done() for t in pages) < CONCURRENT - 2:
                assert time.monotonic() < deadline, "waiting requests were not answered"
                await asyncio.sleep(0.02)
        finally:
            await transaction.rollback()  # the two blocked requests now finish normally
            await lock.close()
        responses = await asyncio.gather(*pages)
        return list(responses), ready.status_code


def test_a_saturated_pool_answers_service_busy_and_stays_ready(
    small_pool: Server, stack: Stack
) -> None:
    org = new_org()
    bulk_insert(stack, org, 300)
    token = issue_token(small_pool.settings, org_id=org, subject="load")
    responses, _ = asyncio.run(_storm(small_pool, token, stack))

    outcome = Counter((r.status_code, tuple(codes(r.json())) or ("OK",)) for r in responses)
    assert set(outcome) <= {(200, ("OK",)), (503, ("SERVICE_BUSY",))}, outcome
    assert outcome[(503, ("SERVICE_BUSY",))] >= CONCURRENT - 2, outcome
    # those holding the two connections (a page and its totalCount may take one each)
    assert outcome[(200, ("OK",))] >= 1, outcome
    for response in responses:
        body = response.json()
        if response.status_code == 503:
            assert response.headers["Retry-After"] == "1"
            assert body["data"] is None
            assert "retry" in body["errors"][0]["message"]
            assert "CAIRN_DB_POOL_MAX" in body["errors"][0]["message"]
        else:
            assert body["data"]["artifacts"]["totalCount"] == 300
            assert len(body["data"]["artifacts"]["nodes"]) == 200


def test_after_saturation_the_pool_serves_again(small_pool: Server, stack: Stack) -> None:
    org = new_org()
    bulk_insert(stack, org, 5)
    token = issue_token(small_pool.settings, org_id=org, subject="load")
    with httpx.Client(base_url=small_pool.url, timeout=WAIT) as http:
        for _ in range(5):
            response = http.post(
                "/graphql", json={"query": PAGE}, headers={"Authorization": f"Bearer {token}"}
            )
            assert response.status_code == 200, response.text
            assert response.json()["data"]["artifacts"]["totalCount"] == 5
    assert small_pool.app.state.db.in_use == 0
