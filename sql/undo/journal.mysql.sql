-- Journals one page of an undo, before restore.sql puts the runs back: for each entry of the
-- batch whose run still has the status the batch set, an 'undo' entry (under the undo's own
-- batch) with the values the restore overwrites, for the keys the undone entry has, so that
-- the undo can be undone in turn. Times as ISO-8601 text in UTC, as sql/bulk/journal writes.
-- The undo's own JSON is joined as text: each key the entry has as its JSON_OBJECT with the
-- braces trimmed (the value is a scalar, so its text never starts with '{' or ends with '}'),
-- the pairs joined by CONCAT_WS, which skips the NULL of a key the entry lacks. Merging the
-- objects with JSON_MERGE_PRESERVE parsed each of them again: the statement took about a
-- quarter longer (measured on pages of 2 000 undone resets).
-- Runs after lock.mysql.sql, which holds the runs of the page, so restore.mysql.sql (same
-- transaction, same join) restores exactly the runs journaled here.
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
       CONCAT('{', CONCAT_WS(', ', NULL
        {{#has finished_at}}, IF(JSON_CONTAINS_PATH(e.old_values, 'one', '$.finished_at'), TRIM(TRAILING '}' FROM TRIM(LEADING '{' FROM JSON_OBJECT('finished_at', {{#if unix_seconds}}DATE_FORMAT(FROM_UNIXTIME(t.{{finished_at}}), '%Y-%m-%dT%H:%i:%s.%fZ'){{else}}{{#if unix_milliseconds}}DATE_FORMAT(FROM_UNIXTIME(t.{{finished_at}} DIV 1000) + INTERVAL (t.{{finished_at}} MOD 1000) * 1000 MICROSECOND, '%Y-%m-%dT%H:%i:%s.%fZ'){{else}}{{#if text_times}}t.{{finished_at}}{{else}}{{#if iso_times}}t.{{finished_at}}{{else}}DATE_FORMAT(t.{{finished_at}}, '%Y-%m-%dT%H:%i:%s.%fZ'){{/if}}{{/if}}{{/if}}{{/if}}))), NULL){{/has}}
        {{#has note}}, IF(JSON_CONTAINS_PATH(e.old_values, 'one', '$.note'), TRIM(TRAILING '}' FROM TRIM(LEADING '{' FROM JSON_OBJECT('note', t.{{note}}))), NULL){{/has}}
        {{#has started_at}}, IF(JSON_CONTAINS_PATH(e.old_values, 'one', '$.started_at'), TRIM(TRAILING '}' FROM TRIM(LEADING '{' FROM JSON_OBJECT('started_at', {{#if unix_seconds}}DATE_FORMAT(FROM_UNIXTIME(t.{{started_at}}), '%Y-%m-%dT%H:%i:%s.%fZ'){{else}}{{#if unix_milliseconds}}DATE_FORMAT(FROM_UNIXTIME(t.{{started_at}} DIV 1000) + INTERVAL (t.{{started_at}} MOD 1000) * 1000 MICROSECOND, '%Y-%m-%dT%H:%i:%s.%fZ'){{else}}{{#if text_times}}t.{{started_at}}{{else}}{{#if iso_times}}t.{{started_at}}{{else}}DATE_FORMAT(t.{{started_at}}, '%Y-%m-%dT%H:%i:%s.%fZ'){{/if}}{{/if}}{{/if}}{{/if}}))), NULL){{/has}}
        {{#has heartbeat_at}}, IF(JSON_CONTAINS_PATH(e.old_values, 'one', '$.heartbeat_at'), TRIM(TRAILING '}' FROM TRIM(LEADING '{' FROM JSON_OBJECT('heartbeat_at', {{#if unix_seconds}}DATE_FORMAT(FROM_UNIXTIME(t.{{heartbeat_at}}), '%Y-%m-%dT%H:%i:%s.%fZ'){{else}}{{#if unix_milliseconds}}DATE_FORMAT(FROM_UNIXTIME(t.{{heartbeat_at}} DIV 1000) + INTERVAL (t.{{heartbeat_at}} MOD 1000) * 1000 MICROSECOND, '%Y-%m-%dT%H:%i:%s.%fZ'){{else}}{{#if text_times}}t.{{heartbeat_at}}{{else}}{{#if iso_times}}t.{{heartbeat_at}}{{else}}DATE_FORMAT(t.{{heartbeat_at}}, '%Y-%m-%dT%H:%i:%s.%fZ'){{/if}}{{/if}}{{/if}}{{/if}}))), NULL){{/has}}
        {{#has worker}}, IF(JSON_CONTAINS_PATH(e.old_values, 'one', '$.worker'), TRIM(TRAILING '}' FROM TRIM(LEADING '{' FROM JSON_OBJECT('worker', t.{{worker}}))), NULL){{/has}}
        {{#each write in writes}}, IF(JSON_CONTAINS_PATH(e.old_values, 'one', CONCAT('$.', :write.key)), TRIM(TRAILING '}' FROM TRIM(LEADING '{' FROM JSON_OBJECT(:write.key, t.{{write.column}}))), NULL){{/each}}
        {{#each blob in blob_writes}}, IF(JSON_CONTAINS_PATH(e.old_values, 'one', CONCAT('$.', :blob.key)), TRIM(TRAILING '}' FROM TRIM(LEADING '{' FROM JSON_OBJECT(:blob.key, HEX(t.{{blob.column}})))), NULL){{/each}}
        {{#has cancel_requested_at}}, IF(JSON_CONTAINS_PATH(e.old_values, 'one', '$.cancel_requested_at'), TRIM(TRAILING '}' FROM TRIM(LEADING '{' FROM JSON_OBJECT('cancel_requested_at', {{#if unix_seconds}}DATE_FORMAT(FROM_UNIXTIME(t.{{cancel_requested_at}}), '%Y-%m-%dT%H:%i:%s.%fZ'){{else}}{{#if unix_milliseconds}}DATE_FORMAT(FROM_UNIXTIME(t.{{cancel_requested_at}} DIV 1000) + INTERVAL (t.{{cancel_requested_at}} MOD 1000) * 1000 MICROSECOND, '%Y-%m-%dT%H:%i:%s.%fZ'){{else}}{{#if text_times}}t.{{cancel_requested_at}}{{else}}{{#if iso_times}}t.{{cancel_requested_at}}{{else}}DATE_FORMAT(t.{{cancel_requested_at}}, '%Y-%m-%dT%H:%i:%s.%fZ'){{/if}}{{/if}}{{/if}}{{/if}}))), NULL){{/has}}), '}'),
       :actor, NOW(6)
FROM task_run_events e
JOIN {{table}} t ON t.{{id}} = {{#if integer_ids}}CAST(e.run_id AS SIGNED){{else}}e.run_id{{/if}}
WHERE e.batch_id = :batch_id
  AND e.target_table = :target_table
  AND e.id > :lower_id AND e.id <= :upper_id
  AND t.{{status}} = e.new_status
  AND e.old_status IS NOT NULL
ORDER BY e.id
