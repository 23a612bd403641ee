-- Locks the task table (and the staging table) against every other session from the last check
-- of a partition to its exchange and drop (an ALTER TABLE commits on its own, so no transaction
-- can hold them together).
LOCK TABLES {{table}} WRITE, {{staging}} WRITE
