"""The pool skips asyncpg's reset query, so nothing a unit of work sets may outlive it."""

from __future__ import annotations

import pytest

from cairn.db.pool import Database
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
