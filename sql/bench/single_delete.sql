-- The physical limit for one statement: every purgeable row in one DELETE.
DELETE FROM task_runs
WHERE (status = 'succeeded' AND finished_at < :succeeded_cutoff)
   OR (status = 'failed' AND finished_at < :failed_cutoff)
