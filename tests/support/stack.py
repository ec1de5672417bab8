"""The servers under test, as data: where PostgreSQL and S3 are, settings for a Cairn that
uses them, and a way to query the database directly (as the owner or the service role)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg

from cairn.config import Settings

JWT_SECRET = "test-secret-" + "x" * 40


@dataclass
class Stack:
    owner_dsn: str
    service_dsn: str
    s3_url: str
    s3_access_key: str
    s3_secret_key: str
    bucket: str
    data_dir: Path


def run(coro: Any) -> Any:
    """Run a coroutine from a sync test (its own event loop)."""
    return asyncio.run(coro)


async def _fetch(dsn: str, sql: str, *args: Any) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(dsn)
    try:
        return list(await conn.fetch(sql, *args))
    finally:
        await conn.close()


def fetch(dsn: str, sql: str, *args: Any) -> list[asyncpg.Record]:
    return run(_fetch(dsn, sql, *args))


def make_settings(stack: Stack, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": stack.service_dsn,
        "s3_endpoint": stack.s3_url,
        "s3_access_key": stack.s3_access_key,
        "s3_secret_key": stack.s3_secret_key,
        "s3_bucket": stack.bucket,
        "jwt_secret": JWT_SECRET,
        "data_dir": stack.data_dir / "cairn",
        "db_pool_max": 20,
        # no background sweep under other tests' feet; tests/artifacts/test_sweeper.py turns it on
        "sweep_interval_seconds": 0,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]
