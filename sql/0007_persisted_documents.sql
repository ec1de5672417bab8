-- Persisted GraphQL documents: Apollo automatic persisted queries (APQ) and trusted
-- documents (CAIRN_PERSISTED_QUERIES=only), keyed by the sha256 hex of their text.
--
-- Global, not per organization: a document is query text that any client of the same
-- schema may send (Apollo's PersistedQueryLink expects a hash to mean one text everywhere),
-- it holds no organization's data, and it runs with the caller's token, so the rows it reads
-- are still confined by row-level security. Hence no org_id and no org policy.
--
-- The app role may only read and add APQ documents: it cannot change or remove one, nor add
-- a trusted one (no INSERT on `trusted`, whose default is false). Trusted documents are
-- registered by `cairn documents register`, connected as the database owner (the role that
-- runs migrations). A hash registered both ways has two rows; readers prefer the trusted one.
CREATE TABLE persisted_documents (
    sha256     text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    trusted    boolean     NOT NULL DEFAULT false,
    body       text        NOT NULL CHECK (length(body) BETWEEN 1 AND 1048576),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (sha256, trusted)
);

GRANT SELECT ON persisted_documents TO cairn_app;
GRANT INSERT (sha256, body) ON persisted_documents TO cairn_app;
