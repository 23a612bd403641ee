-- Whether the primary-key walk can go by the table's blocks on PostgreSQL (Purger's block walk),
-- and how far: the relation's kind ('r' for a plain table; a partitioned table, a view or a
-- foreign table keeps the id ranges), its size in blocks now, and how many rows a block holds
-- by the planner's estimate (NULL before the first VACUUM or ANALYZE). Blocks added after this
-- read hold rows written during the purge; the walk's last batch has no upper bound anyway.
--   :quoted_table_name  the table's name, quoted (and schema-qualified where mapped so)
SELECT CAST(c.relkind AS text) AS relkind,
       pg_relation_size(c.oid) / CAST(current_setting('block_size') AS bigint) AS blocks,
       CASE WHEN c.relpages > 0 AND c.reltuples >= 0 THEN c.reltuples / c.relpages END AS rows_per_block
FROM pg_class c
WHERE c.oid = CAST(:quoted_table_name AS regclass)
