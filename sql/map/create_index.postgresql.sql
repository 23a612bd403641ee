-- The index an inspected table lacks, as `taskwarden map` and `doctor` print it for a person to
-- run: built without blocking writers (CONCURRENTLY, so outside a transaction).
--   index, table, first, second  the index's name, the table, its two columns
CREATE INDEX CONCURRENTLY {{index}} ON {{table}} ({{first}}, {{second}})
