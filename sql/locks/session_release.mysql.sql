-- Releases the named lock :name held by this session, scoped to the current database as
-- session_try_acquire.sql takes it.
SELECT RELEASE_LOCK(CONCAT('tw:', SHA2(CONCAT(COALESCE(DATABASE(), ''), '/', :name), 224))) AS released
