-- Work the server still does in the background after a delete commits: none that either side
-- waits for (dead rows stay until VACUUM, for the single DELETE and the purge alike).
SELECT 0 AS pending
