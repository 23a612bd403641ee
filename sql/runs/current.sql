-- What a run is now: for a worker to tell "already done by me" from "taken away from me",
-- and for undo to tell which runs still have the status a batch set.
SELECT {{status}} AS status
       {{#started_at}}, {{started_at}} AS started_at{{/started_at}}
       {{#worker}}, {{worker}} AS worker{{/worker}}
       {{#attempt}}, {{attempt}} AS attempt{{/attempt}}
       {{#cancel_requested_at}}, {{cancel_requested_at}} AS cancel_requested_at{{/cancel_requested_at}}
       {{#start_token}}, {{start_token}} AS start_token{{/start_token}}
FROM {{table}}
WHERE {{id}} = :id
