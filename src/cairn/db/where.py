"""Filters -> parameterised SQL, sort orders and opaque keyset cursors.

Criteria are plain frozen dataclasses (hashable, so DataLoaders can batch on them); the
GraphQL layer converts its inputs into these.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

import orjson

from cairn.errors import BadUserInput


@dataclass(frozen=True, slots=True)
class IdFilter:
    eq: UUID | None = None
    in_: tuple[UUID, ...] | None = None
    # An id that is not a UUID cannot match: such a filter selects nothing.
    impossible: bool = False


@dataclass(frozen=True, slots=True)
class TextFilter:
    eq: str | None = None
    in_: tuple[str, ...] | None = None
    contains: str | None = None
    starts_with: str | None = None


@dataclass(frozen=True, slots=True)
class KeyFilter:
    eq: str | None = None
    in_: tuple[str, ...] | None = None
    exists: bool | None = None
    starts_with: str | None = None


@dataclass(frozen=True, slots=True)
class TimeRange:
    before: datetime | None = None
    after: datetime | None = None


@dataclass(frozen=True, slots=True)
class WorkflowCriteria:
    id: IdFilter | None = None
    name: TextFilter | None = None
    tags: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class JobRunCriteria:
    id: IdFilter | None = None
    status: tuple[str, ...] | None = None
    created_at: TimeRange | None = None


@dataclass(frozen=True, slots=True)
class WorkflowRunCriteria:
    id: IdFilter | None = None
    workflow_id: IdFilter | None = None
    job_run_id: IdFilter | None = None
    status: tuple[str, ...] | None = None
    created_at: TimeRange | None = None


@dataclass(frozen=True, slots=True)
class ArtifactCriteria:
    id: IdFilter | None = None
    key: KeyFilter | None = None
    type: tuple[str, ...] | None = None
    category: TextFilter | None = None
    mime_type: TextFilter | None = None
    display_name: TextFilter | None = None
    status: tuple[str, ...] | None = ("AVAILABLE",)
    workflow_id: IdFilter | None = None
    workflow_run_id: IdFilter | None = None
    job_run_id: IdFilter | None = None
    created_at: TimeRange | None = None
    workflow_run: WorkflowRunCriteria | None = None
    latest_only: bool = False


@dataclass(frozen=True, slots=True)
class AuditCriteria:
    artifact_id: IdFilter | None = None
    subject: str | None = None
    action: tuple[str, ...] | None = None
    created_at: TimeRange | None = None


Criteria = (
    WorkflowCriteria | JobRunCriteria | WorkflowRunCriteria | ArtifactCriteria | AuditCriteria
)


def storable(value: str) -> bool:
    """Postgres text cannot hold NUL, nor UTF-8 a lone surrogate: such a value matches
    nothing (and must not be sent: asyncpg could not even encode the surrogate)."""
    return "\x00" not in value and (value.isascii() or _encodable(value))


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def not_expired(alias: str = "t") -> str:
    """The condition that keeps expired artifacts out of every read."""
    return f"({alias}.expires_at IS NULL OR {alias}.expires_at > now())"


class Where:
    """Accumulates ``AND``-ed conditions and their ``$n`` parameters."""

    def __init__(self, org_id: str | None, alias: str = "t", params: list[object] | None = None):
        self.params: list[object] = [] if params is None else params
        self.alias = alias
        self.clauses: list[str] = []
        if org_id is not None:
            self.add(f"{alias}.org_id = {self.param(org_id)}")

    def param(self, value: object) -> str:
        self.params.append(value)
        return f"${len(self.params)}"

    def add(self, clause: str) -> None:
        self.clauses.append(clause)

    def sql(self) -> str:
        return " AND ".join(self.clauses)

    def col(self, name: str) -> str:
        return f"{self.alias}.{name}"

    def ids(self, column: str, f: IdFilter | None) -> None:
        if f is None:
            return
        if f.impossible:
            self.add("false")
        if f.eq is not None:
            self.add(f"{self.col(column)} = {self.param(f.eq)}::uuid")
        if f.in_ is not None:
            self.add(f"{self.col(column)} = ANY({self.param(list(f.in_))}::uuid[])")

    def text(self, column: str, f: TextFilter | KeyFilter | None) -> None:
        if f is None:
            return
        col = self.col(column)
        contains = f.contains if isinstance(f, TextFilter) else None
        if any(v is not None and not storable(v) for v in (f.eq, f.starts_with, contains)):
            self.add("false")  # no stored text contains NUL; Postgres would reject the value
            return
        if f.eq is not None:
            self.add(f"{col} = {self.param(f.eq)}::text")
        if f.in_ is not None:
            self.any_of(column, f.in_)
        if f.starts_with is not None:
            self.add(f"starts_with({col}, {self.param(f.starts_with)}::text)")
        if contains is not None:
            self.add(f"strpos(lower({col}), lower({self.param(contains)}::text)) > 0")
        if isinstance(f, KeyFilter) and f.exists is not None:
            self.add(f"{col} IS {'NOT ' if f.exists else ''}NULL")

    def any_of(self, column: str, values: tuple[str, ...] | None) -> None:
        if values is not None:
            kept = [v for v in values if storable(v)]
            self.add(f"{self.col(column)} = ANY({self.param(kept)}::text[])")

    def time(self, column: str, f: TimeRange | None) -> None:
        if f is None:
            return
        if f.after is not None:
            self.add(f"{self.col(column)} >= {self.param(f.after)}::timestamptz")
        if f.before is not None:
            self.add(f"{self.col(column)} <= {self.param(f.before)}::timestamptz")

    def criteria(self, c: Criteria) -> None:
        if isinstance(c, WorkflowCriteria):
            self.ids("id", c.id)
            self.text("name", c.name)
            if c.tags:
                tags = list(c.tags)
                ok = all(storable(t) for t in tags)
                self.add(f"{self.col('tags')} @> {self.param(tags)}::text[]" if ok else "false")
        elif isinstance(c, JobRunCriteria):
            self.ids("id", c.id)
            self.any_of("status", c.status)
            self.time("created_at", c.created_at)
        elif isinstance(c, WorkflowRunCriteria):
            self.ids("id", c.id)
            self.ids("workflow_id", c.workflow_id)
            self.ids("job_run_id", c.job_run_id)
            self.any_of("status", c.status)
            self.time("created_at", c.created_at)
        elif isinstance(c, AuditCriteria):
            self.ids("artifact_id", c.artifact_id)
            if c.subject is not None:
                ok = storable(c.subject)
                self.add(f"{self.col('subject')} = {self.param(c.subject)}" if ok else "false")
            self.any_of("action", c.action)
            self.time("created_at", c.created_at)
        else:
            self._artifact(c)

    def _artifact(self, c: ArtifactCriteria) -> None:
        # Expired artifacts are gone for readers at once, before the sweep deletes them.
        self.add(not_expired(self.alias))
        self.ids("id", c.id)
        self.text("key", c.key)
        self.any_of("type", c.type)
        self.text("category", c.category)
        self.text("mime_type", c.mime_type)
        self.text("display_name", c.display_name)
        self.any_of("status", c.status)
        self.ids("workflow_id", c.workflow_id)
        self.ids("workflow_run_id", c.workflow_run_id)
        self.ids("job_run_id", c.job_run_id)
        self.time("created_at", c.created_at)
        if c.latest_only:
            self.add(f"{self.col('is_latest')} AND {self.col('key')} IS NOT NULL")
        if c.workflow_run is not None:
            inner = Where(None, alias="r", params=self.params)
            inner.add(f"r.org_id = {self.alias}.org_id AND r.id = {self.alias}.workflow_run_id")
            inner.criteria(c.workflow_run)
            self.add(f"EXISTS (SELECT 1 FROM workflow_runs r WHERE {inner.sql()})")


# -- sorting ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sort:
    name: str
    # (sql expression over alias t, postgres type) pairs; the last is always t.id.
    keys: tuple[tuple[str, str], ...]
    descending: bool

    def order_by(self, backward: bool = False) -> str:
        """The list's order, or (``backward``) its exact reverse: the same index, read the
        other way, so the rows just before a cursor come first."""
        direction = " DESC" if self.descending != backward else ""
        return ", ".join(f"{expr}{direction}" for expr, _ in self.keys)

    def key_array(self) -> str:
        """The sort key of a row as text[], in a form that does not depend on settings."""
        return "ARRAY[" + ", ".join(_as_text(expr, pgtype) for expr, pgtype in self.keys) + "]"


def _as_text(expr: str, pgtype: str) -> str:
    if pgtype == "timestamptz":  # ISO 8601 in UTC whatever the session's DateStyle/TimeZone
        return f"to_char(({expr}) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
    return f"({expr})::text"


_CREATED = (("t.created_at", "timestamptz"), ("t.id", "uuid"))
# Keys compare bytewise (COLLATE "C"): the same order on every database, and the one
# sql/0003_read_indexes.sql indexes.
_KEY = "coalesce(t.key, '') COLLATE \"C\""
SORTS: dict[str, Sort] = {
    "CREATED_DESC": Sort("CREATED_DESC", _CREATED, True),
    "CREATED_ASC": Sort("CREATED_ASC", _CREATED, False),
    "KEY_ASC": Sort(
        "KEY_ASC",
        (
            ("t.key IS NULL", "boolean"),
            (_KEY, "text"),
            ("coalesce(t.version, 0)", "integer"),
            ("t.id", "uuid"),
        ),
        False,
    ),
    "VERSION_DESC": Sort(
        "VERSION_DESC",
        (("coalesce(t.version, 0)", "integer"), ("t.created_at", "timestamptz"), ("t.id", "uuid")),
        True,
    ),
    "SIZE_DESC": Sort("SIZE_DESC", (("t.size_bytes", "bigint"), ("t.id", "uuid")), True),
}


def _integer(bits: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        if not _INTEGER.fullmatch(text):
            raise ValueError(text)
        number = int(text)
        if not -(2 ** (bits - 1)) <= number < 2 ** (bits - 1):
            raise ValueError(text)
        return number

    return parse


def _timestamp(text: str) -> datetime:
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        raise ValueError(text)
    return parsed


def _boolean(text: str) -> bool:
    if text not in ("true", "false"):
        raise ValueError(text)
    return text == "true"


_INTEGER = re.compile(r"-?[0-9]{1,20}")
# Cursor values are checked and converted here, so a forged cursor is BAD_USER_INPUT
# rather than a database error.
_PARSERS: dict[str, Callable[[str], object]] = {
    "timestamptz": _timestamp,
    "uuid": UUID,
    "integer": _integer(32),
    "bigint": _integer(64),
    "boolean": _boolean,
    "text": str,
}


@dataclass(frozen=True, slots=True)
class Cursor:
    sort: str
    values: tuple[str, ...] = field(default=())

    def encode(self) -> str:
        raw = orjson.dumps([self.sort, list(self.values)])
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @staticmethod
    def decode(text: str, sort: Sort, argument: str = "after") -> Cursor:
        try:
            padded = text + "=" * (-len(text) % 4)
            name, values = orjson.loads(base64.urlsafe_b64decode(padded.encode()))
            ok = (
                name == sort.name
                and isinstance(values, list)
                and len(values) == len(sort.keys)
                and all(isinstance(v, str) and storable(v) for v in values)
            )
            if ok:
                for value, (_, pgtype) in zip(values, sort.keys, strict=True):
                    _PARSERS[pgtype](value)
        except (ValueError, TypeError, binascii.Error, orjson.JSONDecodeError):
            ok = False
        if not ok:
            hint = "an endCursor" if argument == "after" else "a startCursor"
            raise BadUserInput(
                f"'{argument}' is not a cursor from this list; pass {hint} or cursor this "
                "field returned with the same sort"
            )
        return Cursor(name, tuple(values))

    def apply(self, where: Where, sort: Sort, before: bool = False) -> None:
        """Keep the rows after this position in the list's order (``before``: those ahead
        of it)."""
        values = [
            f"{where.param(_PARSERS[pgtype](value))}::{pgtype}"
            for value, (_, pgtype) in zip(self.values, sort.keys, strict=True)
        ]
        exprs = [expr for expr, _ in sort.keys]
        op = "<" if sort.descending != before else ">"
        row = f"({', '.join(exprs)}) {op} ({', '.join(values)})"
        if sort.keys[0][1] == "boolean":
            # PostgreSQL estimates a row comparison from its first column alone: with a
            # two-valued first column (KEY_ASC's "key IS NULL") that is often "no row at all"
            # (say key IS NULL < false), and the planner then sorts instead of reading the
            # index in order. Spelled out per first column, the estimate is the real one.
            rest = f"({', '.join(exprs[1:])}) {op} ({', '.join(values[1:])})"
            row = f"({exprs[0]} {op} {values[0]} OR ({exprs[0]} = {values[0]} AND {rest}))"
        where.add(row)
