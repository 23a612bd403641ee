-- Benchmark data as a task table grows: runs :first..:last of :total, finished in id order.
-- The oldest third (3 * i < :total) finished 200 to 100 days ago, so all of it is past the
-- benchmark's retention (succeeded 90d, failed 30d); the rest finished in the last 20 days.
-- Statuses alternate (two succeeded, one failed in three). Payloads are ~250 bytes of
-- JSON-like text. Deterministic: the same range gives the same rows, so copies are identical.
INSERT INTO task_runs (kind, status, payload, attempt, max_attempts, worker, created_at, started_at, finished_at)
SELECT 'kind_' || (i % 20),
       CASE WHEN i % 3 = 2 THEN 'failed' ELSE 'succeeded' END,
       '{"url": "https://example.com/items/' || i || '", "note": "' || replace(hex(zeroblob(16)), '00', 'lorem ipsum ') || '"}',
       1, 3, 'worker-' || (i % 16),
       strftime('%Y-%m-%d %H:%M:%f000', :now, '-' || ((CASE WHEN 3 * i < :total THEN 8640000 + ((:total - 3 * i) * 8640000) / :total ELSE ((:total - i) * 2592000) / :total END) + 60) || ' seconds'),
       strftime('%Y-%m-%d %H:%M:%f000', :now, '-' || ((CASE WHEN 3 * i < :total THEN 8640000 + ((:total - 3 * i) * 8640000) / :total ELSE ((:total - i) * 2592000) / :total END) + 60) || ' seconds'),
       strftime('%Y-%m-%d %H:%M:%f000', :now, '-' || (CASE WHEN 3 * i < :total THEN 8640000 + ((:total - 3 * i) * 8640000) / :total ELSE ((:total - i) * 2592000) / :total END) || ' seconds')
FROM (SELECT :first + d1.n + 10 * d2.n + 100 * d3.n + 1000 * d4.n + 10000 * d5.n + 100000 * d6.n AS i
      FROM (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) d1, (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) d2, (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) d3, (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) d4, (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) d5, (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) d6) AS numbers
WHERE i <= :last
ORDER BY i
