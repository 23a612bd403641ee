-- Journals one batch of a bulk change, one entry per run, before update.sql changes it: the
-- old status, and in old_values the columns the change overwrites, as JSON built here. Times
-- are ISO-8601 text in UTC whatever the table's time format, so undo writes them back in it.
-- FOR UPDATE locks what it journals, so the update after it (same transaction, same
-- predicate) changes exactly these rows: no worker can finish one in between, and a row that
-- started to qualify after this statement is neither journaled nor changed.
--   :target_table  the table the runs are in
--   :operation     recover, reset, cancel or delete
--   :new_status    the status the change writes (keep_status: the run's own, for cancel; NULL
--                  for delete: the run is gone)
--   :batch_id      the change's batch; :reason, :actor as in journal/insert
--   cancel         old_values is {"cancel_requested_at": null}; else finished_at and the note,
--                  and with requeue started_at, heartbeat_at and worker too
--   unix_seconds, unix_milliseconds, text_times  the table's time format (none: native)
--   writes         the further columns the change sets (set_on): their old values, under each key
--   delete         old_values names only where the rows went: with archived, {"archive_table":
--                  :archive_table} (undo puts them back from there), else {}
--   blob_writes    those with a binary encoding: their old bytes as hexadecimal text (JSON holds no bytes)
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
INSERT INTO task_run_events
    (target_table, run_id, operation, old_status, new_status, batch_id, reason, old_values, actor, created_at)
SELECT :target_table, CAST({{id}} AS TEXT), :operation, {{status}},
       {{#if keep_status}}{{status}}{{else}}:new_status{{/if}}, :batch_id, :reason,
       (jsonb_build_object()
        {{#if delete}}{{#if archived}}|| jsonb_build_object('archive_table', CAST(:archive_table AS TEXT)){{/if}}{{else}}{{#if cancel}}|| jsonb_build_object('cancel_requested_at', NULL){{else}}
        {{#has finished_at}}|| jsonb_build_object('finished_at', {{#if unix_seconds}}to_char(to_timestamp({{finished_at}}), 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'){{else}}{{#if unix_milliseconds}}to_char(to_timestamp({{finished_at}} / 1000) + ({{finished_at}} % 1000) * interval '1 millisecond', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'){{else}}{{#if text_times}}{{finished_at}}{{else}}to_char({{finished_at}}, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'){{/if}}{{/if}}{{/if}}){{/has}}
        {{#has note}}|| jsonb_build_object('note', {{note}}){{/has}}
        {{#each write in writes}}|| jsonb_build_object(CAST(:write.key AS TEXT), {{write.column}}){{/each}}
        {{#each blob in blob_writes}}|| jsonb_build_object(CAST(:blob.key AS TEXT), encode({{blob.column}}, 'hex')){{/each}}
        {{#if requeue}}|| jsonb_build_object('started_at', {{#if unix_seconds}}to_char(to_timestamp({{started_at}}), 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'){{else}}{{#if unix_milliseconds}}to_char(to_timestamp({{started_at}} / 1000) + ({{started_at}} % 1000) * interval '1 millisecond', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'){{else}}{{#if text_times}}{{started_at}}{{else}}to_char({{started_at}}, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'){{/if}}{{/if}}{{/if}})
            {{#has heartbeat_at}}|| jsonb_build_object('heartbeat_at', {{#if unix_seconds}}to_char(to_timestamp({{heartbeat_at}}), 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'){{else}}{{#if unix_milliseconds}}to_char(to_timestamp({{heartbeat_at}} / 1000) + ({{heartbeat_at}} % 1000) * interval '1 millisecond', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'){{else}}{{#if text_times}}{{heartbeat_at}}{{else}}to_char({{heartbeat_at}}, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'){{/if}}{{/if}}{{/if}}){{/has}}
            {{#has worker}}|| jsonb_build_object('worker', {{worker}}){{/has}}{{/if}}{{/if}}{{/if}})::text,
       :actor, now()
FROM {{table}}
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
ORDER BY {{id}}
FOR UPDATE
