-- The rows of one batch of the primary-key walk, whole, for --export; locked until the
-- batch's delete (delete_id_range.sql, same filters) commits.
SELECT *
FROM {{table}}
WHERE {{status}} = :status
  AND {{finished_at}} < :cutoff
  {{#if after}}AND {{id}} > :after_id{{/if}}
  {{#if until}}AND {{id}} <= :until_id{{/if}}
  {{#if by_kind}}AND {{kind}} = :kind{{/if}}
  {{#if excluding_kinds}}AND ({{kind}} IS NULL OR {{kind}} NOT IN (:except_kinds...)){{/if}}
ORDER BY {{id}}
FOR UPDATE
