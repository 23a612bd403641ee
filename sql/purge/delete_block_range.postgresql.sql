-- Deletes one status's rows of one batch of the primary-key walk by the table's blocks, on
-- PostgreSQL without a copy to make first (no --export, no --archive-table): the rows in blocks
-- [:from_block, :until_block) past the status's cutoff. The ctid bounds make it a TID range scan
-- (PostgreSQL 14 and later), which reads exactly those heap pages, in order, as the single
-- DELETE's sequential scan does, with no index read and no boundary to look up first
-- (delete_id_range.sql reads the range through the primary key, after next_id_boundary.sql).
-- One statement per status, each counted by the rows it affected: the batch's pages are in
-- shared buffers for the second, and a RETURNING clause to count all statuses in one statement
-- made the delete half again as slow (measured in PL/pgSQL on 2 M rows: 1.42 s against 0.94 s;
-- the single DELETE took 0.89 s). Status, age and kind are checked in the statement; a row a
-- concurrent UPDATE changed is checked again in its new version.
--   :from_block          the first block
--   until                the block after the last in :until_block; none for the last batch,
--                        which goes to the table's end as it is then
--   :status, :cutoff     the status and its cutoff, as in delete_range.sql
--   by_kind / excluding_kinds  per-kind retention: only :kind, or every kind but :except_kinds
DELETE FROM {{table}}
WHERE ctid >= CAST('(' || :from_block || ',0)' AS tid)
  {{#if until}}AND ctid < CAST('(' || :until_block || ',0)' AS tid){{/if}}
  AND {{status}} = :status
  AND {{finished_at}} < :cutoff
  {{#if by_kind}}AND {{kind}} = :kind{{/if}}
  {{#if excluding_kinds}}AND ({{kind}} IS NULL OR {{kind}} NOT IN (:except_kinds...)){{/if}}
