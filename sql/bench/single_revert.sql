-- The physical limit for an undo of the change single_update.sql made: one UPDATE that puts the
-- same runs back (running, no finish time, no note), with no journal and no batches, on the
-- table as that change left it (its old row versions and index entries still there), which is
-- the table an undo finds after a reset.
UPDATE task_runs
SET status = 'running', finished_at = NULL, error = NULL
WHERE status = :from_status AND kind = :kind
