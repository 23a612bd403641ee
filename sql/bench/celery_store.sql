-- What a Celery worker does meanwhile: stores a task's result, a new row (result_extended).
--   :id, :task_id  the new row's keys
--   :result        the result, JSON bytes
--   :date_done     now, naive UTC text
INSERT INTO celery_taskmeta (id, task_id, status, result, date_done, name, worker, retries, queue)
VALUES (:id, :task_id, 'SUCCESS', :result, :date_done, 'tasks.crawl', 'celery@worker-live', 0, 'celery')
