-- Benchmark data for Celery's result cleanup: results :first..:last of :total, as Celery 5.7's
-- database backend stores them with result_extended (the result and args as JSON bytes, the
-- worker, the queue), finished in id order over the three days before :now (date_done naive
-- UTC, as Celery writes it), so the oldest third is older than the benchmark's result_expires
-- (two days). One in ten failed, with a traceback. Deterministic: a range gives the same rows.
INSERT INTO celery_taskmeta (id, task_id, status, result, date_done, traceback, name, args, kwargs, worker, retries, queue)
SELECT i + 1,
       'bench-' || lpad(i::text, 12, '0') || '-4f3c-9a1e-celery',
       CASE WHEN i % 10 = 9 THEN 'FAILURE' ELSE 'SUCCESS' END,
       convert_to(CASE WHEN i % 10 = 9 THEN '{"exc_type": "RuntimeError", "exc_message": ["page ' || i || ' failed"], "exc_module": "builtins"}'
                  ELSE '{"url": "https://example.com/items/' || i || '", "pages": ' || (i % 97) || ', "status": "ok"}' END, 'UTF8'),
       (CAST(:now AS timestamptz) AT TIME ZONE 'UTC') - (((:total - i) * 259200) / :total) * interval '1 second',
       CASE WHEN i % 10 = 9 THEN 'Traceback (most recent call last):' || repeat(' File "tasks.py", line 42, in crawl', 6) END,
       'tasks.crawl', convert_to('[' || i || ']', 'UTF8'), convert_to('{}', 'UTF8'), 'celery@worker-' || (i % 16), 0, 'celery'
FROM generate_series(CAST(:first AS bigint), CAST(:last AS bigint)) AS numbers (i)
