-- Restores one page of an undo, after journal.sql journaled it: each run whose status is
-- still the one the batch set gets back its old status and the columns the batch overwrote
-- (the keys of the entry's old_values: finished_at, the note, started_at, heartbeat_at, worker,
-- cancel_requested_at), read from the journal in the table's time format.
--   :batch_id      the batch being undone
--   :target_table  the table this statement restores (the task table, or its parent)
--   :lower_id, :upper_id  this page of the batch's journal entries: id in (lower_id, upper_id]
--   integer_ids    the id column is an integer: the journal's text run_id is cast to it, so the
--                  join uses the table's primary key
--   unix_seconds, unix_milliseconds, text_times, iso_times  the table's time format (none: native)
--   writes         the columns the mapping sets on transitions (set_on), each with its journal key
--   blob_writes    those with a binary encoding, journaled as hexadecimal text (JSON holds no bytes)
UPDATE {{table}} AS t
SET {{status}} = e.old_status
    {{#has finished_at}}, {{finished_at}} = CASE WHEN json_type(e.old_values, '$.finished_at') IS NOT NULL THEN {{#if unix_seconds}}CAST(strftime('%s', json_extract(e.old_values, '$.finished_at')) AS INTEGER){{else}}{{#if unix_milliseconds}}CAST(strftime('%s', json_extract(e.old_values, '$.finished_at')) AS INTEGER) * 1000 + CAST(substr(strftime('%f', json_extract(e.old_values, '$.finished_at')), 4) AS INTEGER){{else}}{{#if text_times}}replace(replace(json_extract(e.old_values, '$.finished_at'), 'T', ' '), 'Z', ''){{else}}{{#if iso_times}}replace(replace(json_extract(e.old_values, '$.finished_at'), ' ', 'T'), 'Z', ''){{else}}replace(replace(json_extract(e.old_values, '$.finished_at'), 'T', ' '), 'Z', ''){{/if}}{{/if}}{{/if}}{{/if}} ELSE t.{{finished_at}} END{{/has}}
    {{#has note}}, {{note}} = CASE WHEN json_type(e.old_values, '$.note') IS NOT NULL THEN json_extract(e.old_values, '$.note') ELSE t.{{note}} END{{/has}}
    {{#has started_at}}, {{started_at}} = CASE WHEN json_type(e.old_values, '$.started_at') IS NOT NULL THEN {{#if unix_seconds}}CAST(strftime('%s', json_extract(e.old_values, '$.started_at')) AS INTEGER){{else}}{{#if unix_milliseconds}}CAST(strftime('%s', json_extract(e.old_values, '$.started_at')) AS INTEGER) * 1000 + CAST(substr(strftime('%f', json_extract(e.old_values, '$.started_at')), 4) AS INTEGER){{else}}{{#if text_times}}replace(replace(json_extract(e.old_values, '$.started_at'), 'T', ' '), 'Z', ''){{else}}{{#if iso_times}}replace(replace(json_extract(e.old_values, '$.started_at'), ' ', 'T'), 'Z', ''){{else}}replace(replace(json_extract(e.old_values, '$.started_at'), 'T', ' '), 'Z', ''){{/if}}{{/if}}{{/if}}{{/if}} ELSE t.{{started_at}} END{{/has}}
    {{#has heartbeat_at}}, {{heartbeat_at}} = CASE WHEN json_type(e.old_values, '$.heartbeat_at') IS NOT NULL THEN {{#if unix_seconds}}CAST(strftime('%s', json_extract(e.old_values, '$.heartbeat_at')) AS INTEGER){{else}}{{#if unix_milliseconds}}CAST(strftime('%s', json_extract(e.old_values, '$.heartbeat_at')) AS INTEGER) * 1000 + CAST(substr(strftime('%f', json_extract(e.old_values, '$.heartbeat_at')), 4) AS INTEGER){{else}}{{#if text_times}}replace(replace(json_extract(e.old_values, '$.heartbeat_at'), 'T', ' '), 'Z', ''){{else}}{{#if iso_times}}replace(replace(json_extract(e.old_values, '$.heartbeat_at'), ' ', 'T'), 'Z', ''){{else}}replace(replace(json_extract(e.old_values, '$.heartbeat_at'), 'T', ' '), 'Z', ''){{/if}}{{/if}}{{/if}}{{/if}} ELSE t.{{heartbeat_at}} END{{/has}}
    {{#has worker}}, {{worker}} = CASE WHEN json_type(e.old_values, '$.worker') IS NOT NULL THEN json_extract(e.old_values, '$.worker') ELSE t.{{worker}} END{{/has}}
    {{#each write in writes}}, {{write.column}} = CASE WHEN json_type(e.old_values, '$.' || :write.key) IS NOT NULL THEN json_extract(e.old_values, '$.' || :write.key) ELSE t.{{write.column}} END{{/each}}
    {{#each blob in blob_writes}}, {{blob.column}} = CASE WHEN json_type(e.old_values, '$.' || :blob.key) IS NOT NULL THEN unhex(json_extract(e.old_values, '$.' || :blob.key)) ELSE t.{{blob.column}} END{{/each}}
    {{#has cancel_requested_at}}, {{cancel_requested_at}} = CASE WHEN json_type(e.old_values, '$.cancel_requested_at') IS NOT NULL THEN {{#if unix_seconds}}CAST(strftime('%s', json_extract(e.old_values, '$.cancel_requested_at')) AS INTEGER){{else}}{{#if unix_milliseconds}}CAST(strftime('%s', json_extract(e.old_values, '$.cancel_requested_at')) AS INTEGER) * 1000 + CAST(substr(strftime('%f', json_extract(e.old_values, '$.cancel_requested_at')), 4) AS INTEGER){{else}}{{#if text_times}}replace(replace(json_extract(e.old_values, '$.cancel_requested_at'), 'T', ' '), 'Z', ''){{else}}{{#if iso_times}}replace(replace(json_extract(e.old_values, '$.cancel_requested_at'), ' ', 'T'), 'Z', ''){{else}}replace(replace(json_extract(e.old_values, '$.cancel_requested_at'), 'T', ' '), 'Z', ''){{/if}}{{/if}}{{/if}}{{/if}} ELSE t.{{cancel_requested_at}} END{{/has}}
FROM task_run_events e
WHERE t.{{id}} = {{#if integer_ids}}CAST(e.run_id AS INTEGER){{else}}e.run_id{{/if}}
  AND e.batch_id = :batch_id
  AND e.target_table = :target_table
  AND e.id > :lower_id AND e.id <= :upper_id
  AND t.{{status}} = e.new_status
  AND e.old_status IS NOT NULL
