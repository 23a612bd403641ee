-- What Celery's backend_cleanup does on its database backend (DatabaseBackend._cleanup, the
-- daily celery.backend_cleanup task): every result older than result_expires, whatever its
-- state, in one DELETE, one transaction. (It deletes celery_tasksetmeta's the same way; the
-- benchmark has no groups.)
--   :cutoff  now - result_expires, as Celery binds it: naive UTC text
DELETE FROM celery_taskmeta WHERE date_done < :cutoff
