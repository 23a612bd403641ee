-- Releases the named lock :name held by this session.
SELECT RELEASE_LOCK(:name) AS released
