-- A running run for the benchmark: live (a fresh heartbeat) or stuck (started long ago).
INSERT INTO task_runs (kind, status, attempt, max_attempts, worker, started_at, heartbeat_at)
VALUES (:kind, 'running', 1, 3, 'bench-worker', :started_at, :heartbeat_at)
