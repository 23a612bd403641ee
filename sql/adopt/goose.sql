-- goose's history, in the order it was written: one row per apply (is_applied true) and, in
-- goose before v3, per rollback (is_applied false); version 0 is the row goose writes when it
-- creates the table. The table as goose creates it (internal/dialect/dialectquery):
-- id, version_id BIGINT, is_applied BOOLEAN, tstamp TIMESTAMP. Read by 'migrate adopt'.
SELECT id, version_id, CASE WHEN is_applied THEN 1 ELSE 0 END AS is_applied
FROM goose_db_version
ORDER BY id
