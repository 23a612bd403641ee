-- Locks the task table against every other session (ACCESS EXCLUSIVE, the lock DETACH
-- PARTITION takes anyway) from the last check of a partition to its detach, in one
-- transaction: no run can change in the partition between the check and the detach. Taken
-- first, so that the detach does not wait for it while holding a weaker one.
LOCK TABLE {{table}} IN ACCESS EXCLUSIVE MODE
