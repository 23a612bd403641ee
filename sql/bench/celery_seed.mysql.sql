-- Benchmark data for Celery's result cleanup: results :first..:last of :total, as Celery 5.7's
-- database backend stores them with result_extended (the result and args as JSON bytes, the
-- worker, the queue), finished in id order over the three days before :now (date_done naive
-- UTC, as Celery writes it), so the oldest third is older than the benchmark's result_expires
-- (two days). One in ten failed, with a traceback. Deterministic: a range gives the same rows.
INSERT INTO celery_taskmeta (id, task_id, status, result, date_done, traceback, name, args, kwargs, worker, retries, queue)
SELECT i + 1,
       CONCAT('bench-', LPAD(i, 12, '0'), '-4f3c-9a1e-celery'),
       CASE WHEN i % 10 = 9 THEN 'FAILURE' ELSE 'SUCCESS' END,
       CASE WHEN i % 10 = 9 THEN CONCAT('{"exc_type": "RuntimeError", "exc_message": ["page ', i, ' failed"], "exc_module": "builtins"}')
            ELSE CONCAT('{"url": "https://example.com/items/', i, '", "pages": ', i % 97, ', "status": "ok"}') END,
       :now - INTERVAL (((:total - i) * 259200) DIV :total) SECOND,
       CASE WHEN i % 10 = 9 THEN CONCAT('Traceback (most recent call last):', REPEAT(' File "tasks.py", line 42, in crawl', 6)) END,
       'tasks.crawl', CONCAT('[', i, ']'), '{}', CONCAT('celery@worker-', i % 16), 0, 'celery'
FROM (SELECT :first + d1.n + 10 * d2.n + 100 * d3.n + 1000 * d4.n + 10000 * d5.n + 100000 * d6.n AS i
      FROM (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) d1, (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) d2, (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) d3, (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) d4, (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) d5, (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) d6) AS numbers
WHERE i <= :last
ORDER BY i
