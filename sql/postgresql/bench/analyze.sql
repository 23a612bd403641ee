-- Fresh statistics after seeding, and the visibility map set, as after an autovacuum.
VACUUM ANALYZE task_runs
