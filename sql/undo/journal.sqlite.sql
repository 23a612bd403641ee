-- Journals one page of an undo, before restore.sql puts the runs back: for each entry of the
-- batch whose run still has the status the batch set, an 'undo' entry (under the undo's own
-- batch) with the values the restore overwrites, for the keys the undone entry has, so that
-- the undo can be undone in turn. Times as ISO-8601 text in UTC, as sql/bulk/journal writes.
-- The undo's own JSON is written as text, each key the entry has with json_quote of its value
-- (the same text json_set and json_remove made; the statement takes about 15 % less CPU).
-- The caller's BEGIN IMMEDIATE holds the write lock, so restore.sqlite.sql (same transaction,
-- same join) restores exactly the runs journaled here.
--   :batch_id      the batch being undone
--   :target_table  the table this statement restores (the task table, or its parent)
--   :lower_id, :upper_id  this page of the batch's journal entries: id in (lower_id, upper_id]
--   integer_ids    the id column is an integer: the journal's text run_id is cast to it, so the
--                  join uses the table's primary key
--   unix_seconds, unix_milliseconds, text_times, iso_times  the table's time format (none: native)
--   :undo_batch_id, :reason, :actor  the undo's own journal entries
--   writes         the columns the mapping sets on transitions (set_on), each with its journal key
--   blob_writes    those with a binary encoding, journaled as hexadecimal text (JSON holds no bytes)
INSERT INTO task_run_events
    (target_table, run_id, operation, old_status, new_status, batch_id, reason, old_values, actor, created_at)
SELECT e.target_table, e.run_id, 'undo', e.new_status, e.old_status, :undo_batch_id, :reason,
       '{' || substr(''
        {{#has finished_at}} || CASE WHEN json_type(e.old_values, '$.finished_at') IS NOT NULL THEN ',"finished_at":' || json_quote({{#if unix_seconds}}strftime('%Y-%m-%dT%H:%M:%SZ', t.{{finished_at}}, 'unixepoch'){{else}}{{#if unix_milliseconds}}strftime('%Y-%m-%dT%H:%M:%S', t.{{finished_at}} / 1000, 'unixepoch') || printf('.%03dZ', t.{{finished_at}} % 1000){{else}}{{#if text_times}}t.{{finished_at}}{{else}}{{#if iso_times}}t.{{finished_at}}{{else}}t.{{finished_at}}{{/if}}{{/if}}{{/if}}{{/if}}) ELSE '' END{{/has}}
        {{#has note}} || CASE WHEN json_type(e.old_values, '$.note') IS NOT NULL THEN ',"note":' || json_quote(t.{{note}}) ELSE '' END{{/has}}
        {{#has started_at}} || CASE WHEN json_type(e.old_values, '$.started_at') IS NOT NULL THEN ',"started_at":' || json_quote({{#if unix_seconds}}strftime('%Y-%m-%dT%H:%M:%SZ', t.{{started_at}}, 'unixepoch'){{else}}{{#if unix_milliseconds}}strftime('%Y-%m-%dT%H:%M:%S', t.{{started_at}} / 1000, 'unixepoch') || printf('.%03dZ', t.{{started_at}} % 1000){{else}}{{#if text_times}}t.{{started_at}}{{else}}{{#if iso_times}}t.{{started_at}}{{else}}t.{{started_at}}{{/if}}{{/if}}{{/if}}{{/if}}) ELSE '' END{{/has}}
        {{#has heartbeat_at}} || CASE WHEN json_type(e.old_values, '$.heartbeat_at') IS NOT NULL THEN ',"heartbeat_at":' || json_quote({{#if unix_seconds}}strftime('%Y-%m-%dT%H:%M:%SZ', t.{{heartbeat_at}}, 'unixepoch'){{else}}{{#if unix_milliseconds}}strftime('%Y-%m-%dT%H:%M:%S', t.{{heartbeat_at}} / 1000, 'unixepoch') || printf('.%03dZ', t.{{heartbeat_at}} % 1000){{else}}{{#if text_times}}t.{{heartbeat_at}}{{else}}{{#if iso_times}}t.{{heartbeat_at}}{{else}}t.{{heartbeat_at}}{{/if}}{{/if}}{{/if}}{{/if}}) ELSE '' END{{/has}}
        {{#has worker}} || CASE WHEN json_type(e.old_values, '$.worker') IS NOT NULL THEN ',"worker":' || json_quote(t.{{worker}}) ELSE '' END{{/has}}
        {{#each write in writes}} || CASE WHEN json_type(e.old_values, '$.' || :write.key) IS NOT NULL THEN ',' || json_quote(:write.key) || ':' || json_quote(t.{{write.column}}) ELSE '' END{{/each}}
        {{#each blob in blob_writes}} || CASE WHEN json_type(e.old_values, '$.' || :blob.key) IS NOT NULL THEN ',' || json_quote(:blob.key) || ':' || json_quote(CASE WHEN t.{{blob.column}} IS NULL THEN NULL ELSE hex(t.{{blob.column}}) END) ELSE '' END{{/each}}
        {{#has cancel_requested_at}} || CASE WHEN json_type(e.old_values, '$.cancel_requested_at') IS NOT NULL THEN ',"cancel_requested_at":' || json_quote({{#if unix_seconds}}strftime('%Y-%m-%dT%H:%M:%SZ', t.{{cancel_requested_at}}, 'unixepoch'){{else}}{{#if unix_milliseconds}}strftime('%Y-%m-%dT%H:%M:%S', t.{{cancel_requested_at}} / 1000, 'unixepoch') || printf('.%03dZ', t.{{cancel_requested_at}} % 1000){{else}}{{#if text_times}}t.{{cancel_requested_at}}{{else}}{{#if iso_times}}t.{{cancel_requested_at}}{{else}}t.{{cancel_requested_at}}{{/if}}{{/if}}{{/if}}{{/if}}) ELSE '' END{{/has}}, 2) || '}',
       :actor, strftime('%Y-%m-%d %H:%M:%f000', 'now')
FROM task_run_events e
JOIN {{table}} t ON t.{{id}} = {{#if integer_ids}}CAST(e.run_id AS INTEGER){{else}}e.run_id{{/if}}
WHERE e.batch_id = :batch_id
  AND e.target_table = :target_table
  AND e.id > :lower_id AND e.id <= :upper_id
  AND t.{{status}} = e.new_status
  AND e.old_status IS NOT NULL
ORDER BY e.id
