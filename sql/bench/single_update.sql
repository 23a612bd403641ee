-- The physical limit for a reset, recover or undo of every run of :kind: one UPDATE of their
-- status, finish time and note, with no journal and no batches.
UPDATE task_runs
SET status = :to_status, finished_at = :now, error = 'bench: one UPDATE'
WHERE status = 'running' AND kind = :kind
