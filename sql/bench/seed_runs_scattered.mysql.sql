-- Benchmark data, the worst case for a walk in finished_at order: runs :first..:last where a
-- third is past the retention of the benchmark (succeeded 90d, failed 30d), and finish times
-- are scattered with respect to ids (i % 3 = 0 finished 100 or 40 days ago plus i % 86400
-- seconds; the rest 2 or 5 days ago), so purgeable rows sit all over the table.
-- Deterministic: the same range gives the same rows, so copies are identical.
INSERT INTO task_runs (kind, status, payload, attempt, max_attempts, worker, created_at, started_at, finished_at)
SELECT CONCAT('kind_', i % 20),
       CASE WHEN i % 3 = 0 AND i % 2 = 0 THEN 'succeeded' WHEN i % 3 = 0 THEN 'failed' WHEN i % 3 = 1 THEN 'succeeded' ELSE 'failed' END,
       CONCAT('{"url": "https://example.com/items/', i, '", "note": "', REPEAT('lorem ipsum ', 16), '"}'),
       1, 3, CONCAT('worker-', i % 16),
       :now - INTERVAL ((CASE WHEN i % 3 = 0 AND i % 2 = 0 THEN 8640000 WHEN i % 3 = 0 THEN 3456000 WHEN i % 3 = 1 THEN 172800 ELSE 432000 END + i % 86400) + 60) SECOND,
       :now - INTERVAL ((CASE WHEN i % 3 = 0 AND i % 2 = 0 THEN 8640000 WHEN i % 3 = 0 THEN 3456000 WHEN i % 3 = 1 THEN 172800 ELSE 432000 END + i % 86400) + 60) SECOND,
       :now - INTERVAL (CASE WHEN i % 3 = 0 AND i % 2 = 0 THEN 8640000 WHEN i % 3 = 0 THEN 3456000 WHEN i % 3 = 1 THEN 172800 ELSE 432000 END + i % 86400) SECOND
FROM (SELECT :first + d1.n + 10 * d2.n + 100 * d3.n + 1000 * d4.n + 10000 * d5.n + 100000 * d6.n AS i
      FROM (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) d1, (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) d2, (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) d3, (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) d4, (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) d5, (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) d6) AS numbers
WHERE i <= :last
ORDER BY i
