-- Benchmark data as a task table grows: runs :first..:last of :total, finished in id order.
-- The oldest third (3 * i < :total) finished 200 to 100 days ago, so all of it is past the
-- benchmark's retention (succeeded 90d, failed 30d); the rest finished in the last 20 days.
-- Statuses alternate (two succeeded, one failed in three). Payloads are ~250 bytes of
-- JSON-like text. Deterministic: the same range gives the same rows, so copies are identical.
INSERT INTO task_runs (kind, status, payload, attempt, max_attempts, worker, created_at, started_at, finished_at)
SELECT 'kind_' || (i % 20),
       CASE WHEN i % 3 = 2 THEN 'failed' ELSE 'succeeded' END,
       '{"url": "https://example.com/items/' || i || '", "note": "' || repeat('lorem ipsum ', 16) || '"}',
       1, 3, 'worker-' || (i % 16),
       CAST(:now AS timestamptz) - ((CASE WHEN 3 * i < :total THEN 8640000 + ((:total - 3 * i) * 8640000) / :total ELSE ((:total - i) * 2592000) / :total END) + 60) * interval '1 second',
       CAST(:now AS timestamptz) - ((CASE WHEN 3 * i < :total THEN 8640000 + ((:total - 3 * i) * 8640000) / :total ELSE ((:total - i) * 2592000) / :total END) + 60) * interval '1 second',
       CAST(:now AS timestamptz) - (CASE WHEN 3 * i < :total THEN 8640000 + ((:total - 3 * i) * 8640000) / :total ELSE ((:total - i) * 2592000) / :total END) * interval '1 second'
FROM generate_series(CAST(:first AS bigint), CAST(:last AS bigint)) AS numbers (i)
