-- The audit trail (cairn/services/audit.py): who minted which signed URL, published,
-- failed, updated, deleted or revoked which artifact, and when.
--
-- Append-only for the service: cairn_app may SELECT and INSERT (its organization's rows,
-- under forced row-level security like every table) and nothing else; UPDATE and DELETE
-- are not granted. Old events are pruned only by cairn_prune_audit_events() below:
-- SECURITY DEFINER (it runs as the owner, the role applying this migration), it deletes
-- events older than the retention it is given and nothing else. As in 0004, FORCE ROW
-- LEVEL SECURITY applies to a non-superuser owner too, so the owner's audit_prune policy
-- (SELECT and DELETE) let it see and delete rows only while cairn.audit_prune is 'on', which the function sets around
-- its DELETE. cairn_app is not a member of the owner role: they never apply to it.
--
-- artifact_id has no foreign key on purpose: events outlive the artifacts they name.

CREATE TABLE audit_events (
    org_id      text NOT NULL REFERENCES organizations (org_id),
    id          uuid NOT NULL DEFAULT gen_random_uuid(),
    action      text NOT NULL CHECK (action ~ '^[a-z]+\.[a-z_]+$'),
    subject     text NOT NULL,
    artifact_id uuid,
    request_id  text NOT NULL,
    details     jsonb NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (org_id, id)
);
CREATE INDEX audit_events_page ON audit_events (org_id, created_at DESC, id DESC);
CREATE INDEX audit_events_by_artifact ON audit_events (org_id, artifact_id, created_at DESC, id DESC)
    WHERE artifact_id IS NOT NULL;
CREATE INDEX audit_events_age ON audit_events (created_at);

ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON audit_events
    USING (org_id = NULLIF(current_setting('cairn.org_id', true), ''))
    WITH CHECK (org_id = NULLIF(current_setting('cairn.org_id', true), ''));
-- DELETE ... WHERE needs the rows visible to SELECT policies too: one policy for each.
CREATE POLICY audit_prune_read ON audit_events AS PERMISSIVE FOR SELECT TO CURRENT_USER
    USING (current_setting('cairn.audit_prune', true) = 'on');
CREATE POLICY audit_prune ON audit_events AS PERMISSIVE FOR DELETE TO CURRENT_USER
    USING (current_setting('cairn.audit_prune', true) = 'on');

REVOKE ALL ON audit_events FROM cairn_app;
GRANT SELECT, INSERT ON audit_events TO cairn_app;

CREATE FUNCTION cairn_prune_audit_events(p_older_than interval, p_limit integer)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
DECLARE
    n integer := least(greatest(coalesce(p_limit, 0), 0), 100000);
    removed integer;
BEGIN
    IF p_older_than IS NULL OR p_older_than < interval '1 day' THEN
        RAISE EXCEPTION 'audit events are kept at least one day';
    END IF;
    PERFORM set_config('cairn.audit_prune', 'on', true);
    DELETE FROM public.audit_events a
    WHERE (a.org_id, a.id) IN (
        SELECT e.org_id, e.id FROM public.audit_events e
        WHERE e.created_at < now() - p_older_than
        ORDER BY e.created_at LIMIT n);
    GET DIAGNOSTICS removed = ROW_COUNT;
    PERFORM set_config('cairn.audit_prune', '', true);
    RETURN removed;
END
$$;

REVOKE ALL ON FUNCTION cairn_prune_audit_events(interval, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cairn_prune_audit_events(interval, integer) TO cairn_app;
