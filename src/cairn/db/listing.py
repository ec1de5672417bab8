"""Keyset pages and counts over one table, alone or batched over many parents.

A batched page is one statement however many parents: ``unnest`` the parent ids and
``CROSS JOIN LATERAL`` a limited, keyset-ordered select for each. A backward page (``last``
/ ``before``) is the same statement in reverse order (the same index, read the other way),
its rows turned back into the list's order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar
from uuid import UUID

import asyncpg

from cairn.db.rows import ArtifactRow, AuditEventRow, JobRunRow, WorkflowRow, WorkflowRunRow
from cairn.db.where import Criteria, Cursor, Sort, Where, not_expired, storable

Table = Literal["workflows", "job_runs", "workflow_runs", "artifacts", "audit_events"]
RowT = TypeVar("RowT", WorkflowRow, JobRunRow, WorkflowRunRow, ArtifactRow)

ROW_TYPES: dict[
    str, type[WorkflowRow | JobRunRow | WorkflowRunRow | ArtifactRow | AuditEventRow]
] = {
    "workflows": WorkflowRow,
    "job_runs": JobRunRow,
    "workflow_runs": WorkflowRunRow,
    "artifacts": ArtifactRow,
    "audit_events": AuditEventRow,
}
TABLE_OF: dict[type[WorkflowRow | JobRunRow | WorkflowRunRow | ArtifactRow], Table] = {
    WorkflowRow: "workflows",
    JobRunRow: "job_runs",
    WorkflowRunRow: "workflow_runs",
    ArtifactRow: "artifacts",
}
# Only these columns may be used as a parent link (they are interpolated into SQL),
# with the Postgres type of their values.
PARENT_COLUMNS = {
    "id": "uuid",
    "workflow_id": "uuid",
    "job_run_id": "uuid",
    "workflow_run_id": "uuid",
    "key": "text",
}
ParentId = UUID | str
# (parent column, sort) pairs that an index returns in order (sql/0001, sql/0003): each
# table has (org_id, <parent>, created_at DESC, id DESC); versions of a key are VERSION_DESC.
PARENT_ORDERED = {
    *(
        (column, sort)
        for column in ("workflow_id", "job_run_id", "workflow_run_id")
        for sort in ("CREATED_DESC", "CREATED_ASC")
    ),
    ("key", "VERSION_DESC"),
    ("id", "VERSION_DESC"),
}


@dataclass(frozen=True, slots=True)
class PageRequest:
    """Everything that selects one page; hashable, so DataLoaders batch on it.

    ``first`` is how many rows: the ``first`` argument, or ``last`` when ``backward``
    (the rows just before ``before``, or the end of the list). ``after`` and ``before``
    bound the list on either side whichever way it is read.
    """

    table: Table
    criteria: Criteria
    sort: Sort
    first: int
    after: Cursor | None = None
    parent_column: str | None = None
    before: Cursor | None = None
    backward: bool = False


@dataclass(frozen=True, slots=True)
class Page(Generic[RowT]):
    """A page's rows and the records they came from; sort keys are read from the records
    and cursors encoded only when asked for (most queries select ``nodes`` without
    ``edges``/``pageInfo``, and a cursor per row was a measurable part of a nested list's
    cost)."""

    rows: Sequence[RowT]
    records: Sequence[asyncpg.Record]
    sort_name: str
    has_next: bool
    has_previous: bool = False

    def cursor(self, index: int) -> str:
        return Cursor(self.sort_name, tuple(self.records[index]["sort_key"])).encode()

    @property
    def cursors(self) -> list[str]:
        return [self.cursor(index) for index in range(len(self.records))]


def _where(org_id: str, request: PageRequest) -> Where:
    where = Where(org_id)
    where.criteria(request.criteria)
    if request.after is not None:
        request.after.apply(where, request.sort)
    if request.before is not None:
        request.before.apply(where, request.sort, before=True)
    return where


def _page(request: PageRequest, records: Sequence[asyncpg.Record]) -> Page[RowT]:
    """``first + 1`` records in reading order -> the page in the list's order.

    More rows in the reading direction than asked for set that side's flag; a cursor on the
    other side sets the other (as Relay's spec allows: rows exist beyond a cursor we came
    from, and counting them would cost another statement)."""
    row_type = ROW_TYPES[request.table]
    overflow = len(records) > request.first
    shown = _shown(request, records)
    rows = [row_type.from_leading(r) for r in shown]
    more_after = overflow and not request.backward
    more_before = overflow and request.backward
    return Page(
        rows=rows,  # type: ignore[arg-type]
        records=shown,
        sort_name=request.sort.name,
        has_next=more_after or request.before is not None,
        has_previous=more_before or request.after is not None,
    )


def page_sql(
    org_id: str, request: PageRequest, columns: str | None = None
) -> tuple[str, list[object]]:
    """The statement (and its parameters) for one page: ``first + 1`` rows, keyset-ordered;
    ``columns``: a select list over ``t`` instead of the row's columns."""
    where = _where(org_id, request)
    limit = where.param(request.first + 1)
    columns = columns or ROW_TYPES[request.table].select_list("t")
    sql = (
        f"SELECT {columns}, {request.sort.key_array()} AS sort_key FROM {request.table} t "
        f"WHERE {where.sql()} ORDER BY {request.sort.order_by(request.backward)} LIMIT {limit}"
    )
    return sql, where.params


