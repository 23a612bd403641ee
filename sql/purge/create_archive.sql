-- Creates the archive table with the task table's columns, if it does not exist yet.
-- (Constraints and indexes are not copied: the archive is for keeping, not for work.)
CREATE TABLE IF NOT EXISTS {{archive}} AS
SELECT * FROM {{table}} WHERE 1 = 0
