-- Journals one batch of a bulk change, one entry per run, before update.sql changes it: the
-- old status, and in old_values the columns the change overwrites, as JSON built here. Times
-- are ISO-8601 text in UTC whatever the table's time format, so undo writes them back in it.
-- old_values merges one JSON_OBJECT per column (JSON_MERGE_PRESERVE keeps nulls, and takes
-- a table that maps none of them). Runs after lock.mysql.sql, whose locking read holds every
-- row of the range that qualifies, so the update after it (same transaction, same predicate)
-- changes exactly the rows journaled here.
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
SELECT :target_table, CAST({{id}} AS CHAR), :operation, {{status}},
       {{#if keep_status}}{{status}}{{else}}:new_status{{/if}}, :batch_id, :reason,
       JSON_MERGE_PRESERVE('{}', '{}'
        {{#if delete}}{{#if archived}}, JSON_OBJECT('archive_table', :archive_table){{/if}}{{else}}{{#if cancel}}, JSON_OBJECT('cancel_requested_at', NULL){{else}}
        {{#has finished_at}}, JSON_OBJECT('finished_at', {{#if unix_seconds}}DATE_FORMAT(FROM_UNIXTIME({{finished_at}}), '%Y-%m-%dT%H:%i:%s.%fZ'){{else}}{{#if unix_milliseconds}}DATE_FORMAT(FROM_UNIXTIME({{finished_at}} DIV 1000) + INTERVAL ({{finished_at}} MOD 1000) * 1000 MICROSECOND, '%Y-%m-%dT%H:%i:%s.%fZ'){{else}}{{#if text_times}}{{finished_at}}{{else}}DATE_FORMAT({{finished_at}}, '%Y-%m-%dT%H:%i:%s.%fZ'){{/if}}{{/if}}{{/if}}){{/has}}
        {{#has note}}, JSON_OBJECT('note', {{note}}){{/has}}
        {{#each write in writes}}, JSON_OBJECT(:write.key, {{write.column}}){{/each}}
        {{#each blob in blob_writes}}, JSON_OBJECT(:blob.key, HEX({{blob.column}})){{/each}}
        {{#if requeue}}, JSON_OBJECT('started_at', {{#if unix_seconds}}DATE_FORMAT(FROM_UNIXTIME({{started_at}}), '%Y-%m-%dT%H:%i:%s.%fZ'){{else}}{{#if unix_milliseconds}}DATE_FORMAT(FROM_UNIXTIME({{started_at}} DIV 1000) + INTERVAL ({{started_at}} MOD 1000) * 1000 MICROSECOND, '%Y-%m-%dT%H:%i:%s.%fZ'){{else}}{{#if text_times}}{{started_at}}{{else}}DATE_FORMAT({{started_at}}, '%Y-%m-%dT%H:%i:%s.%fZ'){{/if}}{{/if}}{{/if}})
            {{#has heartbeat_at}}, JSON_OBJECT('heartbeat_at', {{#if unix_seconds}}DATE_FORMAT(FROM_UNIXTIME({{heartbeat_at}}), '%Y-%m-%dT%H:%i:%s.%fZ'){{else}}{{#if unix_milliseconds}}DATE_FORMAT(FROM_UNIXTIME({{heartbeat_at}} DIV 1000) + INTERVAL ({{heartbeat_at}} MOD 1000) * 1000 MICROSECOND, '%Y-%m-%dT%H:%i:%s.%fZ'){{else}}{{#if text_times}}{{heartbeat_at}}{{else}}DATE_FORMAT({{heartbeat_at}}, '%Y-%m-%dT%H:%i:%s.%fZ'){{/if}}{{/if}}{{/if}}){{/has}}
            {{#has worker}}, JSON_OBJECT('worker', {{worker}}){{/has}}{{/if}}{{/if}}{{/if}}),
       :actor, NOW(6)
FROM {{table}}
{{> bulk/predicate}}
ORDER BY {{id}}
