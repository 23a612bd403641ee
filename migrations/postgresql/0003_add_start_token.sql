-- The claim of one call to start a run: a random token the starting worker writes with the
-- running status. A start whose COMMIT was lost reads it back to learn whether it was its own
-- start that landed, instead of leaving the caller with an unknown outcome.

-- taskwarden:up
ALTER TABLE task_runs ADD COLUMN start_token VARCHAR(64);

-- taskwarden:down
ALTER TABLE task_runs DROP COLUMN start_token;
