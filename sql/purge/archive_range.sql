-- Copies one batch into the archive table, in the transaction that deletes it: every purged
-- row lands in the archive exactly once.
INSERT INTO {{archive}}
SELECT *
FROM {{table}}
WHERE {{status}} = :status
  AND {{finished_at}} < :cutoff
  {{#after}}AND {{finished_at}} >= :after_finished_at AND ({{finished_at}} > :after_finished_at OR {{id}} > :after_id){{/after}}
  {{#until}}AND {{finished_at}} <= :until_finished_at AND ({{finished_at}} < :until_finished_at OR {{id}} <= :until_id){{/until}}
  {{#by_kind}}AND {{kind}} = :kind{{/by_kind}}
  {{#except_kinds}}AND ({{kind}} IS NULL OR {{kind}} NOT IN (:except_kinds)){{/except_kinds}}
