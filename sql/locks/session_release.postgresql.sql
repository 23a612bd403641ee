-- Releases the advisory lock :name taken by this session.
SELECT pg_advisory_unlock(hashtextextended(:name, 0)) AS released
