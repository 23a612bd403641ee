-- Benchmark data, the worst case for a walk in finished_at order: runs :first..:last where a
-- third is past the retention of the benchmark (succeeded 90d, failed 30d), and finish times
-- are scattered with respect to ids (i % 3 = 0 finished 100 or 40 days ago plus i % 86400
-- seconds; the rest 2 or 5 days ago), so purgeable rows sit all over the table.
-- Deterministic: the same range gives the same rows, so copies are identical.
INSERT INTO task_runs (kind, status, payload, attempt, max_attempts, worker, created_at, started_at, finished_at)
SELECT 'kind_' || (i % 20),
       CASE WHEN i % 3 = 0 AND i % 2 = 0 THEN 'succeeded' WHEN i % 3 = 0 THEN 'failed' WHEN i % 3 = 1 THEN 'succeeded' ELSE 'failed' END,
       '{"url": "https://example.com/items/' || i || '", "note": "' || repeat('lorem ipsum ', 16) || '"}',
       1, 3, 'worker-' || (i % 16),
       CAST(:now AS timestamptz) - ((CASE WHEN i % 3 = 0 AND i % 2 = 0 THEN 8640000 WHEN i % 3 = 0 THEN 3456000 WHEN i % 3 = 1 THEN 172800 ELSE 432000 END + i % 86400) + 60) * interval '1 second',
       CAST(:now AS timestamptz) - ((CASE WHEN i % 3 = 0 AND i % 2 = 0 THEN 8640000 WHEN i % 3 = 0 THEN 3456000 WHEN i % 3 = 1 THEN 172800 ELSE 432000 END + i % 86400) + 60) * interval '1 second',
       CAST(:now AS timestamptz) - (CASE WHEN i % 3 = 0 AND i % 2 = 0 THEN 8640000 WHEN i % 3 = 0 THEN 3456000 WHEN i % 3 = 1 THEN 172800 ELSE 432000 END + i % 86400) * interval '1 second'
FROM generate_series(CAST(:first AS bigint), CAST(:last AS bigint)) AS numbers (i)
