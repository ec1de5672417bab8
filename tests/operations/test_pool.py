"""The pool skips asyncpg's reset query, so nothing a unit of work sets may outlive it."""

from __future__ import annotations

import pytest
from starlette.responses import Response

from cairn.db.pool import Database, WriteTally, track_writes
from cairn.graphql.view import BUSY_KEY, _retry_later_if_busy
from tests.support.stack import Stack, run


async def _after_units_of_work(dsn: str) -> tuple[str, str | None, str, bool]:
    db = await Database.connect(dsn, min_size=1, max_size=1)
    try:
        async with db.scoped("org-a") as conn:
            assert await conn.fetchval("SELECT current_user") == "cairn_app"
        with pytest.raises(RuntimeError):
            async with db.scoped("org-b") as conn:
                raise RuntimeError("the unit of work fails")
        async with db.pool.acquire() as raw:  # the same (only) connection
            return (
                await raw.fetchval("SELECT current_user"),
                await raw.fetchval("SELECT nullif(current_setting('cairn.org_id', true), '')"),
                await raw.fetchval("SELECT current_setting('transaction_read_only')"),
                raw.is_in_transaction(),
            )
    finally:
        await db.close()


def test_role_org_and_transaction_end_with_the_unit_of_work(stack: Stack) -> None:
    user, org, read_only, in_transaction = run(_after_units_of_work(stack.service_dsn))
    assert user == "cairn_service"
    assert org is None
    assert read_only == "off"
    assert in_transaction is False


async def _tallies(dsn: str) -> tuple[int, int]:
    db = await Database.connect(dsn, min_size=1, max_size=2)
    try:
        with track_writes() as reads_only:
            async with db.scoped("org-a", readonly=True) as conn:
                await conn.fetchval("SELECT 1")
        with track_writes() as writes:
            async with db.scoped("org-a") as conn:
                await conn.fetchval("SELECT 1")
            with pytest.raises(RuntimeError):  # rolled back: not counted
                async with db.scoped("org-a") as conn:
                    raise RuntimeError("fails")
        return reads_only.committed, writes.committed
    finally:
        await db.close()


def test_committed_writes_are_tallied_for_the_busy_answer(stack: Stack) -> None:
    assert run(_tallies(stack.service_dsn)) == (0, 1)


def test_busy_is_503_only_when_nothing_was_written() -> None:
    """A request whose every error is SERVICE_BUSY is 503 + Retry-After, unless an earlier
    field (a mutation) committed something: then it stays 200 with the error on its field."""
    scope: dict[str, object] = {BUSY_KEY: True}
    untouched = Response(b"{}")
    _retry_later_if_busy(scope, untouched, WriteTally())
    assert (untouched.status_code, untouched.headers["retry-after"]) == (503, "1")
    written = Response(b"{}")
    _retry_later_if_busy(scope, written, WriteTally(committed=1))
    assert written.status_code == 200
    assert "retry-after" not in written.headers
