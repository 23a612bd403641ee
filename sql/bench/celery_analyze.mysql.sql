-- Fresh statistics after seeding.
ANALYZE TABLE celery_taskmeta
