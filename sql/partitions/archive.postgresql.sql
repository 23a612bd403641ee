-- Copies one partition's rows into the archive table, in the transaction that detaches the
-- partition: every row lands in the archive exactly once. Read through the task table, so the
-- columns come in its order, the archive's (create_archive.sql), whatever the partition's.
--   :quoted_partition_name  the partition's name, quoted and schema-qualified
INSERT INTO {{archive}}
SELECT * FROM {{table}} WHERE tableoid = CAST(:quoted_partition_name AS regclass)
