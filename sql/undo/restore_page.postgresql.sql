-- Undoes one page of a batch in one statement: for each entry of the batch whose run still has
-- the status the batch set, it locks the run, journals an 'undo' entry (under the undo's own
-- batch) with the values the restore overwrites, for the keys the undone entry has, so that the
-- undo can be undone in turn, and restores the run's old status and the columns the batch
-- overwrote (the keys of the entry's old_values: finished_at, the note, started_at,
-- heartbeat_at, worker, cancel_requested_at), read from the journal in the table's time format.
-- Times in the undo's own entries are ISO-8601 text in UTC, as sql/bulk/journal writes.
-- One statement rather than a journal INSERT and an UPDATE (as MySQL and SQLite run): the page's
-- entries are read and their JSON parsed once, and each run is found once by its key for the
-- lock and once for the update, where two statements read and joined everything twice:
-- measured on pages of 2 000 restores, 8 % less time per page. The entry's JSON is parsed once
-- (OFFSET 0 keeps the subquery from being flattened); the undo's own is written as text, each
-- key the entry has with to_json of its value (built as jsonb, one object per key joined by ||,
-- it took about 6 % more CPU). The NULL, which concat_ws skips, is there for a table whose
-- mapping has none of the keys.
-- locked takes FOR UPDATE OF t, in journal order, and reads the runs' values after the lock
-- (a run changed since the statement began is read as it is now, and re-checked); restored
-- finds each locked run by its key, so it changes exactly those rows, and each entry is
-- journaled from restored's RETURNING: an undo entry for each run restored, none other.
--   :batch_id      the batch being undone
--   :target_table  the table this statement restores (the task table, or its parent)
--   :lower_id, :upper_id  this page of the batch's journal entries: id in (lower_id, upper_id]
--   integer_ids    the id column is an integer: the journal's text run_id is cast to it, so the
--                  join uses the table's primary key
--   uuid_ids       the id column is a uuid (django-tasks): run_id is cast to it, for the same reason
--   unix_seconds, unix_milliseconds, text_times, iso_times  the table's time format (none: native)
--   :undo_batch_id, :reason, :actor  the undo's own journal entries
--   writes         the columns the mapping sets on transitions (set_on), each with its journal key
--   blob_writes    those with a binary encoding, journaled as hexadecimal text (JSON holds no bytes)
WITH locked AS MATERIALIZED (
    SELECT e.target_table, e.run_id, e.old_status, e.new_status, e.v, t.{{id}} AS run_key,
       '{' || concat_ws(', ', NULL::text
        {{#has finished_at}}, CASE WHEN jsonb_exists(e.v, 'finished_at') THEN '"finished_at": ' || COALESCE(to_json({{#if unix_seconds}}to_char(to_timestamp(t.{{finished_at}}), 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'){{else}}{{#if unix_milliseconds}}to_char(to_timestamp(t.{{finished_at}} / 1000) + (t.{{finished_at}} % 1000) * interval '1 millisecond', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'){{else}}{{#if text_times}}t.{{finished_at}}{{else}}{{#if iso_times}}t.{{finished_at}}{{else}}to_char(t.{{finished_at}}, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'){{/if}}{{/if}}{{/if}}{{/if}})::text, 'null') END{{/has}}
        {{#has note}}, CASE WHEN jsonb_exists(e.v, 'note') THEN '"note": ' || COALESCE(to_json(t.{{note}})::text, 'null') END{{/has}}
        {{#has started_at}}, CASE WHEN jsonb_exists(e.v, 'started_at') THEN '"started_at": ' || COALESCE(to_json({{#if unix_seconds}}to_char(to_timestamp(t.{{started_at}}), 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'){{else}}{{#if unix_milliseconds}}to_char(to_timestamp(t.{{started_at}} / 1000) + (t.{{started_at}} % 1000) * interval '1 millisecond', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'){{else}}{{#if text_times}}t.{{started_at}}{{else}}{{#if iso_times}}t.{{started_at}}{{else}}to_char(t.{{started_at}}, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'){{/if}}{{/if}}{{/if}}{{/if}})::text, 'null') END{{/has}}
        {{#has heartbeat_at}}, CASE WHEN jsonb_exists(e.v, 'heartbeat_at') THEN '"heartbeat_at": ' || COALESCE(to_json({{#if unix_seconds}}to_char(to_timestamp(t.{{heartbeat_at}}), 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'){{else}}{{#if unix_milliseconds}}to_char(to_timestamp(t.{{heartbeat_at}} / 1000) + (t.{{heartbeat_at}} % 1000) * interval '1 millisecond', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'){{else}}{{#if text_times}}t.{{heartbeat_at}}{{else}}{{#if iso_times}}t.{{heartbeat_at}}{{else}}to_char(t.{{heartbeat_at}}, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'){{/if}}{{/if}}{{/if}}{{/if}})::text, 'null') END{{/has}}
        {{#has worker}}, CASE WHEN jsonb_exists(e.v, 'worker') THEN '"worker": ' || COALESCE(to_json(t.{{worker}})::text, 'null') END{{/has}}
        {{#each write in writes}}, CASE WHEN jsonb_exists(e.v, CAST(:write.key AS TEXT)) THEN to_json(CAST(:write.key AS TEXT))::text || ': ' || COALESCE(to_json(t.{{write.column}})::text, 'null') END{{/each}}
        {{#each blob in blob_writes}}, CASE WHEN jsonb_exists(e.v, CAST(:blob.key AS TEXT)) THEN to_json(CAST(:blob.key AS TEXT))::text || ': ' || COALESCE(to_json(encode(t.{{blob.column}}, 'hex'))::text, 'null') END{{/each}}
        {{#has cancel_requested_at}}, CASE WHEN jsonb_exists(e.v, 'cancel_requested_at') THEN '"cancel_requested_at": ' || COALESCE(to_json({{#if unix_seconds}}to_char(to_timestamp(t.{{cancel_requested_at}}), 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'){{else}}{{#if unix_milliseconds}}to_char(to_timestamp(t.{{cancel_requested_at}} / 1000) + (t.{{cancel_requested_at}} % 1000) * interval '1 millisecond', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'){{else}}{{#if text_times}}t.{{cancel_requested_at}}{{else}}{{#if iso_times}}t.{{cancel_requested_at}}{{else}}to_char(t.{{cancel_requested_at}}, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'){{/if}}{{/if}}{{/if}}{{/if}})::text, 'null') END{{/has}}) || '}' AS undone_values
    FROM (SELECT e.id, e.target_table, e.run_id, e.old_status, e.new_status, e.old_values::jsonb AS v
          FROM task_run_events e
          WHERE e.batch_id = :batch_id
            AND e.target_table = :target_table
            AND e.id > :lower_id AND e.id <= :upper_id
            AND e.old_status IS NOT NULL
          OFFSET 0) AS e
    JOIN {{table}} t ON t.{{id}} = {{#if integer_ids}}CAST(e.run_id AS BIGINT){{else}}{{#if uuid_ids}}CAST(e.run_id AS uuid){{else}}e.run_id{{/if}}{{/if}}
    WHERE t.{{status}} = e.new_status
    ORDER BY e.id
    FOR UPDATE OF t),
restored AS (
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
    FROM locked AS e
    WHERE t.{{id}} = e.run_key
    RETURNING e.target_table, e.run_id, e.old_status, e.new_status, e.undone_values)
INSERT INTO task_run_events
    (target_table, run_id, operation, old_status, new_status, batch_id, reason, old_values, actor, created_at)
SELECT target_table, run_id, 'undo', new_status, old_status, :undo_batch_id, :reason, undone_values, :actor, now()
FROM restored
