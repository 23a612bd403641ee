-- Fresh statistics after seeding, and the visibility map set, as autovacuum has long done for
-- results that finished days ago (see analyze.postgresql.sql).
VACUUM (FREEZE, ANALYZE) celery_taskmeta
