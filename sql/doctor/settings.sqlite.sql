-- The settings behind the seeds' incidents, for taskwarden doctor.
--   journal_mode  'wal' lets readers and one writer work at once; other modes block readers
-- (The busy timeout is the connection's setting, not PRAGMA busy_timeout: TaskWarden's SQLite
-- connections wait for locks with a busy handler of their own, for which the pragma reads 0.)
-- :long_seconds is not used: SQLite has one writer at a time and no view of other sessions.
SELECT (SELECT journal_mode FROM pragma_journal_mode) AS journal_mode,
       :long_seconds AS long_seconds
