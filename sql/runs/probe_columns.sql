-- Reads no rows, but fails if the mapped table or any mapped column does not exist.
SELECT {{id}}, {{status}}
       {{#kind}}, {{kind}}{{/kind}}
       {{#queue}}, {{queue}}{{/queue}}
       {{#started_at}}, {{started_at}}{{/started_at}}
       {{#heartbeat_at}}, {{heartbeat_at}}{{/heartbeat_at}}
       {{#finished_at}}, {{finished_at}}{{/finished_at}}
       {{#created_at}}, {{created_at}}{{/created_at}}
       {{#cancel_requested_at}}, {{cancel_requested_at}}{{/cancel_requested_at}}
       {{#error}}, {{error}}{{/error}}
       {{#message}}, {{message}}{{/message}}
       {{#worker}}, {{worker}}{{/worker}}
       {{#attempt}}, {{attempt}}{{/attempt}}
       {{#max_attempts}}, {{max_attempts}}{{/max_attempts}}
       {{#progress}}, {{progress}}{{/progress}}
FROM {{table}}
WHERE 1 = 0
