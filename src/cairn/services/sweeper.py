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

import asyncpg

from cairn.config import Settings
from cairn.db import audit as audit_sql
from cairn.db import gc as gc_sql
from cairn.db import sweeps
from cairn.db.pool import Database
from cairn.errors import CairnError, DatabaseUnavailable, StorageUnavailable
from cairn.services.cleanup import (
    STAGING_PREFIX,
    abandoned_after,
    clean_up_org,
    id_of_staging_key,
)
from cairn.services.gc import (
    ABANDONED,
    EXPIRED,
    MISSING,
    ORPHAN,
    Leftover,
    check_objects,
    count_removed,
    remove_expired,
    stored_bytes,
)
from cairn.storage import LIST_PAGE, BlobStore

log = logging.getLogger("cairn.sweeper")

ROUND_LIMIT = 500  # artifacts one round looks at
AUDIT_PRUNE_LIMIT = 10_000  # audit events past retention one round removes


@dataclass(frozen=True)
class SweepReport:
    """What one round did (or, ``dry_run``, would do). ``ran`` is False when another
    process held the sweep lock."""

    ran: bool
    found: int = 0
    removed: dict[str, list[UUID]] = field(default_factory=dict)  # failed/abandoned uploads
    problem: str | None = None  # why some were left for the next round
    orphans: list[str] = field(default_factory=list)  # keys of objects no row referred to
    dry_run: bool = False
    # everything removed (or that would be), and the rows found without their object
    items: list[Leftover] = field(default_factory=list)
    audit_pruned: int = 0  # audit events older than CAIRN_AUDIT_RETENTION_DAYS removed

    @property
    def removed_count(self) -> int:
        return sum(len(ids) for ids in self.removed.values())

    @property
    def expired(self) -> list[Leftover]:
        return [i for i in self.items if i.reason == EXPIRED]

    @property
    def missing(self) -> list[Leftover]:
        return [i for i in self.items if i.reason == MISSING]

    @property
    def freed_bytes(self) -> int:
        return sum(i.size_bytes for i in self.items if i.reason != MISSING)


