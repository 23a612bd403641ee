-- Undo of one journaled change: puts back the old status (and the other columns the change
-- overwrote) only if the run still has the status the change set. A run that moved on since
-- is left alone, and reported.
--   :old_status      the value to restore
--   :current_status  the value the undone change wrote
--   restore_x        restores column x to :x
UPDATE {{table}}
SET {{status}} = :old_status
    {{#if restore_finished_at}}, {{finished_at}} = :finished_at{{/if}}
    {{#if restore_note}}, {{note}} = :note{{/if}}
    {{#if restore_started_at}}, {{started_at}} = :started_at{{/if}}
    {{#if restore_heartbeat_at}}, {{heartbeat_at}} = :heartbeat_at{{/if}}
    {{#if restore_worker}}, {{worker}} = :worker{{/if}}
    {{#if restore_cancel_requested_at}}, {{cancel_requested_at}} = :cancel_requested_at{{/if}}
WHERE {{id}} = :id
  AND {{status}} = :current_status
