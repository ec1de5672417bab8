"""The global sweep of failed and abandoned uploads, for every organization.

One round: take the sweep lock (one process at a time, across replicas), ask
``cairn_stale_artifacts`` for the (organization, id) pairs of uploads PENDING longer than
:func:`~cairn.services.cleanup.abandoned_after` and of FAILED rows still holding objects
(at most ``limit``), then clean each organization up in its own org-scoped transactions
with :func:`~cairn.services.cleanup.clean_up_org`, which re-checks every condition under
row-level security. Storage down ends the round early; the rows stay FAILED with their
object keys and the next round retries. The app runs a round every
``CAIRN_SWEEP_INTERVAL_SECONDS``; ``cairn sweep`` runs one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from uuid import UUID

from cairn.config import Settings
from cairn.db import sweeps
from cairn.db.pool import Database
from cairn.errors import CairnError, DatabaseUnavailable, StorageUnavailable
from cairn.services.cleanup import abandoned_after, clean_up_org
from cairn.storage import BlobStore

log = logging.getLogger("cairn.sweeper")

ROUND_LIMIT = 500  # artifacts one round looks at


@dataclass(frozen=True)
class SweepReport:
    """What one round did. ``ran`` is False when another process held the sweep lock."""

    ran: bool
    found: int = 0
    removed: dict[str, list[UUID]] = field(default_factory=dict)
    problem: str | None = None  # why some were left for the next round

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
        found = await sweeps.stale_artifacts(conn, older, limit)
        by_org: dict[str, list[UUID]] = {}
        for org_id, artifact_id in found:
            by_org.setdefault(org_id, []).append(artifact_id)
        removed: dict[str, list[UUID]] = {}
        problem = None
        for org_id, ids in by_org.items():
            try:
                gone = await clean_up_org(
                    db, store, org_id, older_than_seconds=older, limit=len(ids), ids=ids
                )
            except (StorageUnavailable, DatabaseUnavailable) as exc:
                problem = exc.message
                break  # no use trying the other organizations now
            except Exception as exc:
                problem = _describe(exc)
                log.warning("sweep: could not clean up organization %s: %s", org_id, problem)
                continue
            if gone:
                removed[org_id] = gone
    return SweepReport(ran=True, found=len(found), removed=removed, problem=problem)


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
        if report.removed_count or report.problem:
            log.info(
                "sweep: removed %d of %d failed or abandoned upload(s)%s",
                report.removed_count,
                report.found,
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
