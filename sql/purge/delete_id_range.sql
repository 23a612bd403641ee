-- Deletes one batch of the primary-key walk: the purgeable rows of one status in the id range
-- (:after_id, :until_id], read through the primary key (see next_id_boundary.sql).
--   :status, :cutoff   as in delete_range.sql
--   after / until      the range's bounds (none: from the start, to the end)
--   by_kind / excluding_kinds  per-kind retention: only :kind, or every kind but :except_kinds
DELETE FROM {{table}}
WHERE {{status}} = :status
  AND {{finished_at}} < :cutoff
  {{#if after}}AND {{id}} > :after_id{{/if}}
  {{#if until}}AND {{id}} <= :until_id{{/if}}
  {{#if by_kind}}AND {{kind}} = :kind{{/if}}
  {{#if excluding_kinds}}AND ({{kind}} IS NULL OR {{kind}} NOT IN (:except_kinds...)){{/if}}