def pages_sql(
    org_id: str,
    request: PageRequest,
    parent_ids: Sequence[ParentId],
    columns: str | None = None,
) -> tuple[str, list[object]]:
    """One statement for a page per parent: unnest the parents, a limited lateral select each."""
    column, pgtype = _parent_column(request)
    where = _where(org_id, request)
    parents = where.param(list(parent_ids))
    where.add(f"t.{column} = p.parent_id")
    limit = where.param(request.first + 1)
    source = f"{request.table} t WHERE {where.sql()}"
    if (column, request.sort.name) not in PARENT_ORDERED:
        # No index gives this parent's rows in this order. Left alone, the planner may walk
        # a whole-organization sort index, filtering for the parent, until it has first + 1
        # rows: for a parent with fewer rows, that is every row of the organization, per
        # parent. OFFSET 0 plans the parent's rows on their own (its parent index), so the
        # sort is over one parent's rows only.
        source = f"(SELECT * FROM {source} OFFSET 0) t"
    columns = columns or ROW_TYPES[request.table].select_list("t")
    sql = (
        f"SELECT x.*, p.parent_id AS parent_key FROM unnest({parents}::{pgtype}[]) AS p(parent_id) "
        f"CROSS JOIN LATERAL (SELECT {columns}, {request.sort.key_array()} AS sort_key "
        f"FROM {source} ORDER BY {request.sort.order_by(request.backward)} LIMIT {limit}) x"
    )
    return sql, where.params


async def fetch_page(conn: asyncpg.Connection, org_id: str, request: PageRequest) -> Page[RowT]:
    sql, params = page_sql(org_id, request)
    return _page(request, await conn.fetch(sql, *params))


async def fetch_pages(
    conn: asyncpg.Connection, org_id: str, request: PageRequest, parent_ids: Sequence[ParentId]
) -> dict[ParentId, Page[RowT]]:
    sql, params = pages_sql(org_id, request, parent_ids)
    grouped: dict[ParentId, list[asyncpg.Record]] = {pid: [] for pid in parent_ids}
    for record in await conn.fetch(sql, *params):
        grouped[record["parent_key"]].append(record)
    return {pid: _page(request, records) for pid, records in grouped.items()}


def _iso_utc(column: str) -> str:
    """A timestamptz as Python's ``datetime.isoformat()`` writes a UTC time (what the
    DateTime scalar answers): no fraction when it is whole seconds."""
    utc = f"({column} AT TIME ZONE 'UTC')"
    return (
        f"CASE WHEN extract(microseconds FROM {utc})::bigint % 1000000 = 0 "
        f'THEN to_char({utc}, \'YYYY-MM-DD"T"HH24:MI:SS"+00:00"\') '
        f'ELSE to_char({utc}, \'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"\') END'
    )


# An artifact's fields as the values a GraphQL response holds, computed by PostgreSQL: a
# list whose every selected field is one of these is read as these values alone (no row
# objects, no timestamps decoded only to be formatted again). Keys are ArtifactRow column
# names; enums are stored as their GraphQL names. tests/queries/test_value_pages.py
# compares every one with the GraphQL layer's own answer.
ARTIFACT_VALUES: dict[str, str] = {
    "__typename": "'Artifact'::text",
    "id": "t.id::text",
    "key": "t.key",
    "version": "t.version",
    "is_latest": "t.is_latest",
    "type": "t.type",
    "category": "t.category",
    "display_name": "t.display_name",
    "description": "t.description",
    "mime_type": "t.mime_type",
    "size_bytes": "t.size_bytes",
    "sha256": "t.sha256",
    "status": "t.status",
    "storage_path": "t.storage_path",
    "created_by": "t.created_by",
    "created_at": _iso_utc("t.created_at"),
    "updated_at": _iso_utc("t.updated_at"),
    "expires_at": _iso_utc("t.expires_at"),
}


def value_select(columns: Sequence[str]) -> str:
    """The select list of ``ARTIFACT_VALUES[column]`` for ``columns``, in that order."""
    return ", ".join(f"{ARTIFACT_VALUES[column]} AS v{i}" for i, column in enumerate(columns))


async def fetch_value_pages(
    conn: asyncpg.Connection,
    org_id: str,
    request: PageRequest,
    parent_ids: Sequence[ParentId | None],
    columns: Sequence[str],
) -> dict[ParentId | None, list[asyncpg.Record]]:
    """Artifact pages as records of ``ARTIFACT_VALUES[column]`` for ``columns``, in the
    list's order (the same statement as a page of rows, with another select list)."""
    select = value_select(columns)
    if request.parent_column is None:
        sql, params = page_sql(org_id, request, select)
        return {None: _shown(request, await conn.fetch(sql, *params))}
    ids = [parent for parent in parent_ids if parent is not None]
    sql, params = pages_sql(org_id, request, ids, select)
    grouped: dict[ParentId | None, list[asyncpg.Record]] = {pid: [] for pid in ids}
    for record in await conn.fetch(sql, *params):
        grouped[record["parent_key"]].append(record)
    return {pid: _shown(request, records) for pid, records in grouped.items()}


