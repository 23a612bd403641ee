ANALYZE TABLE task_runs
