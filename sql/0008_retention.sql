-- Retention, storage accounting and the garbage collection of `cairn gc`
-- (cairn/services/sweeper.py, cairn/services/retention.py).
--
-- * workflows.retention_days: the default lifetime of the workflow's artifacts (NULL: the
--   service default CAIRN_RETENTION_DAYS; 0: keep forever).
-- * artifacts.expires_at: when the artifact expires (NULL: never). Listings, counts and
--   signed URLs leave out expired artifacts at once; the sweep deletes them later.
-- * artifacts.object_missing_at: set by the garbage collection when an AVAILABLE file's
--   object is not in storage (a restore of the database without the bucket); signedUrl
--   then answers OBJECT_MISSING instead of a dead URL. Cleared when the object is back.
-- * storage_usage: per (organization, type, workflow) counters of AVAILABLE artifacts,
--   maintained by a trigger in the same transaction as every publish and delete.

ALTER TABLE workflows ADD COLUMN retention_days integer
    CHECK (retention_days BETWEEN 0 AND 36500);
ALTER TABLE artifacts ADD COLUMN expires_at timestamptz;
ALTER TABLE artifacts ADD COLUMN object_missing_at timestamptz;

-- The sweep finds expired artifacts oldest first, per organization or globally.
CREATE INDEX artifacts_expiry ON artifacts (org_id, expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX artifacts_expiry_global ON artifacts (expires_at) WHERE expires_at IS NOT NULL;

-- workflow_key: the artifact's workflow, or the nil UUID outside a run (a primary key
-- cannot hold NULL).
CREATE TABLE storage_usage (
    org_id         text NOT NULL REFERENCES organizations (org_id),
    type           text NOT NULL,
    workflow_key   uuid NOT NULL,
    artifact_count bigint NOT NULL DEFAULT 0,
    total_bytes    bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, type, workflow_key)
);
CREATE INDEX storage_usage_by_workflow ON storage_usage (org_id, workflow_key);

-- What is already published. FORCE ROW LEVEL SECURITY would hide every artifact from a
-- non-superuser owner, so it is lifted for this one statement (inside the migration's
-- transaction: no other session ever sees it lifted).
ALTER TABLE artifacts NO FORCE ROW LEVEL SECURITY;
INSERT INTO storage_usage (org_id, type, workflow_key, artifact_count, total_bytes)
SELECT org_id, type, coalesce(workflow_id, '00000000-0000-0000-0000-000000000000'),
       count(*), coalesce(sum(size_bytes), 0)
FROM artifacts WHERE status = 'AVAILABLE'
GROUP BY 1, 2, 3;
ALTER TABLE artifacts FORCE ROW LEVEL SECURITY;

ALTER TABLE storage_usage ENABLE ROW LEVEL SECURITY;
ALTER TABLE storage_usage FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON storage_usage
    USING (org_id = NULLIF(current_setting('cairn.org_id', true), ''))
    WITH CHECK (org_id = NULLIF(current_setting('cairn.org_id', true), ''));
GRANT SELECT, INSERT, UPDATE, DELETE ON storage_usage TO cairn_app;

-- Runs as the caller (the service role, org-scoped): the counter row it touches is the
-- changed artifact's own organization's.
CREATE FUNCTION cairn_count_usage() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'AVAILABLE' THEN
        UPDATE public.storage_usage
        SET artifact_count = artifact_count - 1, total_bytes = total_bytes - OLD.size_bytes
        WHERE org_id = OLD.org_id AND type = OLD.type
          AND workflow_key = coalesce(OLD.workflow_id, '00000000-0000-0000-0000-000000000000');
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'AVAILABLE' THEN
        INSERT INTO public.storage_usage AS u (org_id, type, workflow_key, artifact_count, total_bytes)
        VALUES (NEW.org_id, NEW.type,
                coalesce(NEW.workflow_id, '00000000-0000-0000-0000-000000000000'), 1, NEW.size_bytes)
        ON CONFLICT (org_id, type, workflow_key) DO UPDATE
        SET artifact_count = u.artifact_count + 1, total_bytes = u.total_bytes + EXCLUDED.total_bytes;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER artifacts_count_usage
AFTER INSERT OR DELETE OR UPDATE OF status, size_bytes, type, workflow_id ON artifacts
FOR EACH ROW EXECUTE FUNCTION cairn_count_usage();

-- The sweep's looks across organizations, like cairn_stale_artifacts (0004): SECURITY
-- DEFINER, rows visible to the owner only through these policies and only while
-- cairn.sweep is 'on', ids only.
CREATE POLICY expired_sweep ON artifacts AS PERMISSIVE FOR SELECT TO CURRENT_USER
    USING (current_setting('cairn.sweep', true) = 'on' AND expires_at IS NOT NULL);
CREATE POLICY organizations_sweep ON organizations AS PERMISSIVE FOR SELECT TO CURRENT_USER
    USING (current_setting('cairn.sweep', true) = 'on');

-- (org_id, id) of expired artifacts, oldest expiry first, at most p_limit (<= 10,000).
CREATE FUNCTION cairn_expired_artifacts(p_limit integer)
RETURNS TABLE (org_id text, id uuid)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
DECLARE
    n integer := least(greatest(coalesce(p_limit, 0), 0), 10000);
BEGIN
    PERFORM set_config('cairn.sweep', 'on', true);
    RETURN QUERY
    SELECT a.org_id, a.id FROM public.artifacts a
    WHERE a.expires_at IS NOT NULL AND a.expires_at <= now()
    ORDER BY a.expires_at, a.org_id, a.id
    LIMIT n;
    PERFORM set_config('cairn.sweep', '', true);
END
$$;

-- Every organization's id (the garbage collection checks each one's objects).
CREATE FUNCTION cairn_organization_ids()
RETURNS TABLE (org_id text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
BEGIN
    PERFORM set_config('cairn.sweep', 'on', true);
    RETURN QUERY SELECT o.org_id FROM public.organizations o ORDER BY o.org_id;
    PERFORM set_config('cairn.sweep', '', true);
END
$$;

REVOKE ALL ON FUNCTION cairn_expired_artifacts(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cairn_expired_artifacts(integer) TO cairn_app;
REVOKE ALL ON FUNCTION cairn_organization_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cairn_organization_ids() TO cairn_app;
