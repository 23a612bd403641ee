-- Locks the task table against every other session from the last check of a partition to its
-- drop (an ALTER TABLE commits on its own, so no transaction can hold them together).
LOCK TABLES {{table}} WRITE
