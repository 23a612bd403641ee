-- Restores one page of an undo, after journal.sql journaled it: each run whose status is
-- still the one the batch set gets back its old status and the columns the batch overwrote
-- (the keys of the entry's old_values: finished_at, the note, started_at, heartbeat_at, worker,
-- cancel_requested_at), read from the journal in the table's time format. The journal's text is parsed
-- once per entry (OFFSET 0 keeps the subquery from being flattened into one parse per column).
--   :batch_id      the batch being undone
--   :target_table  the table this statement restores (the task table, or its parent)
--   :lower_id, :upper_id  this page of the batch's journal entries: id in (lower_id, upper_id]
--   integer_ids    the id column is an integer: the journal's text run_id is cast to it, so the
--                  join uses the table's primary key
--   uuid_ids       the id column is a uuid (django-tasks): run_id is cast to it, for the same reason
--   unix_seconds, unix_milliseconds, text_times, iso_times  the table's time format (none: native)
--   writes         the columns the mapping sets on transitions (set_on), each with its journal key
--   blob_writes    those with a binary encoding, journaled as hexadecimal text (JSON holds no bytes)
UPDATE {{table}} AS t
SET {{status}} = e.old_status
    {{#has finished_at}}, {{finished_at}} = CASE WHEN jsonb_exists(e.v, 'finished_at') THEN {{#if unix_seconds}}floor(extract(epoch from ((e.v ->> 'finished_at'))::timestamptz))::bigint{{else}}{{#if unix_milliseconds}}floor(extract(epoch from ((e.v ->> 'finished_at'))::timestamptz) * 1000)::bigint{{else}}{{#if text_times}}replace(replace((e.v ->> 'finished_at'), 'T', ' '), 'Z', ''){{else}}{{#if iso_times}}replace(replace((e.v ->> 'finished_at'), ' ', 'T'), 'Z', ''){{else}}((e.v ->> 'finished_at'))::timestamptz{{/if}}{{/if}}{{/if}}{{/if}} ELSE t.{{finished_at}} END{{/has}}
    {{#has note}}, {{note}} = CASE WHEN jsonb_exists(e.v, 'note') THEN (e.v ->> 'note') ELSE t.{{note}} END{{/has}}
    {{#has started_at}}, {{started_at}} = CASE WHEN jsonb_exists(e.v, 'started_at') THEN {{#if unix_seconds}}floor(extract(epoch from ((e.v ->> 'started_at'))::timestamptz))::bigint{{else}}{{#if unix_milliseconds}}floor(extract(epoch from ((e.v ->> 'started_at'))::timestamptz) * 1000)::bigint{{else}}{{#if text_times}}replace(replace((e.v ->> 'started_at'), 'T', ' '), 'Z', ''){{else}}{{#if iso_times}}replace(replace((e.v ->> 'started_at'), ' ', 'T'), 'Z', ''){{else}}((e.v ->> 'started_at'))::timestamptz{{/if}}{{/if}}{{/if}}{{/if}} ELSE t.{{started_at}} END{{/has}}
    {{#has heartbeat_at}}, {{heartbeat_at}} = CASE WHEN jsonb_exists(e.v, 'heartbeat_at') THEN {{#if unix_seconds}}floor(extract(epoch from ((e.v ->> 'heartbeat_at'))::timestamptz))::bigint{{else}}{{#if unix_milliseconds}}floor(extract(epoch from ((e.v ->> 'heartbeat_at'))::timestamptz) * 1000)::bigint{{else}}{{#if text_times}}replace(replace((e.v ->> 'heartbeat_at'), 'T', ' '), 'Z', ''){{else}}{{#if iso_times}}replace(replace((e.v ->> 'heartbeat_at'), ' ', 'T'), 'Z', ''){{else}}((e.v ->> 'heartbeat_at'))::timestamptz{{/if}}{{/if}}{{/if}}{{/if}} ELSE t.{{heartbeat_at}} END{{/has}}
    {{#has worker}}, {{worker}} = CASE WHEN jsonb_exists(e.v, 'worker') THEN (e.v ->> 'worker') ELSE t.{{worker}} END{{/has}}
    {{#each write in writes}}, {{write.column}} = CASE WHEN jsonb_exists(e.v, CAST(:write.key AS TEXT)) THEN (e.v ->> CAST(:write.key AS TEXT)) ELSE t.{{write.column}} END{{/each}}
    {{#each blob in blob_writes}}, {{blob.column}} = CASE WHEN jsonb_exists(e.v, CAST(:blob.key AS TEXT)) THEN decode(e.v ->> CAST(:blob.key AS TEXT), 'hex') ELSE t.{{blob.column}} END{{/each}}
    {{#has cancel_requested_at}}, {{cancel_requested_at}} = CASE WHEN jsonb_exists(e.v, 'cancel_requested_at') THEN {{#if unix_seconds}}floor(extract(epoch from ((e.v ->> 'cancel_requested_at'))::timestamptz))::bigint{{else}}{{#if unix_milliseconds}}floor(extract(epoch from ((e.v ->> 'cancel_requested_at'))::timestamptz) * 1000)::bigint{{else}}{{#if text_times}}replace(replace((e.v ->> 'cancel_requested_at'), 'T', ' '), 'Z', ''){{else}}{{#if iso_times}}replace(replace((e.v ->> 'cancel_requested_at'), ' ', 'T'), 'Z', ''){{else}}((e.v ->> 'cancel_requested_at'))::timestamptz{{/if}}{{/if}}{{/if}}{{/if}} ELSE t.{{cancel_requested_at}} END{{/has}}
FROM (SELECT e.run_id, e.old_status, e.new_status, e.old_values::jsonb AS v
      FROM task_run_events e
      WHERE e.batch_id = :batch_id
        AND e.target_table = :target_table
        AND e.id > :lower_id AND e.id <= :upper_id
        AND e.old_status IS NOT NULL
      OFFSET 0) AS e
WHERE t.{{id}} = {{#if integer_ids}}CAST(e.run_id AS BIGINT){{else}}{{#if uuid_ids}}CAST(e.run_id AS uuid){{else}}e.run_id{{/if}}{{/if}}
  AND t.{{status}} = e.new_status
