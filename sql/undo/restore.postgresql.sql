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
UPDATE {{table}} AS t
SET {{status}} = e.old_status
    {{#has finished_at}}, {{finished_at}} = CASE WHEN jsonb_exists(e.old_values::jsonb, 'finished_at') THEN {{#if unix_seconds}}floor(extract(epoch from ((e.old_values::jsonb ->> 'finished_at'))::timestamptz))::bigint{{else}}{{#if unix_milliseconds}}floor(extract(epoch from ((e.old_values::jsonb ->> 'finished_at'))::timestamptz) * 1000)::bigint{{else}}{{#if text_times}}replace(replace((e.old_values::jsonb ->> 'finished_at'), 'T', ' '), 'Z', ''){{else}}{{#if iso_times}}replace(replace((e.old_values::jsonb ->> 'finished_at'), ' ', 'T'), 'Z', ''){{else}}((e.old_values::jsonb ->> 'finished_at'))::timestamptz{{/if}}{{/if}}{{/if}}{{/if}} ELSE t.{{finished_at}} END{{/has}}
    {{#has note}}, {{note}} = CASE WHEN jsonb_exists(e.old_values::jsonb, 'note') THEN (e.old_values::jsonb ->> 'note') ELSE t.{{note}} END{{/has}}
    {{#has started_at}}, {{started_at}} = CASE WHEN jsonb_exists(e.old_values::jsonb, 'started_at') THEN {{#if unix_seconds}}floor(extract(epoch from ((e.old_values::jsonb ->> 'started_at'))::timestamptz))::bigint{{else}}{{#if unix_milliseconds}}floor(extract(epoch from ((e.old_values::jsonb ->> 'started_at'))::timestamptz) * 1000)::bigint{{else}}{{#if text_times}}replace(replace((e.old_values::jsonb ->> 'started_at'), 'T', ' '), 'Z', ''){{else}}{{#if iso_times}}replace(replace((e.old_values::jsonb ->> 'started_at'), ' ', 'T'), 'Z', ''){{else}}((e.old_values::jsonb ->> 'started_at'))::timestamptz{{/if}}{{/if}}{{/if}}{{/if}} ELSE t.{{started_at}} END{{/has}}
    {{#has heartbeat_at}}, {{heartbeat_at}} = CASE WHEN jsonb_exists(e.old_values::jsonb, 'heartbeat_at') THEN {{#if unix_seconds}}floor(extract(epoch from ((e.old_values::jsonb ->> 'heartbeat_at'))::timestamptz))::bigint{{else}}{{#if unix_milliseconds}}floor(extract(epoch from ((e.old_values::jsonb ->> 'heartbeat_at'))::timestamptz) * 1000)::bigint{{else}}{{#if text_times}}replace(replace((e.old_values::jsonb ->> 'heartbeat_at'), 'T', ' '), 'Z', ''){{else}}{{#if iso_times}}replace(replace((e.old_values::jsonb ->> 'heartbeat_at'), ' ', 'T'), 'Z', ''){{else}}((e.old_values::jsonb ->> 'heartbeat_at'))::timestamptz{{/if}}{{/if}}{{/if}}{{/if}} ELSE t.{{heartbeat_at}} END{{/has}}
    {{#has worker}}, {{worker}} = CASE WHEN jsonb_exists(e.old_values::jsonb, 'worker') THEN (e.old_values::jsonb ->> 'worker') ELSE t.{{worker}} END{{/has}}
    {{#has cancel_requested_at}}, {{cancel_requested_at}} = CASE WHEN jsonb_exists(e.old_values::jsonb, 'cancel_requested_at') THEN {{#if unix_seconds}}floor(extract(epoch from ((e.old_values::jsonb ->> 'cancel_requested_at'))::timestamptz))::bigint{{else}}{{#if unix_milliseconds}}floor(extract(epoch from ((e.old_values::jsonb ->> 'cancel_requested_at'))::timestamptz) * 1000)::bigint{{else}}{{#if text_times}}replace(replace((e.old_values::jsonb ->> 'cancel_requested_at'), 'T', ' '), 'Z', ''){{else}}{{#if iso_times}}replace(replace((e.old_values::jsonb ->> 'cancel_requested_at'), ' ', 'T'), 'Z', ''){{else}}((e.old_values::jsonb ->> 'cancel_requested_at'))::timestamptz{{/if}}{{/if}}{{/if}}{{/if}} ELSE t.{{cancel_requested_at}} END{{/has}}
FROM task_run_events e
WHERE t.{{id}} = {{#if integer_ids}}CAST(e.run_id AS BIGINT){{else}}e.run_id{{/if}}
  AND e.batch_id = :batch_id
  AND e.target_table = :target_table
  AND e.id > :lower_id AND e.id <= :upper_id
  AND t.{{status}} = e.new_status
  AND e.old_status IS NOT NULL
