-- Reads no rows, but fails if the mapped table or any mapped column does not exist.
SELECT {{id}}, {{status}}
       {{#has kind}}, {{kind}}{{/has}}
       {{#has queue}}, {{queue}}{{/has}}
       {{#has started_at}}, {{started_at}}{{/has}}
       {{#has heartbeat_at}}, {{heartbeat_at}}{{/has}}
       {{#has finished_at}}, {{finished_at}}{{/has}}
       {{#has created_at}}, {{created_at}}{{/has}}
       {{#has cancel_requested_at}}, {{cancel_requested_at}}{{/has}}
       {{#has error}}, {{error}}{{/has}}
       {{#has message}}, {{message}}{{/has}}
       {{#has worker}}, {{worker}}{{/has}}
       {{#has attempt}}, {{attempt}}{{/has}}
       {{#has max_attempts}}, {{max_attempts}}{{/has}}
       {{#has progress}}, {{progress}}{{/has}}
       {{#has log}}, {{log}}{{/has}}
FROM {{table}}
WHERE 1 = 0
