TRUNCATE task_runs, task_run_events
