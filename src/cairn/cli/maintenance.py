"""``cairn gc``, ``cairn sweep`` and ``cairn usage``: the server-side maintenance commands.

They use ``CAIRN_DATABASE_URL`` and ``CAIRN_S3_ENDPOINT`` when set; with neither, they
reach the embedded PostgreSQL and S3 of a ``cairn serve`` running on the same
``CAIRN_DATA_DIR``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import orjson

from cairn.config import Settings, load_settings

T = TypeVar("T")
GC_WAIT_SECONDS = 60.0  # how long `cairn gc` waits for a round another process runs


class _Refused(Exception):
    pass


def _fail(message: str, code: int = 2) -> int:
    print(f"cairn: {message}", file=sys.stderr)
    return code


def server_settings(command: str) -> Settings:
    """The settings with the database and store to use (see the module docstring)."""
    settings = load_settings()
    if settings.database_url and settings.s3_endpoint:
        return settings
    if settings.database_url or settings.s3_endpoint:
        missing = "S3_ENDPOINT" if settings.database_url else "DATABASE_URL"
        raise _Refused(
            f"invalid setting CAIRN_{missing}: required for 'cairn {command}' when "
            f"CAIRN_{'DATABASE_URL' if missing == 'S3_ENDPOINT' else 'S3_ENDPOINT'} is set"
        )
    from cairn.cli.embedded import EmbeddedError, running_stack

    try:
        dsn, endpoint = running_stack(settings.data_dir)
    except EmbeddedError as exc:
        raise _Refused(str(exc)) from None
    return settings.model_copy(
        update={
            "database_url": dsn,
            "s3_endpoint": endpoint.url,
            "s3_access_key": endpoint.access_key,
            "s3_secret_key": endpoint.secret_key,
        }
    )


def _run(command: str, work: Callable[[Settings], Coroutine[Any, Any, T]]) -> T:
    """Run ``work`` with a pool and store; failures become _Refused with one line."""
    import asyncpg

    from cairn.errors import CairnError

    settings = server_settings(command)
    try:
        return asyncio.run(work(settings))
    except CairnError as exc:
        raise _Refused(exc.message) from None
    except (TimeoutError, OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        text = " ".join(str(exc).split())
        raise _Refused(
            f"cannot use the database at CAIRN_DATABASE_URL: {type(exc).__name__}: {text} "
            "(is it migrated? run 'cairn migrate')"
        ) from None


async def _round(settings: Settings, **kw: Any) -> Any:
    from cairn.app import make_store
    from cairn.db.pool import Database
    from cairn.services.sweeper import sweep_once

    store = make_store(settings)
    db = await Database.connect(settings.database_url or "", min_size=1, max_size=3)
    try:
        return await sweep_once(db, store, settings, **kw)
    finally:
        await db.close()


def cmd_sweep(args: argparse.Namespace) -> int:
    """One clean-up round (the background sweep's); prints what it removed."""
    if args.limit < 1:
        return _fail("--limit must be a positive number of artifacts")
    try:
        report = _run("sweep", lambda s: _round(s, limit=args.limit))
    except _Refused as exc:
        return _fail(str(exc), 1)
    if not report.ran:
        print("another process is sweeping right now; nothing done")
        return 0
    for org_id, ids in report.removed.items():
        for artifact_id in ids:
            print(f"removed {org_id} {artifact_id}")
    orgs = len(report.removed)
    print(f"removed {report.removed_count} failed or abandoned upload(s) of {orgs} organization(s)")
    _print_items(report, "removed")
    if report.problem:
        return _fail(f"some were left for the next sweep: {report.problem}", 1)
    return 0


def _print_items(report: Any, verb: str) -> None:
    from cairn.services.gc import ABANDONED, MISSING

    for item in report.items:
        if item.reason == ABANDONED:
            continue  # listed above by cmd_sweep; by cmd_gc in its own loop
        what = item.object_key if item.artifact_id is None else str(item.artifact_id)
        word = "missing" if item.reason == MISSING else verb
        print(f"{word} {item.reason} {item.org_id or '-'} {what} {item.size_bytes}")


def cmd_gc(args: argparse.Namespace) -> int:
    """Every clean-up in one round: expired artifacts, failed and abandoned uploads,
    objects with no row; rows whose object is missing are reported (and marked)."""
    from cairn.services.gc import MISSING

    if args.org is not None:
        from cairn.config import ORG_ID_PATTERN

        if not ORG_ID_PATTERN.fullmatch(args.org):
            return _fail("--org must be 1-64 letters, digits, '_' or '-'")
    try:
        report = _run(
            "gc",
            lambda s: _round(
                s,
                dry_run=args.dry_run,
                org_id=args.org,
                limit=args.limit,
                wait_seconds=GC_WAIT_SECONDS,
            ),
        )
    except _Refused as exc:
        return _fail(str(exc), 1)
    if not report.ran:
        return _fail(
            f"another clean-up round kept running for {GC_WAIT_SECONDS:.0f} s; try again", 1
        )
    removed = [i for i in report.items if i.reason != MISSING]
    summary = {
        "dryRun": report.dry_run,
        "organization": args.org,
        "removed": [i.as_json() for i in removed],
        "missing": [i.as_json() for i in report.missing],
        "removedCount": len(removed),
        "freedBytes": report.freed_bytes,
        "problem": report.problem,
    }
    if args.json:
        sys.stdout.write(orjson.dumps(summary, option=orjson.OPT_INDENT_2).decode() + "\n")
    else:
        verb = "would remove" if report.dry_run else "removed"
        for item in report.items:
            what = item.object_key if item.artifact_id is None else str(item.artifact_id)
            word = "missing" if item.reason == MISSING else verb
            print(f"{word} {item.reason} {item.org_id or '-'} {what} {item.size_bytes}")
        print(
            f"{verb} {len(removed)} item(s), {report.freed_bytes} byte(s); "
            f"{len(report.missing)} artifact(s) missing their object"
        )
    if report.problem:
        return _fail(f"some were left for the next round: {report.problem}", 1)
    return 0


async def _usage(settings: Settings, org_id: str | None) -> dict[str, Any]:
    from cairn.db import usage
    from cairn.db.gc import every_organization
    from cairn.db.pool import Database

    db = await Database.connect(settings.database_url or "", min_size=1, max_size=2)
    try:
        if org_id is not None:
            orgs = [org_id]
        else:
            orgs = await every_organization(db)
        found: dict[str, Any] = {}
        for org in orgs:
            async with db.scoped(org, readonly=True) as conn:
                types = await usage.by_type(conn, org)
            found[org] = {
                "artifactCount": sum(t.artifact_count for t in types),
                "totalBytes": sum(t.total_bytes for t in types),
                "byType": {
                    t.type: {"artifactCount": t.artifact_count, "totalBytes": t.total_bytes}
                    for t in types
                },
            }
        return found
    finally:
        await db.close()


def cmd_usage(args: argparse.Namespace) -> int:
    """AVAILABLE artifacts and bytes per organization and type, from the counters."""
    try:
        found = _run("usage", lambda s: _usage(s, args.org))
    except _Refused as exc:
        return _fail(str(exc), 1)
    if args.json:
        sys.stdout.write(orjson.dumps(found, option=orjson.OPT_INDENT_2).decode() + "\n")
        return 0
    for org, totals in found.items():
        if not totals["artifactCount"] and args.org is None:
            continue
        print(f"{org}: {totals['artifactCount']} artifact(s), {totals['totalBytes']} byte(s)")
        for type_, counts in totals["byType"].items():
            print(
                f"  {type_}: {counts['artifactCount']} artifact(s), {counts['totalBytes']} byte(s)"
            )
    return 0


def add_commands(sub: Any) -> None:
    sweep = sub.add_parser("sweep", help="one clean-up round, as the background sweep runs")
    sweep.add_argument("--limit", type=int, default=500, help="artifacts to look at (500)")
    sweep.set_defaults(func=cmd_sweep)

    gc = sub.add_parser(
        "gc",
        help="remove expired artifacts, failed and abandoned uploads and objects with no row; "
        "report rows whose object is missing",
    )
    gc.add_argument("--dry-run", action="store_true", help="change nothing; list what would go")
    gc.add_argument("--json", action="store_true", help="print the report as JSON")
    gc.add_argument("--org", help="only this organization")
    gc.add_argument("--limit", type=int, default=500, help="artifacts per kind (500)")
    gc.set_defaults(func=cmd_gc)

    usage = sub.add_parser("usage", help="artifacts and bytes stored, per organization and type")
    usage.add_argument("--org", help="only this organization")
    usage.add_argument("--json", action="store_true", help="print JSON")
    usage.set_defaults(func=cmd_usage)
