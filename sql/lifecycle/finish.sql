-- The run's final status, written only by the worker that holds it (compare-and-set on the
-- running values and the fencing token). Safe to repeat: a repeat after a lost COMMIT finds
-- 0 rows, and current.sql then shows whether the first attempt landed.
--   :final_status  the table's value for succeeded, failed or cancelled
--   :note          the error (failed) or message (succeeded, cancelled)
UPDATE {{table}}
SET {{status}} = :final_status
    {{#has finished_at}}, {{finished_at}} = :now{{/has}}
    {{#if with_note}}, {{note_column}} = :note{{/if}}
WHERE {{id}} = :id
  AND {{status}} IN (:running_statuses...)
  AND {{started_at}} = :started_at
