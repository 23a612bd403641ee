-- `taskwarden list --status X` (and the dashboard's runs browser) shows the newest runs of a
-- status a page at a time: with (status, id) each page is one index range read backwards,
-- whether the status is rare (a few stuck runs among millions) or common.

-- taskwarden:up
ALTER TABLE task_runs ADD INDEX task_runs_status_idx (status, id);

-- taskwarden:down
ALTER TABLE task_runs DROP INDEX task_runs_status_idx;
