-- The sweep of objects no row refers to (cairn/services/sweeper.py), starting with
-- staging/: an upload URL stays valid after its upload was completed (or a replayed
-- beginArtifactUpload hands out a fresh one), so bytes PUT through it land in
-- staging/<id> with no PENDING row that will ever publish or remove them.
--
-- cairn_pending_uploads() tells the sweep which of the ids it found in storage still
-- belong to a PENDING upload, in any organization (cairn_app sees one organization per
-- transaction). Like cairn_stale_artifacts (0004), it is SECURITY DEFINER, sees rows only
-- through the owner's stale_upload_sweep policy while cairn.sweep is 'on', and returns
-- ids only: a subset of the ids it was given, at most 10,000 of them.

CREATE FUNCTION cairn_pending_uploads(p_ids uuid[])
RETURNS TABLE (id uuid)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
BEGIN
    PERFORM set_config('cairn.sweep', 'on', true);
    RETURN QUERY
    SELECT a.id FROM public.artifacts a
    WHERE a.status = 'PENDING' AND a.id = ANY ((coalesce(p_ids, '{}'::uuid[]))[1:10000]);
    PERFORM set_config('cairn.sweep', '', true);
END
$$;

REVOKE ALL ON FUNCTION cairn_pending_uploads(uuid[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cairn_pending_uploads(uuid[]) TO cairn_app;
