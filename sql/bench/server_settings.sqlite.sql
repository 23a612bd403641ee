-- The connection's settings that decide what a delete costs, printed with the results.
SELECT 'journal_mode' AS name, CAST(journal_mode AS TEXT) AS value FROM pragma_journal_mode()
UNION ALL
SELECT 'synchronous', CAST(synchronous AS TEXT) FROM pragma_synchronous()
UNION ALL
SELECT 'cache_size', CAST(cache_size AS TEXT) FROM pragma_cache_size()