async def sweep_once(
    db: Database,
    store: BlobStore,
    settings: Settings,
    *,
    limit: int = ROUND_LIMIT,
    dry_run: bool = False,
    org_id: str | None = None,
    wait_seconds: float = 0.0,
) -> SweepReport:
    """One clean-up round: the one function the background sweep, ``cairn sweep`` and
    ``cairn gc`` run. Failed and abandoned uploads (see the module docstring), expired
    artifacts, objects with no row under ``staging/`` and ``orgs/<org>/artifacts/``, and
    rows whose object is missing (:mod:`cairn.services.gc`). ``org_id`` limits it to one
    organization (then ``staging/``, whose keys name no organization, is left alone);
    ``dry_run`` changes nothing and reports what it would remove; ``wait_seconds`` waits
    that long for a round another process is running to end."""
    older = abandoned_after(settings)
    grace = settings.sweep_grace_seconds
    async with sweeps.sweep_round(db, wait_seconds=wait_seconds) as conn:
        if conn is None:
            return SweepReport(ran=False, dry_run=dry_run)
        # audit events are every organization's: not pruned by a dry or one-org round
        pruned = 0 if dry_run or org_id is not None else await prune_audit(conn, settings)
        items: list[Leftover] = []
        by_org: dict[str, list[UUID] | None] = {}
        found_count = 0
        if org_id is not None:
            by_org[org_id] = None
        else:
            found = await sweeps.stale_artifacts(conn, older, limit)
            found_count = len(found)
            for org, artifact_id in found:
                listed = by_org.setdefault(org, [])
                assert listed is not None
                listed.append(artifact_id)
        removed: dict[str, list[UUID]] = {}
        problem = None
        halted = False
        for org, ids in by_org.items():
            try:
                async with db.scoped(org, readonly=True) as scoped:
                    peek = await gc_sql.leftovers(scoped, org, older, limit, ids)
                sizes = {c.id: stored_bytes(c) for c in peek}
                if dry_run:
                    items += [Leftover(ABANDONED, org, c.id, None, sizes[c.id]) for c in peek]
                    continue
                gone = await clean_up_org(
                    db, store, org, older_than_seconds=older, limit=len(ids or []) or limit, ids=ids
                )
            except (StorageUnavailable, DatabaseUnavailable) as exc:
                problem = exc.message
                halted = True
                break  # no use trying the other organizations now
            except Exception as exc:
                problem = _describe(exc)
                log.warning("sweep: could not clean up organization %s: %s", org, problem)
                continue
            if gone:
                removed[org] = gone
                found_count = max(found_count, len(gone))
                items += [Leftover(ABANDONED, org, i, None, sizes.get(i, 0)) for i in gone]
        count_removed(ABANDONED, sum(len(g) for g in removed.values()))
        orphans: list[str] = []
        try:
            if not halted:
                items += await _expire(db, store, conn, org_id, limit, dry_run)
            if not halted and org_id is None:
                staged: dict[str, int] = {}
                orphans = await remove_orphans(
                    store,
                    STAGING_PREFIX,
                    older_than_seconds=grace,
                    id_of=id_of_staging_key,
                    referenced=lambda ids: sweeps.pending_uploads(conn, ids),
                    dry_run=dry_run,
                    sizes=staged,
                )
                count_removed(ORPHAN, 0 if dry_run else len(orphans))
                items += [
                    Leftover(ORPHAN, None, id_of_staging_key(k), k, staged.get(k, 0))
                    for k in orphans
                ]
            if not halted:
                orgs = [org_id] if org_id is not None else await gc_sql.organization_ids(conn)
                for org in orgs:
                    items += await check_objects(
                        db, store, org, grace_seconds=grace, dry_run=dry_run
                    )
        except (StorageUnavailable, DatabaseUnavailable) as exc:
            problem = exc.message
    return SweepReport(
        ran=True,
        found=found_count,
        removed=removed,
        problem=problem,
        orphans=orphans,
        dry_run=dry_run,
        items=items,
        audit_pruned=pruned,
    )


async def _expire(
    db: Database,
    store: BlobStore,
    conn: asyncpg.Connection,
    org_id: str | None,
    limit: int,
    dry_run: bool,
) -> list[Leftover]:
    """Expired artifacts of every organization (or of ``org_id``), up to ``limit``."""
    targets: dict[str, list[UUID] | None] = {}
    if org_id is not None:
        targets[org_id] = None
    else:
        for org, artifact_id in await gc_sql.expired_everywhere(conn, limit):
            listed = targets.setdefault(org, [])
            assert listed is not None
            listed.append(artifact_id)
    done: list[Leftover] = []
    for org, ids in targets.items():
        done += await remove_expired(db, store, org, limit=limit, ids=ids, dry_run=dry_run)
    return done


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
    dry_run: bool = False,
    sizes: dict[str, int] | None = None,
) -> list[str]:
    """Remove the objects under ``prefix`` last written over ``older_than_seconds`` ago
    whose artifact id (``id_of`` their key; None: not an artifact's) is not among those
    ``referenced`` says rows still refer to. Lists page by page; returns the keys removed
    (``dry_run``: that would be, removing nothing), their sizes into ``sizes``.
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
        if sizes is not None:
            sizes.update((o.key, o.size) for o in listed if o.key in set(doomed))
        if doomed:
            if not dry_run:
                await store.delete(*doomed)
            removed.extend(doomed)
        if len(listed) < page:
            break
    if removed and not dry_run:
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
        if report.items or report.problem:
            log.info(
                "sweep: removed %d of %d failed or abandoned upload(s), %d expired "
                "artifact(s) and %d object(s) no row refers to%s",
                report.removed_count,
                report.found,
                len(report.expired),
                sum(1 for i in report.items if i.reason == ORPHAN),
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
