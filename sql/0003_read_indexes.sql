-- Indexes for the artifact sorts that 0001 left to a Sort node over the organization's
-- rows. Each matches an ORDER BY of cairn/db/where.py's SORTS expression for expression
-- (and the keyset cursor's row comparison), so a page is an ordered index scan that stops
-- after first + 1 rows. Checked by tests/test_query_plans.py.

-- KEY_ASC: (key IS NULL, coalesce(key, '') COLLATE "C", coalesce(version, 0), id).
-- Also serves latestArtifacts(sort: KEY_ASC) when there are many keys (is_latest filtered).
CREATE INDEX artifacts_key_order ON artifacts
    (org_id, (key IS NULL), (coalesce(key, '') COLLATE "C"), (coalesce(version, 0)), id);

-- VERSION_DESC over all artifacts: (coalesce(version, 0), created_at, id) descending.
CREATE INDEX artifacts_version_order ON artifacts
    (org_id, (coalesce(version, 0)) DESC, created_at DESC, id DESC);

-- Artifact.versions: the versions of one key, VERSION_DESC. It also answers every lookup
-- by key that artifacts_by_key (org_id, key, version DESC) did, so that one goes.
CREATE INDEX artifacts_key_versions ON artifacts
    (org_id, key, (coalesce(version, 0)) DESC, created_at DESC, id DESC)
    WHERE key IS NOT NULL;
DROP INDEX artifacts_by_key;
