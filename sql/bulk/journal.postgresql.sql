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
-- The runs: the predicate of sql/bulk/_predicate.sql, which every bulk/ statement repeats so that
-- each re-checks it (its parameters and flags are documented there).
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
{{> bulk/predicate}}
ORDER BY {{id}}
FOR UPDATE
