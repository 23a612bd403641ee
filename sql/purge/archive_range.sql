-- Copies one batch into the archive table, in the transaction that deletes it: every purged
-- row lands in the archive exactly once.
INSERT INTO {{archive}}
SELECT *
FROM {{table}}
WHERE {{status}} = :status
  AND {{finished_at}} < :cutoff
  {{#if after}}AND {{finished_at}} >= :after_finished_at AND ({{finished_at}} > :after_finished_at OR {{id}} > :after_id){{/if}}
  {{#if until}}AND {{finished_at}} <= :until_finished_at AND ({{finished_at}} < :until_finished_at OR {{id}} <= :until_id){{/if}}
  {{#if by_kind}}AND {{kind}} = :kind{{/if}}
  {{#if excluding_kinds}}AND ({{kind}} IS NULL OR {{kind}} NOT IN (:except_kinds...)){{/if}}
