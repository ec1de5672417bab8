"""The database schema's safety properties, read from the catalogs after migration."""

from __future__ import annotations

from tests.support.stack import Stack, fetch

# Tables that hold no organization's data.
NOT_TENANT_TABLES = {"cairn_migrations", "persisted_documents"}
APP_ROLE = "cairn_app"
SERVICE_ROLE = "cairn_service"


def _tables(stack: Stack) -> dict[str, bool]:
    """Every ordinary or partitioned table in public -> whether it has an org_id column."""
    rows = fetch(
        stack.owner_dsn,
        """SELECT c.relname,
                  EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
                          AND a.attname = 'org_id' AND NOT a.attisdropped) AS has_org
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')""",
    )
    return {r["relname"]: r["has_org"] for r in rows}


def test_every_table_carries_org_id(stack: Stack) -> None:
    tables = _tables(stack)
    assert {"organizations", "workflows", "job_runs", "workflow_runs", "artifacts"} <= set(tables)
    missing = sorted(t for t, has in tables.items() if not has and t not in NOT_TENANT_TABLES)
    assert missing == []


def test_every_org_table_has_forced_row_level_security(stack: Stack) -> None:
    rows = fetch(
        stack.owner_dsn,
        """SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'org_id'
           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT a.attisdropped""",
    )
    assert len(rows) >= 6
    weak = [r["relname"] for r in rows if not (r["relrowsecurity"] and r["relforcerowsecurity"])]
    assert weak == []


def test_every_org_table_has_an_org_policy_for_reads_and_writes(stack: Stack) -> None:
    tables = {t for t, has in _tables(stack).items() if has}
    rows = fetch(
        stack.owner_dsn,
        "SELECT tablename, cmd, qual, with_check, roles FROM pg_policies WHERE schemaname = 'public'",
    )
    guarded = set()
    for r in rows:
        if (
            r["cmd"] == "ALL"
            and "cairn.org_id" in (r["qual"] or "")
            and "cairn.org_id" in (r["with_check"] or "")
        ):
            guarded.add(r["tablename"])
    assert sorted(tables - guarded) == []
    # No permissive escape hatch beside it (another policy would OR with it), except the
    # sweep's (sql/0004_sweeper.sql, sql/0008_retention.sql): reads only, only for the
    # owner role (never the service's), only while its SECURITY DEFINER functions run:
    # PENDING/FAILED rows, expiring rows, and organization ids. And the audit trail's
    # pruning (sql/0009_audit.sql): read and delete, only for the owner role, only while
    # cairn_prune_audit_events runs.
    loose = sorted(
        (r for r in rows if "cairn.org_id" not in (r["qual"] or "")),
        key=lambda r: (r["tablename"], r["cmd"], r["qual"]),
    )
    assert [(r["tablename"], r["cmd"]) for r in loose] == [
        ("artifacts", "SELECT"),
        ("artifacts", "SELECT"),
        ("audit_events", "DELETE"),
        ("audit_events", "SELECT"),
        ("organizations", "SELECT"),
    ]
    prune = "(current_setting('cairn.audit_prune'::text, true) = 'on'::text)"
    assert [r["qual"] for r in loose] == [
        "((current_setting('cairn.sweep'::text, true) = 'on'::text) AND (expires_at IS NOT NULL))",
        "((current_setting('cairn.sweep'::text, true) = 'on'::text) AND "
        "(status = ANY (ARRAY['PENDING'::text, 'FAILED'::text])))",
        prune,
        prune,
        "(current_setting('cairn.sweep'::text, true) = 'on'::text)",
    ]
    for policy in loose:
        assert not {"public", "cairn_app", "cairn_service"} & set(policy["roles"])


def test_service_roles_are_ordinary_and_own_nothing(stack: Stack) -> None:
    roles = fetch(
        stack.owner_dsn,
        "SELECT rolname, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolcanlogin "
        "FROM pg_roles WHERE rolname = ANY($1::text[]) ORDER BY rolname",
        [APP_ROLE, SERVICE_ROLE],
    )
    assert [tuple(r.values()) for r in roles] == [
        (APP_ROLE, False, False, False, False, False),
        (SERVICE_ROLE, False, False, False, False, True),
    ]
    owned = fetch(
        stack.owner_dsn,
        """SELECT c.relname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
           WHERE r.rolname = ANY($1::text[])""",
        [APP_ROLE, SERVICE_ROLE],
    )
    assert owned == []
    # The service login gets its rights only through cairn_app.
    memberships = fetch(
        stack.owner_dsn,
        """SELECT g.rolname FROM pg_auth_members m
           JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
           WHERE u.rolname = $1""",
        SERVICE_ROLE,
    )
    assert [r["rolname"] for r in memberships] == [APP_ROLE]


def test_app_role_cannot_alter_or_disable_security(stack: Stack) -> None:
    rows = fetch(
        stack.owner_dsn,
        """SELECT c.relname,
                  has_table_privilege($1, c.oid, 'TRUNCATE') AS can_truncate,
                  has_table_privilege($1, c.oid, 'REFERENCES') AS can_reference,
                  has_table_privilege($1, c.oid, 'TRIGGER') AS can_trigger
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')""",
        APP_ROLE,
    )
    assert [r["relname"] for r in rows if any(list(r.values())[1:])] == []


def test_unique_and_foreign_keys_include_org_id(stack: Stack) -> None:
    rows = fetch(
        stack.owner_dsn,
        """SELECT con.conname, con.contype::text AS contype, cl.relname,
                  (SELECT array_agg(a.attname::text) FROM pg_attribute a
                   WHERE a.attrelid = con.conrelid AND a.attnum = ANY(con.conkey)) AS cols,
                  (SELECT array_agg(a.attname::text) FROM pg_attribute a
                   WHERE a.attrelid = con.confrelid AND a.attnum = ANY(con.confkey)) AS refcols
           FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid
           JOIN pg_namespace n ON n.oid = cl.relnamespace
           WHERE n.nspname = 'public' AND con.contype IN ('p', 'u', 'f', 'x')
             AND cl.relname <> ALL($1::text[])""",
        sorted(NOT_TENANT_TABLES),
    )
    kinds = {r["contype"] for r in rows}
    assert {"p", "u", "f"} <= kinds
    bad = [
        (r["relname"], r["conname"])
        for r in rows
        if "org_id" not in r["cols"] or (r["contype"] == "f" and "org_id" not in r["refcols"])
    ]
    assert bad == []


def test_unique_indexes_include_org_id(stack: Stack) -> None:
    rows = fetch(
        stack.owner_dsn,
        """SELECT i.indexrelid::regclass::text AS index, cl.relname,
                  (SELECT array_agg(a.attname::text) FROM pg_attribute a
                   WHERE a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)) AS cols
           FROM pg_index i JOIN pg_class cl ON cl.oid = i.indrelid
           JOIN pg_namespace n ON n.oid = cl.relnamespace
           WHERE n.nspname = 'public' AND i.indisunique
             AND cl.relname <> ALL($1::text[])""",
        sorted(NOT_TENANT_TABLES),
    )
    assert rows
    assert [r["index"] for r in rows if "org_id" not in (r["cols"] or [])] == []
