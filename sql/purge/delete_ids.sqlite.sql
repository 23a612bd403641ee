-- Deletes one batch by id: the rows select_batch.sql or select_id_batch.sql found, if they are
-- still purgeable (status, age and kind are checked again, so a run changed in between stays).
-- On SQLite, deleting by rowid is three to four times faster than deleting the same rows
-- through the index (measured: 35-45 ms against 120-160 ms for 5 000 rows), and one JSON array
-- parameter holds any number of ids, where a placeholder per id would meet
-- SQLITE_MAX_VARIABLE_NUMBER.
--   :ids_json      one arm's ids, a JSON array (select_batch.sql's or select_id_batch.sql's ids)
--   :status, :cutoff   that arm's, as in delete_range.sql
--   by_kind / excluding_kinds  per-kind retention: only :kind, or every kind but :except_kinds
DELETE FROM {{table}}
WHERE {{id}} IN (SELECT value FROM json_each(:ids_json))
  AND {{status}} = :status
  AND {{finished_at}} < :cutoff
  {{#if by_kind}}AND {{kind}} = :kind{{/if}}
  {{#if excluding_kinds}}AND ({{kind}} IS NULL OR {{kind}} NOT IN (:except_kinds...)){{/if}}
