"""Migrations: applied once each, in order, safely from concurrent processes; an edited
applied migration is refused. Plus the ``cairn migrate`` command itself."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from cairn.db.migrate import MigrationError, load_migrations, migrate
from tests.support.processes import REPO, cairn_env, fresh_database, run_cairn
from tests.support.stack import Stack, fetch, run

ALL = [m.name for m in load_migrations()]


def _recorded(dsn: str) -> list[tuple[str, int]]:
    rows = fetch(
        dsn, "SELECT name, count(*) AS n FROM cairn_migrations GROUP BY name ORDER BY name"
    )
    return [(r["name"], r["n"]) for r in rows]


@pytest.mark.unit
def test_migrations_are_numbered_files_in_order() -> None:
    files = sorted(p.stem for p in (REPO / "sql").glob("*.sql"))
    assert files == ALL
    assert ALL[0] == "0001_init"
    numbers = [int(name[:4]) for name in ALL]
    assert numbers == sorted(set(numbers)), "two migrations share a number"


def test_two_concurrent_migrations_apply_each_file_once(stack: Stack) -> None:
    dsn = fresh_database(stack)

    async def both() -> list[list[str]]:
        return list(await asyncio.gather(migrate(dsn), migrate(dsn)))

    first, second = run(both())
    # One of them applied everything, the other found nothing left to do.
    assert sorted([first, second], key=len) == [[], ALL]
    assert _recorded(dsn) == [(name, 1) for name in ALL]
    assert run(migrate(dsn)) == []
    tables = fetch(dsn, "SELECT count(*) AS n FROM pg_tables WHERE tablename = 'workflows'")
    assert tables[0]["n"] == 1


def test_two_cairn_migrate_processes_at_once(stack: Stack, tmp_path: Path) -> None:
    import subprocess
    import sys

    dsn = fresh_database(stack)
    env = cairn_env(CAIRN_DATABASE_URL=dsn)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "cairn.cli.main", "migrate"],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    lines = sorted(out.strip() for out, _ in outputs)
    assert lines == sorted(
        [f"applied {len(ALL)} migration(s): {', '.join(ALL)}", "applied 0 migration(s)"]
    )
    assert _recorded(dsn) == [(name, 1) for name in ALL]


def test_editing_an_applied_migration_is_an_error(stack: Stack, tmp_path: Path) -> None:
    dsn = fresh_database(stack)
    sql = tmp_path / "sql"
    shutil.copytree(REPO / "sql", sql)
    assert run(migrate(dsn, sql)) == ALL
    first = sql / f"{ALL[0]}.sql"
    first.write_text(first.read_text() + "\n-- a harmless looking edit\n")
    with pytest.raises(MigrationError, match=f"migration {ALL[0]} was edited after it was applied"):
        run(migrate(dsn, sql))
    assert _recorded(dsn) == [(name, 1) for name in ALL]


def test_a_failing_migration_is_rolled_back_and_not_recorded(stack: Stack, tmp_path: Path) -> None:
    dsn = fresh_database(stack)
    sql = tmp_path / "sql"
    shutil.copytree(REPO / "sql", sql)
    bad = sql / "9998_broken.sql"
    bad.write_text("CREATE TABLE half_done (id int);\nSELECT no_such_function();\n")
    with pytest.raises(Exception, match="no_such_function"):
        run(migrate(dsn, sql))
    assert _recorded(dsn) == [(name, 1) for name in ALL]
    assert fetch(dsn, "SELECT to_regclass('half_done') AS t")[0]["t"] is None
    bad.write_text("CREATE TABLE half_done (id int);\n")
    assert run(migrate(dsn, sql)) == ["9998_broken"]
    assert _recorded(dsn) == [(name, 1) for name in [*ALL, "9998_broken"]]


def test_cairn_migrate_is_idempotent_and_explains_failures(stack: Stack, tmp_path: Path) -> None:
    dsn = fresh_database(stack)
    env = cairn_env(CAIRN_DATABASE_URL=dsn)
    first = run_cairn("migrate", env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == f"applied {len(ALL)} migration(s): {', '.join(ALL)}"
    second = run_cairn("migrate", env=env, cwd=tmp_path)
    assert (second.returncode, second.stdout.strip()) == (0, "applied 0 migration(s)")

    missing = run_cairn("migrate", env=cairn_env(), cwd=tmp_path)
    assert missing.returncode != 0
    assert missing.stderr.strip() == (
        "cairn: invalid setting CAIRN_DATABASE_URL: required for 'cairn migrate'"
    )
    down = run_cairn(
        "migrate", env=cairn_env(CAIRN_DATABASE_URL="postgresql://x@127.0.0.1:9/x"), cwd=tmp_path
    )
    assert down.returncode == 1
    lines = down.stderr.strip().splitlines()
    assert len(lines) == 1, down.stderr
    assert lines[0].startswith("cairn: cannot use the database at CAIRN_DATABASE_URL: ")


def test_service_login_that_owns_nothing_passes_an_up_to_date_check(stack: Stack) -> None:
    """`cairn serve` against a database migrated by its owner may log in as the service role:
    it reads which migrations are applied and changes nothing."""
    assert run(migrate(stack.service_dsn)) == []
    owners = fetch(
        stack.owner_dsn,
        "SELECT count(*) AS n FROM pg_tables WHERE tableowner IN ('cairn_service', 'cairn_app')",
    )
    assert owners[0]["n"] == 0


def test_service_login_cannot_apply_a_pending_migration(stack: Stack, tmp_path: Path) -> None:
    for path in (REPO / "sql").glob("*.sql"):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "9999_extra.sql").write_text("CREATE TABLE extra (org_id text);")
    with pytest.raises(Exception, match="permission denied"):
        run(migrate(stack.service_dsn, tmp_path))
    rows = fetch(
        stack.owner_dsn, "SELECT count(*) AS n FROM cairn_migrations WHERE name = '9999_extra'"
    )
    assert rows[0]["n"] == 0
