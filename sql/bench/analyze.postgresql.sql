-- Fresh statistics after seeding, and the visibility map set, as autovacuum has long done for
-- rows that finished months ago. FREEZE because a plain first VACUUM after the bulk load marked
-- only 13 897 of 90 910 pages all-visible here, so index-only scans still read the heap.
VACUUM (FREEZE, ANALYZE) task_runs
