"""The artifact list the paging tests read (tests/queries): twelve rows whose ids, creation
times, sizes, keys and versions tie and interleave, and the order each sort promises."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tests.support.artifacts import Run, Seeder, at, make_run, uid
from tests.support.http import Client
from tests.support.stack import Stack, fetch

SORTS = ["CREATED_DESC", "CREATED_ASC", "KEY_ASC", "VERSION_DESC", "SIZE_DESC"]


@dataclass(frozen=True)
class Item:
    id: str
    key: str | None
    version: int | None
    size: int
    created: datetime


def expected(items: list[Item], sort: str) -> list[str]:
    """The order each sort promises, ties broken by id (uuids compare bytewise)."""

    def uid_(i: Item) -> uuid.UUID:
        return uuid.UUID(i.id)

    orders: dict[str, tuple[Any, bool]] = {
        "CREATED_DESC": (lambda i: (i.created, uid_(i)), True),
        "CREATED_ASC": (lambda i: (i.created, uid_(i)), False),
        "KEY_ASC": (lambda i: (i.key is None, i.key or "", i.version or 0, uid_(i)), False),
        "VERSION_DESC": (lambda i: (i.version or 0, i.created, uid_(i)), True),
        "SIZE_DESC": (lambda i: (i.size, uid_(i)), True),
    }
    key, reverse = orders[sort]
    return [i.id for i in sorted(items, key=key, reverse=reverse)]


# Ids are deliberately not in creation order, creation times and sizes tie, and keys
# include '-' and digits (ordered bytewise: '-' < '0' < 'a').
SPECS: list[tuple[int, str | None, int | None, int, int]] = [
    # (id number, key, version, size, created second)
    (7, "ab", 1, 10, 1),
    (3, "a-b", 1, 10, 1),
    (9, "ab", 2, 30, 2),
    (1, None, None, 30, 2),
    (5, "a0", 1, 5, 2),
    (8, None, None, 5, 3),
    (2, "ab", 3, 0, 4),
    (6, "a-b", 2, 30, 4),
    (4, None, None, 10, 4),
    (12, "zz", 1, 0, 5),
    (10, "b", 1, 7, 5),
    (11, "a0", 2, 7, 5),
]


@dataclass
class PagingData:
    client: Client
    run: Run
    items: list[Item]


def seed_paging_data(client: Client, stack: Stack) -> PagingData:
    """SPECS as rows of one new run of ``client``'s organization."""
    run = make_run(client)
    seed = Seeder(stack, client.org_id)
    latest = {}
    for n, key, version, _, _ in SPECS:
        if key is not None and version is not None and version >= latest.get(key, (0, 0))[0]:
            latest[key] = (version, n)
    rows = [
        seed.row(
            id=uid(n),
            key=key,
            version=version,
            is_latest=key is not None and latest[key][1] == n,
            size_bytes=size,
            created_at=at(second),
            **run.link(),
        )
        for n, key, version, size, second in SPECS
    ]
    seed.insert(rows)
    items = [Item(uid(n), k, v, s, at(c)) for n, k, v, s, c in SPECS]
    return PagingData(client, run, items)


_INSERT_FIVE = """INSERT INTO artifacts (org_id, key, version, type, display_name, mime_type,
       size_bytes, status, created_by, created_at, published_at)
   SELECT $1, k, CASE WHEN k IS NOT NULL THEN 1000 + $3::int * 5 + g END, 'TEXT', 'new.txt',
          'text/plain', (random() * 100)::int, 'AVAILABLE', 'writer', c, c
   FROM generate_series(1, 5) AS g,
        LATERAL (SELECT CASE WHEN random() < 0.5 THEN 'k-' || (random() * 60)::int
                        END AS k,
                        CASE WHEN random() < 0.7
                             THEN $2::timestamptz + make_interval(secs => random() * 1300)
                             ELSE clock_timestamp() END AS c) x"""


@contextmanager
def concurrent_inserts(stack: Stack, org_id: str) -> Iterator[list[int]]:
    """While the block runs, a thread inserts artifacts five at a time (up to 2,500) that
    land everywhere in every order: random ids, sizes, keys and versions, creation times
    inside the range ``bulk_insert`` lists (seconds 0-1,300) and after it. Yields the list of
    batches written (check it is not empty: the writer really ran meanwhile)."""
    stop = threading.Event()
    inserted: list[int] = []

    def writer() -> None:
        for _ in range(500):
            if stop.is_set():
                return
            fetch(stack.owner_dsn, _INSERT_FIVE, org_id, at(0), len(inserted))
            inserted.append(5)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        yield inserted
    finally:
        stop.set()
        thread.join(30)
