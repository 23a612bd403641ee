-- `taskwarden list --status X` (and the dashboard's runs browser) shows the newest runs of a
-- status a page at a time: with (status, id) each page is one index range read backwards,
-- whether the status is rare (a few stuck runs among millions) or common.

-- taskwarden:up
CREATE INDEX task_runs_status_idx ON task_runs (status, id);

-- taskwarden:down
DROP INDEX task_runs_status_idx;
