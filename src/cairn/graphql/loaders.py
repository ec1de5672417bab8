"""Per-request DataLoaders: one statement per level of a nested query.

Keys are ``(PageRequest, parent)``; a batch groups keys by request and runs one
statement per group (batched over parents with a lateral join).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from strawberry.dataloader import DataLoader

from cairn.db import listing
from cairn.db.listing import Page, PageRequest, ParentId, Table
from cairn.db.pool import Database

PageKey = tuple[PageRequest, ParentId | None]


class Loaders:
    def __init__(self, db: Database, org_id: str) -> None:
        self._db = db
        self._org_id = org_id
        self.pages: DataLoader[PageKey, Page[Any]] = DataLoader(self._load_pages)
        self.counts: DataLoader[PageKey, int] = DataLoader(self._load_counts)
        self._by_id: dict[str, DataLoader[UUID, Any]] = {}

    def by_id(self, table: Table) -> DataLoader[UUID, Any]:
        loader = self._by_id.get(table)
        if loader is None:
            loader = DataLoader(lambda ids: self._load_by_id(table, ids))
            self._by_id[table] = loader
        return loader

    async def _load_by_id(self, table: Table, ids: Sequence[UUID]) -> list[Any]:
        async with self._db.scoped(self._org_id, readonly=True) as conn:
            found = await listing.fetch_by_ids(conn, self._org_id, table, ids)
        return [found.get(i) for i in ids]

    async def _load_pages(self, keys: Sequence[PageKey]) -> list[Page[Any]]:
        """One transaction per batch, one statement per distinct request (over all parents).

        Requests run one after another on a single connection: a batch of many distinct
        requests (aliases, sibling lists) must not take a pool connection each.
        """
        results: dict[PageKey, Page[Any]] = {}
        async with self._db.scoped(self._org_id, readonly=True) as conn:
            for request, parents in _group(keys).items():
                if request.parent_column is None:
                    results[(request, None)] = await listing.fetch_page(conn, self._org_id, request)
                    continue
                ids = [p for p in parents if p is not None]
                pages = await listing.fetch_pages(conn, self._org_id, request, ids)
                for parent, page in pages.items():
                    results[(request, parent)] = page
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
