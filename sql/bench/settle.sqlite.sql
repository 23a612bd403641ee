-- Before each timed phase: copy the WAL into the database file and empty it, so that the
-- single DELETE and the purge start from the same state.
PRAGMA wal_checkpoint(TRUNCATE)
