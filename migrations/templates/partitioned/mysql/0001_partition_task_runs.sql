-- Template: partitions TaskWarden's task_runs by month of created_at, so that
-- `taskwarden purge` drops whole months past retention instead of deleting their rows.
-- Apply it as a migration set of your own, after TaskWarden's migrations, while the table is
-- new or small (MySQL rebuilds the table):
--     taskwarden migrate
--     taskwarden migrate --dir migrations/templates/partitioned --set partitioned
-- Partitions: p_old (before the last 12 months), pYYYYMM for the last 12 months and the next
-- 3, and p_future (MAXVALUE). Split p_future ahead of time:
--     ALTER TABLE task_runs REORGANIZE PARTITION p_future INTO
--         (PARTITION p202701 VALUES LESS THAN ('2027-02-01'), PARTITION p_future VALUES LESS THAN (MAXVALUE));
-- The primary key becomes (id, created_at): a partitioned table's unique keys must hold its
-- partition key. created_at never changes, so a run never moves between partitions.

-- taskwarden:up
ALTER TABLE task_runs DROP PRIMARY KEY, ADD PRIMARY KEY (id, created_at);

SET @task_runs_first_month = DATE_FORMAT(CURRENT_DATE - INTERVAL 12 MONTH, '%Y-%m-01');

SET @task_runs_partitions = (
    WITH RECURSIVE months (m) AS (
        SELECT CAST(@task_runs_first_month AS DATE)
        UNION ALL
        SELECT m + INTERVAL 1 MONTH FROM months WHERE m < CURRENT_DATE + INTERVAL 3 MONTH - INTERVAL 1 MONTH
    )
    SELECT GROUP_CONCAT(CONCAT('PARTITION p', DATE_FORMAT(m, '%Y%m'), ' VALUES LESS THAN (''', m + INTERVAL 1 MONTH, ''')')
                        ORDER BY m SEPARATOR ', ')
    FROM months
);

SET @task_runs_partition_by = CONCAT(
    'ALTER TABLE task_runs PARTITION BY RANGE COLUMNS (created_at) (',
    'PARTITION p_old VALUES LESS THAN (''', @task_runs_first_month, '''), ',
    @task_runs_partitions,
    ', PARTITION p_future VALUES LESS THAN (MAXVALUE))');

PREPARE task_runs_partition_by FROM @task_runs_partition_by;
EXECUTE task_runs_partition_by;
DEALLOCATE PREPARE task_runs_partition_by;

-- taskwarden:down
ALTER TABLE task_runs REMOVE PARTITIONING;
ALTER TABLE task_runs DROP PRIMARY KEY, ADD PRIMARY KEY (id);
