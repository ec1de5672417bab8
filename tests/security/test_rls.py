"""Row-level security holds even where a statement forgets its org_id condition.

Connects as the service's login role, exactly as the service does, and runs statements
with no WHERE clause at all.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import pytest

from tests.support.http import new_org
from tests.support.stack import Stack, fetch, run

TABLES = ("workflows", "job_runs", "workflow_runs")


def _seed(stack: Stack, org: str, tag: str) -> dict[str, Any]:
    """One workflow, job run and workflow run for ``org`` (as the owner: RLS bypassed)."""
    rows = fetch(
        stack.owner_dsn,
        """WITH o AS (INSERT INTO organizations (org_id) VALUES ($1) RETURNING org_id),
                w AS (INSERT INTO workflows (org_id, name) SELECT org_id, $2 FROM o
                      RETURNING org_id, id),
                j AS (INSERT INTO job_runs (org_id, name, status) SELECT org_id, $2, 'RUNNING'
                      FROM o RETURNING id),
                r AS (INSERT INTO workflow_runs (org_id, workflow_id, job_run_id, name, status)
                      SELECT w.org_id, w.id, j.id, $2, 'RUNNING' FROM w, j RETURNING id)
           SELECT w.id AS workflow, j.id AS job, r.id AS run FROM w, j, r""",
        org,
        tag,
    )
    return dict(rows[0])


@pytest.fixture
def two_orgs(stack: Stack) -> tuple[str, str]:
    a, b = new_org(), new_org()
    _seed(stack, a, "a-" + secrets.token_hex(3))
    _seed(stack, b, "b-" + secrets.token_hex(3))
    return a, b


@asynccontextmanager
async def _service(stack: Stack) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(stack.service_dsn)
    try:
        yield conn
    finally:
        await conn.close()


async def _as_org(conn: asyncpg.Connection, org: str | None) -> None:
    await conn.execute("BEGIN; SET LOCAL ROLE cairn_app")
    if org is not None:
        await conn.execute("SELECT set_config('cairn.org_id', $1, true)", org)


def test_unfiltered_select_sees_only_the_current_org(
    stack: Stack, two_orgs: tuple[str, str]
) -> None:
    a, _ = two_orgs

    async def check() -> dict[str, set[str]]:
        seen: dict[str, set[str]] = {}
        async with _service(stack) as conn:
            await _as_org(conn, a)
            for table in (*TABLES, "organizations"):
                rows = await conn.fetch(f"SELECT org_id FROM {table}")  # no WHERE on purpose
                seen[table] = {r["org_id"] for r in rows}
            await conn.execute("ROLLBACK")
        return seen

    seen = run(check())
    assert seen == {table: {a} for table in (*TABLES, "organizations")}
    # And the counts match this org's seed exactly: one row each.
    counts = fetch(stack.owner_dsn, "SELECT count(*) AS n FROM workflows WHERE org_id = $1", a)
    assert counts[0]["n"] == 1


@pytest.mark.parametrize("org", [None, ""])
def test_no_org_set_sees_nothing(stack: Stack, two_orgs: tuple[str, str], org: str | None) -> None:
    async def check() -> dict[str, int]:
        counts = {}
        async with _service(stack) as conn:
            await _as_org(conn, org)
            for table in TABLES:
                counts[table] = await conn.fetchval(f"SELECT count(*) FROM {table}")
            await conn.execute("ROLLBACK")
            # Without SET ROLE too: the login role is not the owner either.
            for table in TABLES:
                counts[f"login:{table}"] = await conn.fetchval(f"SELECT count(*) FROM {table}")
        return counts

    assert set(run(check()).values()) == {0}
    total = fetch(stack.owner_dsn, "SELECT count(*) AS n FROM workflows")[0]["n"]
    assert total >= 2  # the rows exist; RLS hid them


def test_the_org_setting_ends_with_the_transaction(stack: Stack, two_orgs: tuple[str, str]) -> None:
    a, _ = two_orgs

    async def check() -> tuple[int, int]:
        async with _service(stack) as conn:
            await _as_org(conn, a)
            inside = await conn.fetchval("SELECT count(*) FROM workflows")
            await conn.execute("COMMIT")
            after = await conn.fetchval("SELECT count(*) FROM workflows")
            return inside, after

    assert run(check()) == (1, 0)


def test_writing_another_orgs_rows_fails_or_touches_nothing(
    stack: Stack, two_orgs: tuple[str, str]
) -> None:
    a, b = two_orgs
    b_workflow = fetch(stack.owner_dsn, "SELECT id, name FROM workflows WHERE org_id = $1", b)[0]

    async def check() -> dict[str, Any]:
        out: dict[str, Any] = {}
        async with _service(stack) as conn:
            await _as_org(conn, a)
            try:
                await conn.execute("INSERT INTO workflows (org_id, name) VALUES ($1, 'sneaky')", b)
            except asyncpg.InsufficientPrivilegeError as exc:
                out["insert"] = str(exc)
            await conn.execute("ROLLBACK")

            await _as_org(conn, a)
            out["update"] = await conn.execute("UPDATE workflows SET name = 'renamed'")
            out["update_b"] = await conn.execute(
                "UPDATE workflows SET name = 'renamed' WHERE id = $1", b_workflow["id"]
            )
            out["delete_b"] = await conn.execute("DELETE FROM workflow_runs WHERE org_id = $1", b)
            try:
                await conn.execute("UPDATE workflows SET org_id = $1 WHERE org_id = $2", b, a)
            except asyncpg.InsufficientPrivilegeError as exc:
                out["move"] = str(exc)
            await conn.execute("ROLLBACK")
        return out

    out = run(check())
    assert "violates row-level security policy" in out["insert"]
    assert out["update"] == "UPDATE 1"  # only A's own workflow
    assert out["update_b"] == "UPDATE 0"
    assert out["delete_b"] == "DELETE 0"
    assert "violates row-level security policy" in out["move"]
    after = fetch(stack.owner_dsn, "SELECT name FROM workflows WHERE org_id = $1", b)
    assert [r["name"] for r in after] == [b_workflow["name"]]
    assert (
        fetch(stack.owner_dsn, "SELECT count(*) AS n FROM workflow_runs WHERE org_id = $1", b)[0][
            "n"
        ]
        == 1
    )


def test_referencing_another_orgs_row_fails_like_a_missing_one(
    stack: Stack, two_orgs: tuple[str, str]
) -> None:
    """Foreign keys include org_id: B's workflow id is, for A, just an id that is absent."""
    a, b = two_orgs
    b_workflow = fetch(stack.owner_dsn, "SELECT id FROM workflows WHERE org_id = $1", b)[0]["id"]
    missing = "00000000-0000-4000-8000-000000000000"

    async def attempt(workflow_id: Any) -> str:
        async with _service(stack) as conn:
            await _as_org(conn, a)
            try:
                await conn.execute(
                    "INSERT INTO workflow_runs (org_id, workflow_id, status) "
                    "VALUES ($1, $2::uuid, 'RUNNING')",
                    a,
                    str(workflow_id),
                )
            except asyncpg.ForeignKeyViolationError as exc:
                return type(exc).__name__
            finally:
                await conn.execute("ROLLBACK")
        return "inserted"

    assert run(attempt(b_workflow)) == run(attempt(missing)) == "ForeignKeyViolationError"
