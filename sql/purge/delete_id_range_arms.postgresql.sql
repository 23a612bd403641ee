-- Deletes one batch of the primary-key walk in one statement for all the walk's statuses: the
-- rows in the id range (:after_id, :until_id] past their status's cutoff, read once through
-- the primary key (delete_id_range.sql reads the range once per status). Returns how many rows
-- of each status went, for the per-status summary. Used where there is no copy to make first
-- (no --export, no --archive-table).
--   :arm.status, :arm.cutoff   one element per status, as in next_boundary.sql
--   after / until              the range's bounds (none: from the start, to the end)
--   by_kind / excluding_kinds  per-kind retention: only :kind, or every kind but :except_kinds
WITH deleted AS (
    DELETE FROM {{table}}
    WHERE (
        {{#each arm in arms, joined by OR}}
        ({{status}} = :arm.status AND {{finished_at}} < :arm.cutoff)
        {{/each}}
    )
      {{#if after}}AND {{id}} > :after_id{{/if}}
      {{#if until}}AND {{id}} <= :until_id{{/if}}
      {{#if by_kind}}AND {{kind}} = :kind{{/if}}
      {{#if excluding_kinds}}AND ({{kind}} IS NULL OR {{kind}} NOT IN (:except_kinds...)){{/if}}
    RETURNING {{status}} AS status
)
SELECT status, COUNT(*) AS n FROM deleted GROUP BY status
