-- The global sweep of failed and abandoned uploads (cairn/services/sweeper.py).
--
-- The service role cairn_app sees one organization per transaction, so it cannot find
-- other organizations' leftovers. cairn_stale_artifacts() does that one thing for it:
-- SECURITY DEFINER (runs as the owner, the role applying this migration), it returns only
-- (org_id, id) of
--   * PENDING artifacts untouched since before now() - p_older_than (abandoned uploads), and
--   * FAILED artifacts that still hold a staging_path (objects a failed clean-up left),
-- oldest first, at most p_limit (capped at 10,000). No content column leaves it. The sweep
-- then handles each organization in its ordinary org-scoped transactions, re-checking
-- every condition there under row-level security.
--
-- FORCE ROW LEVEL SECURITY applies to the table owner too (unless it is a superuser or has
-- BYPASSRLS), so a non-superuser owner would see no rows inside the function. The policy
-- below lets the owner role, and no other, read PENDING and FAILED artifacts, and only
-- while cairn.sweep is 'on': the function turns it on around its query and off again.
-- (set_config at run time: a SET clause on the function would need superuser for a
-- custom parameter.)
-- Policies apply to members of the named role; cairn_app and the service login are not
-- members of the owner. A service transaction runs as cairn_app, so this policy never
-- applies to it, whatever it sets cairn.sweep to.

CREATE POLICY stale_upload_sweep ON artifacts AS PERMISSIVE FOR SELECT TO CURRENT_USER
    USING (current_setting('cairn.sweep', true) = 'on' AND status IN ('PENDING', 'FAILED'));

-- FAILED rows keeping an object key: few, found per organization (beginArtifactUpload)
-- and globally (the function); artifacts_pending (0001) serves the PENDING half.
CREATE INDEX artifacts_leftovers ON artifacts (org_id, updated_at)
    WHERE status = 'FAILED' AND staging_path IS NOT NULL;

CREATE FUNCTION cairn_stale_artifacts(p_older_than interval, p_limit integer)
RETURNS TABLE (org_id text, id uuid)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
DECLARE
    n integer := least(greatest(coalesce(p_limit, 0), 0), 10000);
BEGIN
    PERFORM set_config('cairn.sweep', 'on', true);
    RETURN QUERY
    SELECT s.org_id, s.id FROM (
        (SELECT a.org_id, a.id, a.updated_at FROM public.artifacts a
         WHERE a.status = 'PENDING' AND a.updated_at < now() - p_older_than
         ORDER BY a.updated_at LIMIT n)
        UNION ALL
        (SELECT a.org_id, a.id, a.updated_at FROM public.artifacts a
         WHERE a.status = 'FAILED' AND a.staging_path IS NOT NULL
         ORDER BY a.updated_at LIMIT n)
    ) s
    ORDER BY s.updated_at, s.org_id, s.id
    LIMIT n;
    PERFORM set_config('cairn.sweep', '', true);
END
$$;

REVOKE ALL ON FUNCTION cairn_stale_artifacts(interval, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cairn_stale_artifacts(interval, integer) TO cairn_app;
