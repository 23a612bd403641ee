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
-- The runs: the predicate of sql/bulk/_predicate.sql, which every bulk/ statement repeats so that
-- each re-checks it (its parameters and flags are documented there).
UPDATE {{table}}
SET {{#has finished_at}}{{finished_at}} = CASE WHEN {{status}} IN (:finished_statuses...) THEN {{finished_at}} ELSE :finished_at END,{{/has}}
    {{#has note}}{{note}} = :note,{{/has}}
    {{#each write in writes}}{{write.column}} = :write.value,{{/each}}
    {{#each blob in blob_writes}}{{blob.column}} = :blob.value,{{/each}}
    {{#if requeue}}{{started_at}} = NULL,{{#has heartbeat_at}} {{heartbeat_at}} = NULL,{{/has}}{{#has worker}} {{worker}} = NULL,{{/has}}{{/if}}
    {{status}} = :new_status
{{> bulk/predicate}}
