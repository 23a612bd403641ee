-- golang-migrate's history: the one row of its schema_migrations table, the version the
-- database is at and whether the migration to it stopped half-way (dirty). The table as
-- golang-migrate creates it (database/postgres, database/mysql, database/sqlite3):
-- version BIGINT NOT NULL PRIMARY KEY, dirty BOOLEAN NOT NULL. Read by 'migrate adopt'.
SELECT version, CASE WHEN dirty THEN 1 ELSE 0 END AS dirty
FROM schema_migrations