def _shown(request: PageRequest, records: Sequence[asyncpg.Record]) -> list[asyncpg.Record]:
    shown = list(records[: request.first])
    return shown[::-1] if request.backward else shown


async def count(conn: asyncpg.Connection, org_id: str, request: PageRequest) -> int:
    where = Where(org_id)
    where.criteria(request.criteria)
    value = await conn.fetchval(
        f"SELECT count(*) FROM {request.table} t WHERE {where.sql()}", *where.params
    )
    return int(value)


async def count_by_parent(
    conn: asyncpg.Connection, org_id: str, request: PageRequest, parent_ids: Sequence[ParentId]
) -> dict[ParentId, int]:
    column, pgtype = _parent_column(request)
    where = Where(org_id)
    where.criteria(request.criteria)
    where.add(f"t.{column} = ANY({where.param(list(parent_ids))}::{pgtype}[])")
    sql = f"SELECT t.{column} AS parent_key, count(*) AS n FROM {request.table} t WHERE {where.sql()} GROUP BY 1"
    counts = {pid: 0 for pid in parent_ids}
    for record in await conn.fetch(sql, *where.params):
        counts[record["parent_key"]] = int(record["n"])
    return counts


async def fetch_by_ids(
    conn: asyncpg.Connection, org_id: str, row_type: type[RowT], ids: Sequence[UUID]
) -> dict[UUID, RowT]:
    """The rows of ``row_type`` with these ids (one statement)."""
    table = TABLE_OF[row_type]
    live = f" AND {not_expired()}" if table == "artifacts" else ""
    records = await conn.fetch(
        f"SELECT {row_type.select_list('t')} FROM {table} t "
        f"WHERE t.org_id = $1 AND t.id = ANY($2::uuid[]){live}",
        org_id,
        list(ids),
    )
    return {r["id"]: row_type.from_leading(r) for r in records}


NodeRow = WorkflowRow | JobRunRow | WorkflowRunRow | ArtifactRow
# Ids are UUIDs shared by the four tables; a lookup tries them in this order (ids are
# random, so no id is in two of them unless someone put it there by hand: then the first).
NODE_TABLES: tuple[Table, ...] = ("workflows", "job_runs", "workflow_runs", "artifacts")


def nodes_sql(org_id: str, ids: Sequence[UUID]) -> tuple[str, list[object]]:
    """One statement for rows of any of the four tables by id: each id left-joined to each
    table on its primary key, every table's columns selected as ``<table>__<column>``."""
    columns = ", ".join(
        f"{table}.{name} AS {table}__{name}"
        for table in NODE_TABLES
        for name in ROW_TYPES[table].column_names()
    )
    joins = " ".join(
        f"LEFT JOIN {table} ON {table}.org_id = $1 AND {table}.id = i.id"
        + (f" AND {not_expired(table)}" if table == "artifacts" else "")
        for table in NODE_TABLES
    )
    sql = f"SELECT i.id AS node_id, {columns} FROM unnest($2::uuid[]) AS i(id) {joins}"
    return sql, [org_id, list(ids)]


async def fetch_nodes(
    conn: asyncpg.Connection, org_id: str, ids: Sequence[UUID]
) -> dict[UUID, NodeRow]:
    """The rows with these ids, whichever table holds them (one statement)."""
    sql, params = nodes_sql(org_id, list(dict.fromkeys(ids)))
    found: dict[UUID, NodeRow] = {}
    for record in await conn.fetch(sql, *params):
        for table in NODE_TABLES:
            if record[f"{table}__id"] is not None:
                row = ROW_TYPES[table].from_prefixed(record, f"{table}__")
                assert not isinstance(row, AuditEventRow)  # not a node table
                found[record["node_id"]] = row
                break
    return found


async def fetch_workflows_by_name(
    conn: asyncpg.Connection, org_id: str, names: Sequence[str]
) -> dict[str, WorkflowRow]:
    """The workflows with these names (one statement); a name PostgreSQL cannot store
    (NUL) names nothing."""
    wanted = [n for n in names if storable(n)]
    if not wanted:
        return {}
    records = await conn.fetch(
        "SELECT * FROM workflows WHERE org_id = $1 AND name = ANY($2::text[])", org_id, wanted
    )
    return {r["name"]: WorkflowRow.from_record(r) for r in records}


def _parent_column(request: PageRequest) -> tuple[str, str]:
    column = request.parent_column
    if column is None or column not in PARENT_COLUMNS:
        raise ValueError(f"not a parent column: {column!r}")
    return column, PARENT_COLUMNS[column]
