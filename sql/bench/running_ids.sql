-- The live runs the benchmark's worker heartbeats.
SELECT id FROM task_runs WHERE status = 'running' AND kind = 'live'
