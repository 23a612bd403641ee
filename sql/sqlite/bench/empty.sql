DELETE FROM task_runs
