-- The index an inspected table lacks, as `taskwarden map` and `doctor` print it for a person to
-- run (SQLite has no online index build: writers wait while it is built).
--   index, table, first, second  the index's name, the table, its two columns
CREATE INDEX {{index}} ON {{table}} ({{first}}, {{second}})
