"""Seed rows straight into PostgreSQL as the table owner, with ``generate_series``.

The rows satisfy the table's CHECK constraints the way publishing leaves them: AVAILABLE
with ``published_at``, versions only with a key, one ``is_latest`` row per key, and the
per-key counter in ``artifact_keys``.
"""

from __future__ import annotations

from bench.stack import Stack

SHA = "0" * 64


def organization(stack: Stack, org_id: str) -> None:
    stack.sql("INSERT INTO organizations (org_id) VALUES ($1) ON CONFLICT DO NOTHING", org_id)


def nested(stack: Stack, org_id: str, workflows: int, runs: int, artifacts: int) -> None:
    """W1: ``workflows`` x ``runs`` per workflow x ``artifacts`` per run."""
    organization(stack, org_id)
    stack.sql(
        """INSERT INTO workflows (org_id, name, created_at)
           SELECT $1, 'wf-' || i, timestamptz '2025-01-01' + i * interval '1 second'
           FROM generate_series(1, $2) i""",
        org_id,
        workflows,
    )
    stack.sql(
        """INSERT INTO workflow_runs (org_id, workflow_id, status, created_at)
           SELECT $1, w.id, 'COMPLETED', w.created_at + r * interval '1 millisecond'
           FROM workflows w, generate_series(1, $2) r WHERE w.org_id = $1""",
        org_id,
        runs,
    )
    stack.sql(
        """INSERT INTO artifacts (org_id, type, display_name, mime_type, size_bytes, sha256,
               status, workflow_run_id, workflow_id, created_by, created_at, published_at,
               storage_path)
           SELECT $1, 'TEXT', 'a-' || a || '.txt', 'text/plain', 100, $3, 'AVAILABLE',
               r.id, r.workflow_id, 'bench', r.created_at + a * interval '1 microsecond',
               now(), 'cairn-bench/seeded/' || gen_random_uuid()
           FROM workflow_runs r, generate_series(1, $2) a WHERE r.org_id = $1""",
        org_id,
        artifacts,
        SHA,
    )


def many(stack: Stack, org_id: str, count: int) -> None:
    """W2/W4: ``count`` file artifacts, alternately CSV and PNG, sizes scattered."""
    organization(stack, org_id)
    stack.sql(
        """INSERT INTO artifacts (org_id, type, display_name, mime_type, size_bytes, sha256,
               status, created_by, created_at, published_at, storage_path)
           SELECT $1,
               CASE WHEN i % 2 = 0 THEN 'CSV' ELSE 'PNG' END,
               'file-' || i || CASE WHEN i % 2 = 0 THEN '.csv' ELSE '.png' END,
               CASE WHEN i % 2 = 0 THEN 'text/csv' ELSE 'image/png' END,
               (i * 7919) % 1000003, $3, 'AVAILABLE', 'bench',
               timestamptz '2025-01-01' + i * interval '1 millisecond', now(),
               'cairn-bench/orgs/' || $1 || '/artifacts/' || i
           FROM generate_series(1, $2) i""",
        org_id,
        count,
        SHA,
    )


def versions(stack: Stack, org_id: str, keys: int, per_key: int) -> None:
    """W6: ``keys`` keys with ``per_key`` versions each; the last one is the latest."""
    organization(stack, org_id)
    stack.sql(
        """INSERT INTO artifacts (org_id, key, version, is_latest, type, display_name,
               mime_type, size_bytes, sha256, status, created_by, created_at, published_at,
               storage_path)
           SELECT $1, 'key-' || k, v, v = $3, 'TEXT', 'k-' || k || '.txt', 'text/plain', 10,
               $4, 'AVAILABLE', 'bench',
               timestamptz '2025-01-01' + (v * 1000 + k) * interval '1 millisecond', now(),
               'cairn-bench/seeded/' || k || '-' || v
           FROM generate_series(1, $2) k, generate_series(1, $3) v""",
        org_id,
        keys,
        per_key,
        SHA,
    )
    stack.sql(
        """INSERT INTO artifact_keys (org_id, key, last_version)
           SELECT $1, 'key-' || k, $3 FROM generate_series(1, $2) k""",
        org_id,
        keys,
        per_key,
    )


def analyze(stack: Stack) -> None:
    stack.sql("ANALYZE")
