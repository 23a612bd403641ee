-- Puts back the sync level session_read.sql read before the purge. PRAGMA takes no bound
-- values: the level is written as an integer literal (0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA).
PRAGMA synchronous = {{integer level}}
