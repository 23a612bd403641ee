-- The table's indexes, one row per indexed column in order, so that `taskwarden map` can say
-- whether the stuck and retention queries have one to use. The INTEGER PRIMARY KEY is the
-- rowid, listed by no index.
--   :table_name  the table's name, without schema
SELECT il.name AS index_name, ii.name AS column_name, ii.seqno AS position
FROM pragma_index_list(:table_name) AS il, pragma_index_info(il.name) AS ii
ORDER BY il.name, ii.seqno
