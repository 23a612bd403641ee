-- Changes one batch of a bulk change, after journal.sql journaled it, re-checking the same
-- predicate in the same transaction. finished_at is set before the status: MySQL evaluates
-- assignments left to right, so the CASE must see the old status.
--   :finished_at         now for a terminal status, NULL when requeueing
--   :finished_statuses   the table's finished values when the target is finished: a run
--                        already finished keeps its finish time (its purge age)
--   :note                why, written to the error (else message) column
--   requeue              clears started_at, heartbeat_at and worker, so the run starts afresh
--   :new_status          the table's value for the new status
--   writes               further columns the mapping sets on this transition (set_on), each
--                        with its value
--   blob_writes          those with a binary encoding, each with its value as bytes
-- The runs (the predicate every bulk/ statement repeats, so that each re-checks it):
--   :from_statuses        the table's values the runs must (still) have
--   :kinds                with by_kind: only these kinds
--   :except_kinds         with other_kinds: any kind but these (kinds with a threshold of their own)
--   :ids                  with by_id: only these runs (recover --limit, parents, cancel --id)
--   :cutoff               with check_cutoff: last sign of life older than this (table's time format)
--   attempts_left         only runs with attempts left (recover --to queued requeues these)
--   attempts_exhausted    only runs without (recover --to queued fails these)
--   not_cancel_requested  only runs not asked to stop yet (cancel)
--   :after_id             with after: the last id of the previous batch
--   :upper_id             with up_to: the last id of this batch (from bound.sql)
UPDATE {{table}}
SET {{#has finished_at}}{{finished_at}} = CASE WHEN {{status}} IN (:finished_statuses...) THEN {{finished_at}} ELSE :finished_at END,{{/has}}
    {{#has note}}{{note}} = :note,{{/has}}
    {{#each write in writes}}{{write.column}} = :write.value,{{/each}}
    {{#each blob in blob_writes}}{{blob.column}} = :blob.value,{{/each}}
    {{#if requeue}}{{started_at}} = NULL,{{#has heartbeat_at}} {{heartbeat_at}} = NULL,{{/has}}{{#has worker}} {{worker}} = NULL,{{/has}}{{/if}}
    {{status}} = :new_status
WHERE {{status}} IN (:from_statuses...)
  {{#if by_kind}}AND {{kind}} IN (:kinds...){{/if}}
  {{#if other_kinds}}AND ({{kind}} IS NULL OR {{kind}} NOT IN (:except_kinds...)){{/if}}
  {{#if by_id}}AND {{id}} IN (:ids...){{/if}}
  {{#if check_cutoff}}AND {{#has heartbeat_at}}COALESCE({{heartbeat_at}}, {{started_at}}){{else}}{{started_at}}{{/has}} < :cutoff{{/if}}
  {{#if attempts_left}}AND COALESCE({{attempt}}, 0) < COALESCE({{max_attempts}}, 1){{/if}}
  {{#if attempts_exhausted}}AND COALESCE({{attempt}}, 0) >= COALESCE({{max_attempts}}, 1){{/if}}
  {{#if not_cancel_requested}}AND {{cancel_requested_at}} IS NULL{{/if}}
  {{#if after}}AND {{id}} > :after_id{{/if}}
  {{#if up_to}}AND {{id}} <= :upper_id{{/if}}
