-- Deletes one batch of the primary-key walk by the table's blocks, on PostgreSQL without a copy
-- to make first (no --export, no --archive-table): the rows in blocks [:from_tid, :until_tid)
-- past their status's cutoff, in one statement for all the walk's statuses. The ctid bounds make
-- it a TID range scan (PostgreSQL 14 and later), which reads exactly those heap pages, in order,
-- as the single DELETE's sequential scan does, with no index read and no boundary to look up
-- first (delete_id_range_arms.sql reads the range through the primary key, and
-- next_id_boundary.sql reads the key before it). Status, age and kind are checked in the
-- statement; a row a concurrent UPDATE changed is checked again in its new version. Returns how
-- many rows of each status went.
--   :from_tid     '(first block,0)'
--   until         '(block after the last,0)' in :until_tid; none for the last batch, which
--                 goes to the table's end as it is then
--   :arm.status, :arm.cutoff   one element per status, as in next_boundary.sql
--   by_kind / excluding_kinds  per-kind retention: only :kind, or every kind but :except_kinds
WITH deleted AS (
    DELETE FROM {{table}}
    WHERE ctid >= CAST(:from_tid AS tid)
      {{#if until}}AND ctid < CAST(:until_tid AS tid){{/if}}
      AND (
        {{#each arm in arms, joined by OR}}
        ({{status}} = :arm.status AND {{finished_at}} < :arm.cutoff)
        {{/each}}
      )
      {{#if by_kind}}AND {{kind}} = :kind{{/if}}
      {{#if excluding_kinds}}AND ({{kind}} IS NULL OR {{kind}} NOT IN (:except_kinds...)){{/if}}
    RETURNING {{status}} AS status
)
SELECT status, COUNT(*) AS n FROM deleted GROUP BY status
