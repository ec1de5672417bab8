-- The service role may read which migrations are applied (never change them), so a
-- service that logs in as a non-owner can check the schema is current at start-up.
GRANT SELECT ON cairn_migrations TO cairn_app;
