-- Between rounds: the result table dropped, so the next seed lays its rows out as the first.
DROP TABLE IF EXISTS celery_taskmeta
