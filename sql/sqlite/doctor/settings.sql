-- The settings behind the seeds' incidents, for taskwarden doctor.
--   journal_mode  'wal' lets readers and one writer work at once; other modes block readers
--   busy_timeout  milliseconds a writer waits for the lock (0: fails at once with SQLITE_BUSY)
-- :long_seconds is not used: SQLite has one writer at a time and no view of other sessions.
SELECT (SELECT journal_mode FROM pragma_journal_mode) AS journal_mode,
       (SELECT timeout FROM pragma_busy_timeout) AS busy_timeout,
       :long_seconds AS long_seconds
