-- One run, every mapped column, for `taskwarden show`. Long text (the error, the message, the
-- log) is read whole; show prints its tail unless asked for all of it.
--   :id  the run
SELECT {{id}} AS id,
       {{status}} AS status,
       {{#has kind}}{{kind}}{{else}}NULL{{/has}} AS kind,
       {{#has queue}}{{queue}}{{else}}NULL{{/has}} AS queue,
       {{#has worker}}{{worker}}{{else}}NULL{{/has}} AS worker,
       {{#has started_at}}{{started_at}}{{else}}NULL{{/has}} AS started_at,
       {{#has heartbeat_at}}{{heartbeat_at}}{{else}}NULL{{/has}} AS heartbeat_at,
       {{#has finished_at}}{{finished_at}}{{else}}NULL{{/has}} AS finished_at,
       {{#has created_at}}{{created_at}}{{else}}NULL{{/has}} AS created_at,
       {{#has cancel_requested_at}}{{cancel_requested_at}}{{else}}NULL{{/has}} AS cancel_requested_at,
       {{#has attempt}}{{attempt}}{{else}}NULL{{/has}} AS attempt,
       {{#has max_attempts}}{{max_attempts}}{{else}}NULL{{/has}} AS max_attempts,
       {{#has progress}}{{progress}}{{else}}NULL{{/has}} AS progress,
       {{#has error}}{{error}}{{else}}NULL{{/has}} AS error,
       {{#has message}}{{message}}{{else}}NULL{{/has}} AS message,
       {{#has log}}{{log}}{{else}}NULL{{/has}} AS log,
       {{#if with_parent}}{{parent_key}}{{else}}NULL{{/if}} AS parent_key
FROM {{table}}
WHERE {{id}} = :id
