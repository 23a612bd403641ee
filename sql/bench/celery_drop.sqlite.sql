-- Between rounds: the result table dropped and the file compacted, so the next seed lays its
-- rows out as the first did.
DROP TABLE IF EXISTS celery_taskmeta;
VACUUM
