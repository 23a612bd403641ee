-- Journals one batch of a bulk change, one entry per run, before update.sql changes it: the
-- old status, and in old_values the columns the change overwrites, as JSON built here. Times
-- are ISO-8601 text in UTC whatever the table's time format, so undo writes them back in it.
-- The caller's BEGIN IMMEDIATE holds the database's write lock, so the update after it
-- (same transaction, same predicate) changes exactly the rows journaled here.
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
       json_set('{}'
        {{#if delete}}{{#if archived}}, '$.archive_table', :archive_table{{/if}}{{else}}{{#if cancel}}, '$.cancel_requested_at', NULL{{else}}
        {{#has finished_at}}, '$.finished_at', {{#if unix_seconds}}strftime('%Y-%m-%dT%H:%M:%SZ', {{finished_at}}, 'unixepoch'){{else}}{{#if unix_milliseconds}}strftime('%Y-%m-%dT%H:%M:%S', {{finished_at}} / 1000, 'unixepoch') || printf('.%03dZ', {{finished_at}} % 1000){{else}}{{#if text_times}}{{finished_at}}{{else}}{{finished_at}}{{/if}}{{/if}}{{/if}}{{/has}}
        {{#has note}}, '$.note', {{note}}{{/has}}
        {{#each write in writes}}, '$.' || :write.key, {{write.column}}{{/each}}
        {{#each blob in blob_writes}}, '$.' || :blob.key, CASE WHEN {{blob.column}} IS NULL THEN NULL ELSE hex({{blob.column}}) END{{/each}}
        {{#if requeue}}, '$.started_at', {{#if unix_seconds}}strftime('%Y-%m-%dT%H:%M:%SZ', {{started_at}}, 'unixepoch'){{else}}{{#if unix_milliseconds}}strftime('%Y-%m-%dT%H:%M:%S', {{started_at}} / 1000, 'unixepoch') || printf('.%03dZ', {{started_at}} % 1000){{else}}{{#if text_times}}{{started_at}}{{else}}{{started_at}}{{/if}}{{/if}}{{/if}}
            {{#has heartbeat_at}}, '$.heartbeat_at', {{#if unix_seconds}}strftime('%Y-%m-%dT%H:%M:%SZ', {{heartbeat_at}}, 'unixepoch'){{else}}{{#if unix_milliseconds}}strftime('%Y-%m-%dT%H:%M:%S', {{heartbeat_at}} / 1000, 'unixepoch') || printf('.%03dZ', {{heartbeat_at}} % 1000){{else}}{{#if text_times}}{{heartbeat_at}}{{else}}{{heartbeat_at}}{{/if}}{{/if}}{{/if}}{{/has}}
            {{#has worker}}, '$.worker', {{worker}}{{/has}}{{/if}}{{/if}}{{/if}}),
       :actor, strftime('%Y-%m-%d %H:%M:%f000', 'now')
FROM {{table}}
{{> bulk/predicate}}
ORDER BY {{id}}
