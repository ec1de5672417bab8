"""``cairn documents register FILE...``: trusted documents for CAIRN_PERSISTED_QUERIES=only.

Each file's operations are parsed and validated against the schema first; nothing is
stored unless every one is valid. With no CAIRN_DATABASE_URL the documents go to the
embedded PostgreSQL of CAIRN_DATA_DIR (a running ``cairn serve`` of it, or started and
stopped for this), as ``cairn token`` uses that data dir's secret.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    documents = sub.add_parser("documents", help="persisted (trusted) GraphQL documents")
    commands = documents.add_subparsers(dest="documents_command", required=True)
    register = commands.add_parser(
        "register",
        help="register the operations in .graphql files or JSON manifests; print their hashes",
    )
    register.add_argument("files", nargs="+", type=Path, metavar="FILE")
    register.set_defaults(func=cmd_register)


def cmd_register(args: argparse.Namespace) -> int:
    import asyncpg

    from cairn.config import Settings, load_settings
    from cairn.graphql.persisted import DocumentFileError, read_operations
    from cairn.graphql.schema import build_schema

    settings = load_settings()
    schema = build_schema(Settings.model_construct())._schema
    try:
        operations = read_operations(args.files, schema)
    except DocumentFileError as exc:
        print(f"cairn: {exc}", file=sys.stderr)
        return 2
    try:
        added = _with_database(settings, [op.body for op in operations])
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        hint = ""
        if isinstance(exc, asyncpg.InsufficientPrivilegeError):
            hint = " (connect as the database owner, the role 'cairn migrate' uses)"
        print(
            f"cairn: cannot register documents: {type(exc).__name__}: {exc}{hint}", file=sys.stderr
        )
        return 1
    for op in operations:
        state = "registered" if op.sha256 in added else "already registered"
        print(f"{op.sha256}  {op.source}  {state}")
    return 0


def _with_database(settings: object, bodies: list[str]) -> set[str]:
    from cairn.cli.main import _migrate
    from cairn.config import Settings

    assert isinstance(settings, Settings)
    if settings.database_url:
        return asyncio.run(_register(settings.database_url, bodies))
    from cairn.cli.embedded import EmbeddedPostgres

    postgres = EmbeddedPostgres(settings.data_dir / "postgres")
    try:
        owner = postgres.start()
        _migrate(owner)
        return asyncio.run(_register(owner, bodies))
    finally:
        postgres.stop()


async def _register(dsn: str, bodies: list[str]) -> set[str]:
    import asyncpg

    from cairn.services.documents import register_trusted

    conn = await asyncpg.connect(dsn, timeout=10)
    try:
        async with conn.transaction():
            return set(await register_trusted(conn, bodies))
    finally:
        await conn.close()
