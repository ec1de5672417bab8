"""The global sweep of failed and abandoned uploads, for every organization.

One round: take the sweep lock (one process at a time, across replicas), ask
``cairn_stale_artifacts`` for the (organization, id) pairs of uploads PENDING longer than
:func:`~cairn.services.cleanup.abandoned_after` and of FAILED rows still holding objects
(at most ``limit``), then clean each organization up in its own org-scoped transactions
with :func:`~cairn.services.cleanup.clean_up_org`, which re-checks every condition under
row-level security. Storage down ends the round early; the rows stay FAILED with their
object keys and the next round retries. The app runs a round every
``CAIRN_SWEEP_INTERVAL_SECONDS``; ``cairn sweep`` runs one.

Then the round removes objects that no row refers to (:func:`remove_orphans`): it lists
``staging/`` page by page and removes every object last written more than
``CAIRN_SWEEP_GRACE_SECONDS`` ago whose artifact id has no PENDING row (bytes PUT through
an upload URL after its upload completed, or through a replayed begin's fresh URL; a
complete's checked copy left by a crash). A row is inserted before any URL or object
for its id exists and never becomes PENDING again, so an object found without one is
garbage for good. The same function, given another prefix and reference check, can
sweep ``orgs/<org>/artifacts/`` too.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from cairn.config import Settings
from cairn.db import audit as audit_sql
from cairn.db import sweeps
from cairn.db.pool import Database
from cairn.errors import CairnError, DatabaseUnavailable, StorageUnavailable
from cairn.services.cleanup import (
    STAGING_PREFIX,
    abandoned_after,
    clean_up_org,
    id_of_staging_key,
)
from cairn.storage import LIST_PAGE, BlobStore

log = logging.getLogger("cairn.sweeper")

ROUND_LIMIT = 500  # artifacts one round looks at
AUDIT_PRUNE_LIMIT = 10_000  # audit events past retention one round removes


@dataclass(frozen=True)
class SweepReport:
    """What one round did. ``ran`` is False when another process held the sweep lock."""

    ran: bool
    found: int = 0
    removed: dict[str, list[UUID]] = field(default_factory=dict)
    problem: str | None = None  # why some were left for the next round
    orphans: list[str] = field(default_factory=list)  # keys of objects no row referred to
    audit_pruned: int = 0  # audit events older than CAIRN_AUDIT_RETENTION_DAYS removed

    @property
    def removed_count(self) -> int:
        return sum(len(ids) for ids in self.removed.values())


async def sweep_once(
    db: Database, store: BlobStore, settings: Settings, *, limit: int = ROUND_LIMIT
) -> SweepReport:
    """One round of the sweep (see the module docstring)."""
    older = abandoned_after(settings)
    async with sweeps.sweep_round(db) as conn:
        if conn is None:
            return SweepReport(ran=False)
        pruned = await prune_audit(conn, settings)
        found = await sweeps.stale_artifacts(conn, older, limit)
        by_org: dict[str, list[UUID]] = {}
        for org_id, artifact_id in found:
            by_org.setdefault(org_id, []).append(artifact_id)
        removed: dict[str, list[UUID]] = {}
        problem = None
        halted = False
        for org_id, ids in by_org.items():
            try:
                gone = await clean_up_org(
                    db, store, org_id, older_than_seconds=older, limit=len(ids), ids=ids
                )
            except (StorageUnavailable, DatabaseUnavailable) as exc:
                problem = exc.message
                halted = True
                break  # no use trying the other organizations now
            except Exception as exc:
                problem = _describe(exc)
                log.warning("sweep: could not clean up organization %s: %s", org_id, problem)
                continue
            if gone:
                removed[org_id] = gone
        orphans: list[str] = []
        if not halted:
            try:
                orphans = await remove_orphans(
                    store,
                    STAGING_PREFIX,
                    older_than_seconds=settings.sweep_grace_seconds,
                    id_of=id_of_staging_key,
                    referenced=lambda ids: sweeps.pending_uploads(conn, ids),
                )
            except (StorageUnavailable, DatabaseUnavailable) as exc:
                problem = exc.message
    return SweepReport(
        ran=True,
        found=len(found),
        removed=removed,
        problem=problem,
        orphans=orphans,
        audit_pruned=pruned,
    )


async def prune_audit(conn: Any, settings: Settings) -> int:
    """The round's audit step: events older than ``audit_retention_days`` go (through
    the owner's function: the service role itself cannot delete audit events)."""
    removed = await audit_sql.prune(conn, settings.audit_retention_days, AUDIT_PRUNE_LIMIT)
    if removed:
        log.info(
            "sweep: pruned %d audit event(s) older than %d days",
            removed,
            settings.audit_retention_days,
        )
    return removed


async def remove_orphans(
    store: BlobStore,
    prefix: str,
    *,
    older_than_seconds: float,
    id_of: Callable[[str], UUID | None],
    referenced: Callable[[list[UUID]], Awaitable[set[UUID]]],
    page: int = LIST_PAGE,
) -> list[str]:
    """Remove the objects under ``prefix`` last written over ``older_than_seconds`` ago
    whose artifact id (``id_of`` their key; None: not an artifact's) is not among those
    ``referenced`` says rows still refer to. Lists page by page; returns the keys removed.
    """
    cutoff = datetime.now(UTC) - timedelta(seconds=older_than_seconds)
    removed: list[str] = []
    after: str | None = None
    while True:
        listed = await store.list_page(prefix, start_after=after, limit=page)
        if not listed:
            break
        after = listed[-1].key
        candidates = {o.key: id_of(o.key) for o in listed if o.modified < cutoff}
        ids = sorted({i for i in candidates.values() if i is not None})
        live = await referenced(ids) if ids else set()
        doomed = [key for key, art in candidates.items() if art is None or art not in live]
        if doomed:
            await store.delete(*doomed)
            removed.extend(doomed)
        if len(listed) < page:
            break
    if removed:
        log.info("sweep: removed %d object(s) under %s that no row refers to", len(removed), prefix)
    return removed


async def sweep_forever(db: Database, store: BlobStore, settings: Settings) -> None:
    """A round every ``sweep_interval_seconds`` (the first after one interval); errors
    are logged, never raised: the next round tries again."""
    interval = settings.sweep_interval_seconds
    while True:
        await asyncio.sleep(interval)
        try:
            report = await sweep_once(db, store, settings)
        except Exception as exc:
            log.warning("sweep round failed (%s); next in %d s", _describe(exc), interval)
            continue
        if report.removed_count or report.orphans or report.problem:
            log.info(
                "sweep: removed %d of %d failed or abandoned upload(s) and %d object(s) "
                "no row refers to%s",
                report.removed_count,
                report.found,
                len(report.orphans),
                f"; left for the next round: {report.problem}" if report.problem else "",
            )


def start_sweeper(db: Database, store: BlobStore, settings: Settings) -> asyncio.Task[None] | None:
    """The background sweep task, or None when ``sweep_interval_seconds`` is 0."""
    if settings.sweep_interval_seconds == 0:
        return None
    return asyncio.create_task(sweep_forever(db, store, settings), name="cairn-sweeper")


async def stop_sweeper(task: asyncio.Task[None] | None) -> None:
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def _describe(exc: BaseException) -> str:
    if isinstance(exc, CairnError):
        return exc.message
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
