-- The rows of one batch, whole, for --export; locked until the batch's delete commits.
SELECT *
FROM {{table}}
WHERE {{status}} = :status
  AND {{finished_at}} < :cutoff
  {{#if after}}AND {{finished_at}} >= :after_finished_at AND ({{finished_at}} > :after_finished_at OR {{id}} > :after_id){{/if}}
  {{#if until}}AND {{finished_at}} <= :until_finished_at AND ({{finished_at}} < :until_finished_at OR {{id}} <= :until_id){{/if}}
  {{#if by_kind}}AND {{kind}} = :kind{{/if}}
  {{#if excluding_kinds}}AND ({{kind}} IS NULL OR {{kind}} NOT IN (:except_kinds...)){{/if}}
ORDER BY {{finished_at}}, {{id}}
