"""Seeding artifacts straight into the table (as the owner), for the read-path tests.

Publishing is built elsewhere; these helpers insert rows that satisfy the table's CHECK
constraints (AVAILABLE rows carry ``published_at``, versions only with a key) with chosen
ids and creation times, so tests can predict every order exactly.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from tests.support.http import Client
from tests.support.stack import Stack, fetch

BASE_TIME = datetime(2024, 1, 1, tzinfo=UTC)

_COLUMNS = (
    ("id", "uuid"),
    ("key", "text"),
    ("version", "integer"),
    ("is_latest", "boolean"),
    ("type", "text"),
    ("category", "text"),
    ("display_name", "text"),
    ("mime_type", "text"),
    ("size_bytes", "bigint"),
    ("status", "text"),
    ("data", "jsonb"),
    ("workflow_run_id", "uuid"),
    ("workflow_id", "uuid"),
    ("job_run_id", "uuid"),
    ("created_by", "text"),
    ("created_at", "timestamptz"),
    ("published_at", "timestamptz"),
)


def at(seconds: float) -> datetime:
    """A fixed point in time: BASE_TIME plus ``seconds``."""
    return BASE_TIME + timedelta(seconds=seconds)


def uid(n: int) -> str:
    """A UUID whose order (Postgres and Python agree: bytewise) follows ``n``."""
    return str(uuid.UUID(int=(0xA << 124) | n))


@dataclass
class Run:
    """A workflow run with its workflow and (optional) job run, made through GraphQL."""

    workflow_id: str
    id: str
    job_run_id: str | None

    def link(self) -> dict[str, Any]:
        """Artifact columns that attach an artifact to this run (denormalized like publishing)."""
        return {
            "workflow_run_id": self.id,
            "workflow_id": self.workflow_id,
            "job_run_id": self.job_run_id,
        }


def make_run(
    client: Client,
    workflow: str = "etl",
    *,
    job_run_id: str | None = None,
    new_job: bool = False,
    status: str = "RUNNING",
) -> Run:
    wf = client(
        "mutation($n: String!) { createWorkflow(input: {name: $n}) { id } }", {"n": workflow}
    )["createWorkflow"]["id"]
    if new_job:
        job_run_id = client('mutation { createJobRun(input: {name: "job"}) { id } }')[
            "createJobRun"
        ]["id"]
    run = client(
        "mutation($w: ID!, $j: ID, $s: RunStatus!) { createWorkflowRun(input: "
        "{workflowId: $w, jobRunId: $j, status: $s}) { id } }",
        {"w": wf, "j": job_run_id, "s": status},
    )["createWorkflowRun"]["id"]
    return Run(workflow_id=wf, id=run, job_run_id=job_run_id)


@dataclass
class Seeder:
    """Inserts artifacts for one organization; ``n`` numbers them in creation order."""

    stack: Stack
    org_id: str
    n: int = 0
    ids: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        fetch(
            self.stack.owner_dsn,
            "INSERT INTO organizations (org_id) VALUES ($1) ON CONFLICT DO NOTHING",
            self.org_id,
        )

    def row(self, **values: Any) -> dict[str, Any]:
        """One row's values with defaults filled in (not inserted)."""
        self.n += 1
        status = values.get("status", "AVAILABLE")
        created = values.get("created_at", at(self.n))
        row: dict[str, Any] = {
            "id": uid(self.n),
            "key": None,
            "version": None,
            "is_latest": False,
            "type": "TEXT",
            "category": None,
            "display_name": f"file-{self.n}.txt",
            "mime_type": "text/plain",
            "size_bytes": self.n,
            "status": status,
            "data": None,
            "workflow_run_id": None,
            "workflow_id": None,
            "job_run_id": None,
            "created_by": "seed",
            "created_at": created,
            "published_at": created if status == "AVAILABLE" else None,
        }
        unknown = set(values) - set(row)
        assert not unknown, f"unknown artifact columns {unknown}"
        row.update(values)
        return row

    def insert(self, rows: list[dict[str, Any]]) -> list[str]:
        """Insert prepared rows in one statement; return their ids."""
        payload = orjson.dumps(rows, default=_json_default).decode()
        names = ", ".join(name for name, _ in _COLUMNS)
        types = ", ".join(f"{name} {pgtype}" for name, pgtype in _COLUMNS)
        fetch(
            self.stack.owner_dsn,
            f"INSERT INTO artifacts (org_id, {names}) "
            f"SELECT $1, {names} FROM jsonb_to_recordset($2::text::jsonb) AS x({types})",
            self.org_id,
            payload,
        )
        ids = [str(r["id"]) for r in rows]
        self.ids.extend(ids)
        return ids

    def add(self, **values: Any) -> str:
        """Insert one artifact; return its id."""
        return self.insert([self.row(**values)])[0]

    def versions(self, key: str, count: int, **values: Any) -> list[str]:
        """``count`` AVAILABLE versions of ``key``, oldest first; only the last is latest."""
        rows = [
            self.row(key=key, version=v, is_latest=(v == count), **values)
            for v in range(1, count + 1)
        ]
        return self.insert(rows)


