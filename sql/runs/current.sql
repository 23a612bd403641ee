-- What a run is now: for a worker to tell "already done by me" from "taken away from me",
-- and for undo to tell which runs still have the status a batch set.
SELECT {{status}} AS status
       {{#has started_at}}, {{started_at}} AS started_at{{/has}}
       {{#has worker}}, {{worker}} AS worker{{/has}}
       {{#has attempt}}, {{attempt}} AS attempt{{/has}}
       {{#has cancel_requested_at}}, {{cancel_requested_at}} AS cancel_requested_at{{/has}}
       {{#has start_token}}, {{start_token}} AS start_token{{/has}}
FROM {{table}}
WHERE {{id}} = :id
