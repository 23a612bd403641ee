-- What a script for sqlite3 starts with (--show-sql): stop at the first error, and wait for a
-- lock as TaskWarden's session does (its driver sets the wait through the C API, not SQL).
--   busy_timeout_milliseconds  the session's busy wait
.bail on
.timeout {{integer busy_timeout_milliseconds}}
