-- The index an inspected table lacks, as `taskwarden map` and `doctor` print it for a person to
-- run: built in place without blocking writers (InnoDB's online DDL).
--   index, table, first, second  the index's name, the table, its two columns
ALTER TABLE {{table}} ADD INDEX {{index}} ({{first}}, {{second}}), ALGORITHM=INPLACE, LOCK=NONE
