"""Per-request DataLoaders: one statement per level of a nested query.

One typed loader per row type (by id), one for a row of any type by id (``node``), and
one for workflows by name. Page and count keys
are ``(PageRequest, parent)``; a batch groups keys by request and runs one statement per
group (batched over parents with a lateral join).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any, TypeVar
from uuid import UUID

from strawberry.dataloader import DataLoader

from cairn.db import listing, usage
from cairn.db.listing import NodeRow, PageRequest, ParentId
from cairn.db.pool import Database
from cairn.db.rows import ArtifactRow, JobRunRow, WorkflowRow, WorkflowRunRow
from cairn.db.usage import UsageCount

PageKey = tuple[PageRequest, ParentId | None]
# A page of artifacts as values: the page, and the columns (listing.ARTIFACT_VALUES keys).
ValuesKey = tuple[PageRequest, ParentId | None, tuple[str, ...]]
RowT = TypeVar("RowT", WorkflowRow, JobRunRow, WorkflowRunRow, ArtifactRow)


def _by_id(db: Database, org_id: str, row_type: type[RowT]) -> DataLoader[UUID, RowT | None]:
    async def load(ids: Sequence[UUID]) -> list[RowT | None]:
        async with db.scoped(org_id, readonly=True) as conn:
            found = await listing.fetch_by_ids(conn, org_id, row_type, ids)
        return [found.get(i) for i in ids]

    return DataLoader(load)


class Loaders:
    """Built per request (or per batch of subscription events)."""

    def __init__(self, db: Database, org_id: str) -> None:
        self._db = db
        self._org_id = org_id
        # The loaders' functions are bound methods of this object, which holds the
        # loaders: a cycle that close() breaks when the request ends.
        self.workflows = _by_id(db, org_id, WorkflowRow)
        self.job_runs = _by_id(db, org_id, JobRunRow)
        self.workflow_runs = _by_id(db, org_id, WorkflowRunRow)
        self.artifacts = _by_id(db, org_id, ArtifactRow)
        self.workflow_by_name: DataLoader[str, WorkflowRow | None] = DataLoader(
            self._load_workflows_by_name
        )
        self.nodes: DataLoader[UUID, NodeRow | None] = DataLoader(self._load_nodes)
        # Pages of rows (PageKey) and of artifact values (ValuesKey): one loader, so that
        # both kinds wanted at once share a transaction.
        self.pages: DataLoader[PageKey | ValuesKey, Any] = DataLoader(self._load_pages)
        self.counts: DataLoader[PageKey, int] = DataLoader(self._load_counts)
        self.usage_by_type: DataLoader[None, list[UsageCount]] = DataLoader(self._load_usage)
        self.usage_by_workflow: DataLoader[int, list[UsageCount]] = DataLoader(
            self._load_workflow_usage
        )

    async def _load_usage(self, keys: Sequence[None]) -> list[list[UsageCount]]:
        async with self._db.scoped(self._org_id, readonly=True) as conn:
            found = await usage.by_type(conn, self._org_id)
        return [found for _ in keys]

    async def _load_workflow_usage(self, firsts: Sequence[int]) -> list[list[UsageCount]]:
        """One statement for every ``first`` asked (aliases): the largest, sliced."""
        async with self._db.scoped(self._org_id, readonly=True) as conn:
            found = await usage.by_workflow(conn, self._org_id, max(firsts))
        return [found[:n] for n in firsts]

    def close(self) -> None:
        """Empty every cache and drop every loader (the request is over)."""
        for name, loader in list(vars(self).items()):
            if isinstance(loader, DataLoader):
                loader.clear_all()
                loader.batch = None
                delattr(self, name)

    async def _load_workflows_by_name(self, names: Sequence[str]) -> list[WorkflowRow | None]:
        async with self._db.scoped(self._org_id, readonly=True) as conn:
            found = await listing.fetch_workflows_by_name(conn, self._org_id, names)
        return [found.get(n) for n in names]

    async def _load_nodes(self, ids: Sequence[UUID]) -> list[NodeRow | None]:
        """Rows of any type by id, one statement over the four tables; each row found also
        primes its typed loader (a later ``workflowRun(id:)`` of it costs nothing)."""
        async with self._db.scoped(self._org_id, readonly=True) as conn:
            found = await listing.fetch_nodes(conn, self._org_id, ids)
        for ident, row in found.items():
            if isinstance(row, WorkflowRow):
                self.workflows.prime(ident, row)
            elif isinstance(row, JobRunRow):
                self.job_runs.prime(ident, row)
            elif isinstance(row, WorkflowRunRow):
                self.workflow_runs.prime(ident, row)
            else:
                self.artifacts.prime(ident, row)
        return [found.get(i) for i in ids]

    async def _load_pages(self, keys: Sequence[PageKey | ValuesKey]) -> list[Any]:
        """One transaction per batch, one statement per distinct request (over all parents)
        and, for values, per distinct set of columns.

        Requests run one after another on a single connection: a batch of many distinct
        requests (aliases, sibling lists) must not take a pool connection each.
        """
        results: dict[PageKey | ValuesKey, Any] = {}
        rows: list[PageKey] = []
        values: dict[tuple[PageRequest, tuple[str, ...]], list[ParentId | None]]
        values = defaultdict(list)
        for key in keys:
            if len(key) == 2:
                rows.append(key)
            else:
                values[(key[0], key[2])].append(key[1])
        async with self._db.scoped(self._org_id, readonly=True) as conn:
            for request, parents in _group(rows).items():
                if request.parent_column is None:
                    results[(request, None)] = await listing.fetch_page(conn, self._org_id, request)
                    continue
                ids = [p for p in parents if p is not None]
                pages = await listing.fetch_pages(conn, self._org_id, request, ids)
                for parent, page in pages.items():
                    results[(request, parent)] = page
            for (request, columns), parents in values.items():
                found = await listing.fetch_value_pages(
                    conn, self._org_id, request, parents, columns
                )
                for found_parent, records in found.items():
                    results[(request, found_parent, columns)] = records
        return [results[key] for key in keys]

    async def _load_counts(self, keys: Sequence[PageKey]) -> list[int]:
        results: dict[PageKey, int] = {}
        async with self._db.scoped(self._org_id, readonly=True) as conn:
            for request, parents in _group(keys).items():
                if request.parent_column is None:
                    results[(request, None)] = await listing.count(conn, self._org_id, request)
                    continue
                ids = [p for p in parents if p is not None]
                counts = await listing.count_by_parent(conn, self._org_id, request, ids)
                for parent, n in counts.items():
                    results[(request, parent)] = n
        return [results[key] for key in keys]


def _group(keys: Sequence[PageKey]) -> dict[PageRequest, list[ParentId | None]]:
    groups: dict[PageRequest, list[ParentId | None]] = defaultdict(list)
    for request, parent in keys:
        groups[request].append(parent)
    return groups
