-- Puts back the page cache size session_read.sql read before the purge. PRAGMA takes no bound
-- values: the size is written as an integer literal, which a Swift Int cannot turn into SQL.
PRAGMA cache_size = {{integer pages}}
