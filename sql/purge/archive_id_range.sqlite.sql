-- Copies one batch of the primary-key walk into the archive table, in the transaction that
-- deletes it (delete_id_range.sql, same filters): every purged row lands in the archive once.
-- The unary + keeps the read on the rowid range (see delete_id_range.sqlite.sql).
INSERT INTO {{archive}}
SELECT *
FROM {{table}}
WHERE +{{status}} = :status
  AND +{{finished_at}} < :cutoff
  {{#if after}}AND {{id}} > :after_id{{/if}}
  {{#if until}}AND {{id}} <= :until_id{{/if}}
  {{#if by_kind}}AND +{{kind}} = :kind{{/if}}
  {{#if excluding_kinds}}AND (+{{kind}} IS NULL OR +{{kind}} NOT IN (:except_kinds...)){{/if}}
