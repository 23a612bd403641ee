-- Accepts the current text of an applied migration as its new checksum (repair --accept-changed).
UPDATE taskwarden_schema_migrations
SET checksum = :checksum
WHERE migration_set = :migration_set AND version = :version
