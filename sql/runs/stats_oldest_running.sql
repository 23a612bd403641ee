-- The oldest last sign of life among running runs.
SELECT MIN({{#heartbeat_at}}COALESCE({{heartbeat_at}}, {{started_at}}){{/heartbeat_at}}{{^heartbeat_at}}{{started_at}}{{/heartbeat_at}}) AS oldest
FROM {{table}}
WHERE {{status}} IN (:running_statuses)
