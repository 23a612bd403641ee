-- Before each timed phase: write out what seeding left dirty, so that the single DELETE and the
-- purge start from the same state (a checkpoint that starts mid-measurement costs either one
-- a second or more on this server).
CHECKPOINT