def bulk_insert(stack: Stack, org_id: str, count: int, *, start: int = 0) -> None:
    """``count`` AVAILABLE artifacts in one INSERT ... SELECT generate_series.

    Row i gets id ``uid(i)``, created_at ``at(i)`` (seconds), size ``i % 97`` and, for every
    third row, key ``k-<i % 50>``; no versions (fast; for paging and plans).
    """
    fetch(
        stack.owner_dsn,
        "INSERT INTO organizations (org_id) VALUES ($1) ON CONFLICT DO NOTHING",
        org_id,
    )
    fetch(
        stack.owner_dsn,
        """INSERT INTO artifacts (org_id, id, key, type, display_name, mime_type, size_bytes,
                                  status, created_by, created_at, published_at)
           SELECT $1, ('a' || lpad(to_hex(i), 31, '0'))::uuid,
                  CASE WHEN i % 3 = 0 THEN 'k-' || (i % 50) END,
                  (ARRAY['TEXT','JSON','PNG','CSV'])[1 + i % 4], 'f' || i || '.txt', 'text/plain',
                  i % 97, 'AVAILABLE', 'seed', $2::timestamptz + make_interval(secs => i),
                  $2::timestamptz + make_interval(secs => i)
           FROM generate_series($3::int, $4::int) AS i""",
        org_id,
        BASE_TIME,
        start,
        start + count - 1,
    )


def bulk_ids(start: int, count: int) -> list[str]:
    return [uid(i) for i in range(start, start + count)]


def _json_default(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(type(value))


ARTIFACT_FIELDS = "id key version isLatest type category displayName mimeType sizeBytes status"


def ids_of(connection: dict[str, Any]) -> list[str]:
    return [node["id"] for node in connection["nodes"]]


def seed_tree(stack: Stack, org_id: str, parents: int) -> None:
    """``parents`` workflows, each with one run under its own job run; each run has three
    AVAILABLE artifacts: versions 1 and 2 (latest) of key ``k-<i>`` and one without a key."""
    fetch(
        stack.owner_dsn,
        "INSERT INTO organizations (org_id) VALUES ($1) ON CONFLICT DO NOTHING",
        org_id,
    )
    fetch(
        stack.owner_dsn,
        """WITH w AS (
               INSERT INTO workflows (org_id, name)
               SELECT $1, 'wf-' || i FROM generate_series(1, $2::int) AS i RETURNING id, name
           ), j AS (
               INSERT INTO job_runs (org_id, name, status)
               SELECT $1, 'job-' || i, 'RUNNING' FROM generate_series(1, $2::int) AS i
               RETURNING id, name
           ), r AS (
               INSERT INTO workflow_runs (org_id, workflow_id, job_run_id, name, status)
               SELECT $1, w.id, j.id, substr(w.name, 4), 'COMPLETED'
               FROM w JOIN j ON substr(w.name, 4) = substr(j.name, 5)
               RETURNING id, workflow_id, job_run_id, name
           )
           INSERT INTO artifacts (org_id, key, version, is_latest, type, display_name,
                                  mime_type, status, created_by, published_at,
                                  workflow_run_id, workflow_id, job_run_id)
           SELECT $1, CASE WHEN v < 3 THEN 'k-' || r.name END, CASE WHEN v < 3 THEN v END,
                  v = 2, 'TEXT', 'f.txt', 'text/plain', 'AVAILABLE', 'seed', now(),
                  r.id, r.workflow_id, r.job_run_id
           FROM r CROSS JOIN generate_series(1, 3) AS v""",
        org_id,
        parents,
    )
