-- What a worker does while the purge runs: a heartbeat with progress on one of its live runs.
UPDATE task_runs SET heartbeat_at = :now, progress = :progress WHERE id = :id AND status = 'running'
