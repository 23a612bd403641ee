-- Locks the task table against every other session (ACCESS EXCLUSIVE, the lock DROP TABLE of
-- a partition takes anyway) from the last check of a partition to its drop, in one
-- transaction: no run can change in the partition between the check and the drop. Taken
-- first, so that the drop does not wait for it while holding a weaker one.
LOCK TABLE {{table}} IN ACCESS EXCLUSIVE MODE
