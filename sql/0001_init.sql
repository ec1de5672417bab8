-- Cairn's data model. Every table carries org_id; row-level security confines each
-- transaction to the organization named by set_config('cairn.org_id', ..., true).
-- Unique and foreign keys include org_id so constraint checks cannot reveal rows of
-- another organization.

CREATE TABLE organizations (
    org_id      text PRIMARY KEY CHECK (org_id ~ '^[A-Za-z0-9_-]{1,64}$'),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE workflows (
    org_id      text NOT NULL REFERENCES organizations (org_id),
    id          uuid NOT NULL DEFAULT gen_random_uuid(),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description text,
    tags        text[] NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (org_id, id),
    UNIQUE (org_id, name)
);
CREATE INDEX workflows_page ON workflows (org_id, created_at DESC, id DESC);
CREATE INDEX workflows_tags ON workflows USING gin (tags);

CREATE TABLE job_runs (
    org_id      text NOT NULL REFERENCES organizations (org_id),
    id          uuid NOT NULL DEFAULT gen_random_uuid(),
    name        text,
    status      text NOT NULL CHECK (status IN ('PENDING','RUNNING','COMPLETED','FAILED','CANCELLED')),
    metadata    jsonb NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    started_at  timestamptz,
    ended_at    timestamptz,
    PRIMARY KEY (org_id, id)
);
CREATE INDEX job_runs_page ON job_runs (org_id, created_at DESC, id DESC);

CREATE TABLE workflow_runs (
    org_id      text NOT NULL REFERENCES organizations (org_id),
    id          uuid NOT NULL DEFAULT gen_random_uuid(),
    workflow_id uuid NOT NULL,
    job_run_id  uuid,
    name        text,
    status      text NOT NULL CHECK (status IN ('PENDING','RUNNING','COMPLETED','FAILED','CANCELLED')),
    parameters  jsonb NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    started_at  timestamptz,
    ended_at    timestamptz,
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, workflow_id) REFERENCES workflows (org_id, id),
    FOREIGN KEY (org_id, job_run_id) REFERENCES job_runs (org_id, id)
);
CREATE INDEX workflow_runs_page ON workflow_runs (org_id, created_at DESC, id DESC);
CREATE INDEX workflow_runs_by_workflow ON workflow_runs (org_id, workflow_id, created_at DESC, id DESC);
CREATE INDEX workflow_runs_by_job ON workflow_runs (org_id, job_run_id, created_at DESC, id DESC);

CREATE TABLE artifacts (
    org_id          text NOT NULL REFERENCES organizations (org_id),
    id              uuid NOT NULL DEFAULT gen_random_uuid(),
    key             text CHECK (key ~ '^[a-z0-9]([a-z0-9-]{0,198}[a-z0-9])?$'),
    version         integer CHECK (version >= 1),
    is_latest       boolean NOT NULL DEFAULT false,
    type            text NOT NULL,
    category        text,
    display_name    text NOT NULL,
    description     text,
    mime_type       text NOT NULL,
    size_bytes      bigint NOT NULL DEFAULT 0 CHECK (size_bytes >= 0),
    sha256          text NOT NULL DEFAULT '',
    status          text NOT NULL CHECK (status IN ('PENDING','AVAILABLE','FAILED')),
    data            jsonb,
    metadata        jsonb NOT NULL DEFAULT '{}',
    storage_path    text,
    staging_path    text,
    workflow_run_id uuid,
    workflow_id     uuid,
    job_run_id      uuid,
    created_by      text NOT NULL,
    idempotency_key text,
    request_hash    text,
    created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    published_at    timestamptz,
    PRIMARY KEY (org_id, id),
    UNIQUE (org_id, key, version),
    UNIQUE (org_id, idempotency_key),
    FOREIGN KEY (org_id, workflow_run_id) REFERENCES workflow_runs (org_id, id),
    FOREIGN KEY (org_id, workflow_id) REFERENCES workflows (org_id, id),
    FOREIGN KEY (org_id, job_run_id) REFERENCES job_runs (org_id, id),
    CHECK ((status = 'AVAILABLE') = (published_at IS NOT NULL)),
    CHECK (version IS NULL OR key IS NOT NULL)
);
CREATE INDEX artifacts_page ON artifacts (org_id, created_at DESC, id DESC);
CREATE INDEX artifacts_by_run ON artifacts (org_id, workflow_run_id, created_at DESC, id DESC);
CREATE INDEX artifacts_by_workflow ON artifacts (org_id, workflow_id, created_at DESC, id DESC);
CREATE INDEX artifacts_by_job ON artifacts (org_id, job_run_id, created_at DESC, id DESC);
CREATE INDEX artifacts_by_key ON artifacts (org_id, key, version DESC) WHERE key IS NOT NULL;
CREATE INDEX artifacts_latest ON artifacts (org_id, created_at DESC, id DESC) WHERE is_latest;
CREATE INDEX artifacts_by_type ON artifacts (org_id, type, created_at DESC, id DESC);
CREATE INDEX artifacts_by_size ON artifacts (org_id, size_bytes DESC, id DESC);
CREATE INDEX artifacts_pending ON artifacts (org_id, updated_at) WHERE status = 'PENDING';

-- Per-key version counter: locked and bumped in the publishing transaction, so
-- versions are gapless and unique across replicas.
CREATE TABLE artifact_keys (
    org_id       text NOT NULL REFERENCES organizations (org_id),
    key          text NOT NULL,
    last_version integer NOT NULL CHECK (last_version >= 1),
    PRIMARY KEY (org_id, key)
);

-- The role the service runs as: owns nothing, cannot bypass RLS.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cairn_app') THEN
        CREATE ROLE cairn_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
END
$$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['organizations','workflows','job_runs','workflow_runs','artifacts','artifact_keys']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format(
            'CREATE POLICY org_isolation ON %I USING (org_id = NULLIF(current_setting(''cairn.org_id'', true), '''')) '
            'WITH CHECK (org_id = NULLIF(current_setting(''cairn.org_id'', true), ''''))', t);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO cairn_app', t);
    END LOOP;
END
$$;
